"""Building the search index: one document of stemmed public-facing text per dataset.

Every dataset is indexed whatever its state or class: the index only says which words a
dataset's metadata holds. Whether the public may see the dataset (embargo, withdrawal,
reclassification) is decided live at query time by portal.selectors.public_datasets, never
from the index. Values are never indexed, only metadata that a limited dataset shows too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from satudata.portal import search_postgres, search_sqlite
from satudata.portal.search_text import stemmed

CHUNK = 2000

# The item's fields in each column of the document (see search_sqlite.COLUMNS).
TITLE = ("item__name", "item__alias")
TAGS = ("item__tags",)
BODY = ("item__definition", "item__concept", "item__interpretation")
META = (
    "code",
    "item__agency__name",
    "item__agency__short_name",
    "item__topic__name",
    "item__unit",
    "item__measure",
    "item__formula",
    "item__classification",
    "item__estimation_level",
    "item__reference_period",
    "item__source_activity",
    "item__indicator_code",
    "item__composite_indicators",
    "item__composite_variables",
)
COLUMNS = (TITLE, TAGS, BODY, META)


def backend(conn: Any = connection) -> ModuleType:
    """The index of this database: FTS5 on SQLite, tsvector on PostgreSQL."""
    if conn.vendor == "postgresql":
        return search_postgres
    if conn.vendor == "sqlite":
        return search_sqlite
    raise NotImplementedError(f"no search index for {conn.vendor}")


def documents(datasets: QuerySet) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(dataset id, stemmed text of each column) for these datasets.

    Reads through values() with field names only, so the migration can call it with its
    historical models.
    """
    fields = [f for column in COLUMNS for f in column]
    for row in datasets.order_by("pk").values("pk", *fields).iterator(chunk_size=CHUNK):
        yield (
            row["pk"],
            tuple(stemmed(" ".join(str(row[f]) for f in column if row[f])) for column in COLUMNS),
        )


def index_datasets(datasets: QuerySet, conn: Any = connection) -> int:
    """(Re)write the documents of these datasets; return how many."""
    index = backend(conn)
    done = 0
    batch: list[tuple[int, tuple[str, ...]]] = []
    with conn.cursor() as cursor:
        for doc in documents(datasets):
            batch.append(doc)
            if len(batch) >= CHUNK:
                index.write(cursor, batch)
                done, batch = done + len(batch), []
        if batch:
            index.write(cursor, batch)
            done += len(batch)
    return done


def unindex(ids: Iterable[int], conn: Any = connection) -> None:
    """Drop the documents of these (deleted) datasets."""
    ids = list(ids)
    if ids:
        with conn.cursor() as cursor:
            backend(conn).delete(cursor, ids)


def reindex_all(datasets: QuerySet, conn: Any = connection) -> int:
    """Empty the index and write every dataset's document again; return how many."""
    with conn.cursor() as cursor:
        backend(conn).clear(cursor)
    return index_datasets(datasets, conn)
