"""Fill each dataset's copy of its item's facets and class."""

from django.db import migrations


def fill(apps, schema_editor):
    Dataset = apps.get_model("portal", "Dataset")
    for dataset in Dataset.objects.select_related("item"):
        item = dataset.item
        Dataset.objects.filter(pk=dataset.pk).update(
            agency_id=item.agency_id,
            topic_id=item.topic_id,
            periodicity=item.periodicity,
            level=item.level,
            accessibility=item.accessibility,
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_dataset_facet_copy")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
