"""The search index on SQLite: an FTS5 table of stems, one row per dataset, ranked by bm25.

The row's rowid is the dataset's id. Stems come from search_text (Sastrawi), so FTS5's own
tokenizer only splits the space-separated stems it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

TABLE = "portal_search_fts"
# Relative weight of each column in bm25: a word in the title counts most.
COLUMNS = ("title", "tags", "body", "meta")
WEIGHTS = (10.0, 5.0, 2.0, 1.0)

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    f"{', '.join(COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2')"
]
DROP = [f"DROP TABLE IF EXISTS {TABLE}"]


def write(cursor: Any, docs: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Replace the rows of these datasets by their new stemmed text."""
    delete(cursor, [pk for pk, _ in docs])
    placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
    cursor.executemany(
        f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({placeholders})",
        [(pk, *texts) for pk, texts in docs],
    )


def delete(cursor: Any, ids: Iterable[int]) -> None:
    """Remove the rows of these datasets."""
    cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in ids])


def clear(cursor: Any) -> None:
    cursor.execute(f"DELETE FROM {TABLE}")


def _match(terms: Sequence[str], any_term: bool = False) -> str:
    # Each stem quoted (a phrase of one word): FTS5 operators typed by a searcher ("OR",
    # "NEAR", "*", "-") never reach the query language. Terms are ANDed, or ORed for `any_term`.
    quoted = ['"' + term.replace('"', "") + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


def match_sql(terms: Sequence[str], any_term: bool = False) -> tuple[str, list[Any]]:
    """SQL selecting the ids of the datasets whose text holds every term (or any)."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [_match(terms, any_term)]


def ranked_sql(
    terms: Sequence[str], among_sql: str, any_term: bool = False
) -> tuple[str, list[Any]]:
    """SQL of the ids holding every term among those `among_sql` selects, best first.

    `among_sql` has its own placeholders; its parameters follow the returned ones. The
    caller appends LIMIT and OFFSET. FTS5 computes bm25 once per matching row here, which a
    correlated subquery per dataset would not.
    """
    weights = ", ".join(str(w) for w in WEIGHTS)
    return (
        f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({among_sql}) "
        f"ORDER BY bm25({TABLE}, {weights}), rowid",
        [_match(terms, any_term)],
    )
