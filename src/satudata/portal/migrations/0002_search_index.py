"""The full-text search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.

Not a Django model: the table's form depends on the database (an FTS5 virtual table has no
Django field type), so it is created here by SQL for the vendor at hand and read by raw SQL
in portal.search. Existing datasets are indexed at once.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import FieldError
from django.db import migrations

from satudata.portal.search_index import backend, index_datasets


def create_index(apps, schema_editor) -> None:
    connection = schema_editor.connection
    index = backend(connection)
    with connection.cursor() as cursor:
        for sql in index.CREATE:
            cursor.execute(sql)
    datasets = apps.get_model("portal", "Dataset").objects.using(connection.alias).all()
    # Should search_index one day read a field this historical state lacks, the index is
    # left to `satudata search_reindex` rather than the migration blocked.
    with contextlib.suppress(FieldError):
        index_datasets(datasets, connection)


def drop_index(apps, schema_editor) -> None:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in backend(connection).DROP:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_agency_slug"),
        ("catalog", "0002_dataitem_catalog_dat_code_066e53_idx"),
        ("portal", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
