"""Dataset search with facets: the one function the search page and package_search call.

INTERIM implementation (plain icontains); to be replaced by SQLite FTS5 / PostgreSQL
full-text with Indonesian stemming behind the same interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from satudata.portal.models import Dataset
from satudata.portal.selectors import public_datasets

FACETS = ("agency", "topic", "periodicity", "year", "format", "level")
SORTS = ("relevance", "name", "newest", "updated", "downloads")


@dataclass
class SearchQuery:
    """What a searcher asked: words, facet filters (values are slugs / codes), sort, page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    start: int = 0
    rows: int = 20


@dataclass
class FacetValue:
    value: str  # what goes in the filter (agency slug, topic slug, "annual", "2025", "csv")
    label: str  # what a person reads
    count: int


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[FacetValue]]


def dataset_search(query: SearchQuery, now: dt.datetime | None = None) -> SearchResult:
    """Public datasets matching the query, one page of them, and the facet counts."""
    datasets = public_datasets(now)
    if query.q.strip():
        for word in query.q.split():
            datasets = datasets.filter(
                Q(item__name__icontains=word) | Q(item__tags__icontains=word)
            )
    count = datasets.count()
    page = list(datasets.order_by("item__name")[query.start : query.start + query.rows])
    return SearchResult(count=count, datasets=page, facets={name: [] for name in FACETS})


def search_index_update(codes: Iterable[str]) -> None:
    """Re-index the datasets of these item codes (after publish, withdraw or an item change)."""
