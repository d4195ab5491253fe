"""The search index on PostgreSQL: a tsvector of stems per dataset, a GIN index, ts_rank.

The configuration is 'simple' (lowercase, no stemming, no stopwords) on text that Sastrawi
has already stemmed in Python. PostgreSQL's 'indonesian' configuration is a Snowball stemmer
that strips affixes by rule, without Sastrawi's dictionary of roots ("kedelai", soybean, becomes
"delai"), and it drops its own stopwords: on top of Sastrawi it would stem twice, and it would
find other datasets than the embedded SQLite index. Stemming once, in Python, the same way,
keeps both backends' results identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

TABLE = "portal_search_doc"
# setweight labels per column: title A, tags B, description C, other metadata D.
LABELS = ("A", "B", "C", "D")

CREATE = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "dataset_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_gin ON {TABLE} USING gin (document)",
]
DROP = [f"DROP TABLE IF EXISTS {TABLE}"]

_VECTOR = " || ".join(f"setweight(to_tsvector('simple', %s), '{label}')" for label in LABELS)


def write(cursor: Any, docs: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Insert or replace the documents of these datasets."""
    cursor.executemany(
        f"INSERT INTO {TABLE} (dataset_id, document) VALUES (%s, {_VECTOR}) "
        "ON CONFLICT (dataset_id) DO UPDATE SET document = EXCLUDED.document",
        [(pk, *texts) for pk, texts in docs],
    )


def delete(cursor: Any, ids: Iterable[int]) -> None:
    """Remove the documents of these datasets."""
    cursor.execute(f"DELETE FROM {TABLE} WHERE dataset_id = ANY(%s)", [list(ids)])


def clear(cursor: Any) -> None:
    cursor.execute(f"TRUNCATE {TABLE}")


def _query(terms: Sequence[str], any_term: bool = False) -> str:
    # The terms are stems of letters and digits only (search_text), so they can be joined
    # into to_tsquery's syntax without escaping: "a & b" (every term) or "a | b" (any).
    return (" | " if any_term else " & ").join(terms)


def match_sql(terms: Sequence[str], any_term: bool = False) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the datasets whose document holds every term (or any)."""
    return (
        f"SELECT dataset_id FROM {TABLE} WHERE document @@ to_tsquery('simple', %s)",
        [_query(terms, any_term)],
    )


def ranked_sql(
    terms: Sequence[str], among_sql: str, any_term: bool = False
) -> tuple[str, list[Any]]:
    """SQL of the ids holding every term among those `among_sql` selects, best first.

    `among_sql` has its own placeholders; its parameters follow the returned ones. The
    caller appends LIMIT and OFFSET.
    """
    return (
        f"SELECT dataset_id FROM {TABLE}, to_tsquery('simple', %s) AS query "
        f"WHERE document @@ query AND dataset_id IN ({among_sql}) "
        "ORDER BY ts_rank(document, query) DESC, dataset_id",
        [_query(terms, any_term)],
    )
