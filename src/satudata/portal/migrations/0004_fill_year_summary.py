"""Fill the year summary of existing datasets from their releases."""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    Dataset = apps.get_model("portal", "Dataset")
    DatasetRelease = apps.get_model("portal", "DatasetRelease")
    now = timezone.now()
    first: dict[int, dict[int, object]] = {}
    for pk, year, at in DatasetRelease.objects.values_list("dataset_id", "year", "release_at"):
        years = first.setdefault(pk, {})
        years[year] = min(at, years.get(year, at))
    for pk, years in first.items():
        released = sorted(y for y, at in years.items() if at <= now)
        pending = {y: at for y, at in years.items() if at > now}
        soonest = min(pending.values(), default=None)
        Dataset.objects.filter(pk=pk).update(
            released_years=",".join(map(str, released)),
            pending_years=",".join(map(str, sorted(y for y, at in pending.items() if at == soonest))),
            pending_at=soonest,
        )


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_dataset_year_summary")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
