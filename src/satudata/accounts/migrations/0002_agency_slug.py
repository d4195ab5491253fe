"""Agencies get a slug for public URLs (portal, CKAN organization names)."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    taken: set[str] = set()
    for agency in Agency.objects.order_by("pk"):
        base = slugify(agency.short_name or agency.name)[:70] or "agency"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        agency.slug = slug
        agency.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="slug",
            field=models.SlugField(
                blank=True, db_index=False, default="", max_length=80, verbose_name="slug"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agency",
            name="slug",
            field=models.SlugField(blank=True, max_length=80, unique=True, verbose_name="slug"),
        ),
    ]
