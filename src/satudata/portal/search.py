"""Dataset search with facets: the one function the search page and package_search call.

Words are matched in the full-text index (SQLite FTS5 on the embedded default, PostgreSQL
tsvector in production; see search_index), stemmed for Indonesian by Sastrawi on both. The
index only narrows: every search starts from `public_datasets(now)`, so embargo, withdrawal
and reclassification apply at the moment of the query, whatever the index holds.

Facets (filters and their counts) are in search_facets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from satudata.portal import search_receivers  # noqa: F401  (keeps the index current)
from satudata.portal.models import Dataset, DatasetUsage
from satudata.portal.search_facets import FACETS, FacetValue, facets_count, filtered
from satudata.portal.search_index import backend, index_datasets, reindex_all
from satudata.portal.search_text import query_terms
from satudata.portal.selectors import public_dataset_rows, public_datasets
from satudata.portal.services import dataset_years_refresh

SORTS = ("relevance", "name", "newest", "updated", "downloads")
MAX_ROWS = 1000


@dataclass
class SearchQuery:
    """What a searcher asked: words, facet filters (values are slugs / codes), sort, page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    start: int = 0
    rows: int = 20


@dataclass
class SearchResult:
    count: int
    # One page; each dataset carries `last_update` (its modified_at, never in the future)
    # and, for the downloads sort, `downloads`.
    datasets: list[Dataset]
    facets: dict[str, list[FacetValue]]
    # No dataset held every word, so these hold any of them (best match first).
    any_term: bool = False


def dataset_search(query: SearchQuery, now: dt.datetime | None = None) -> SearchResult:
    """Public datasets matching the query, one page of them, and the facet counts.

    Every word must match; when no public dataset holds them all ("angka kemiskinan" where
    the text says "penduduk miskin"), the datasets holding any of them are given instead,
    best first, and the result says so.
    """
    now = now or timezone.now()
    passed = list(Dataset.objects.filter(pending_at__lte=now).order_by().only("pk"))
    if passed:
        # An embargo has passed since the year summary was written: bring it up to date.
        dataset_years_refresh(passed, now)
    result = _search(query, now, any_term=False)
    if result.count == 0 and len(query_terms(query.q)) > 1:
        result = _search(query, now, any_term=True)
    return result


def _search(query: SearchQuery, now: dt.datetime, *, any_term: bool) -> SearchResult:
    terms = query_terms(query.q)
    found = public_datasets(now)
    # Counting (facets) judges each dataset on its own copy of the item's class: the same
    # rows as `found`, without a join to the items over every public dataset.
    counted = public_dataset_rows(now)
    if terms:
        sql, params = backend().match_sql(terms, any_term)
        found = found.filter(pk__in=RawSQL(sql, params))
        counted = counted.filter(pk__in=RawSQL(sql, params))
    filters = _clean(query.filters)
    matching = filtered(found, filters, now)
    start = max(0, query.start)
    rows = min(max(0, query.rows), MAX_ROWS)
    page: list[Dataset] = []
    if rows and terms and query.sort == "relevance":
        page = _by_relevance(matching, terms, start, rows, now, any_term)
    elif rows:
        narrowed = bool(terms or filters)
        page = list(_ordered(matching, query.sort, now, narrowed=narrowed)[start : start + rows])
    count, facets = facets_count(counted, filters, now)
    return SearchResult(count=count, datasets=page, facets=facets, any_term=any_term)


def search_index_update(codes: Iterable[str]) -> None:
    """Re-index the datasets of these item codes (after publish, withdraw or an item change)."""
    codes = set(codes)
    if codes:
        index_datasets(Dataset.objects.filter(code__in=codes))


def search_reindex() -> int:
    """Rebuild the whole index from the datasets; return how many were indexed."""
    return reindex_all(Dataset.objects.all())


def _clean(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """Known facets with their non-empty values; an unknown facet name is ignored."""
    cleaned = {}
    for name in FACETS:
        asked = filters.get(name) or ()
        if isinstance(asked, str):  # one value given bare
            asked = [asked]
        values = [str(v).strip() for v in asked if str(v).strip()]
        if values:
            cleaned[name] = values
    return cleaned


def _with_last_update(datasets: QuerySet[Dataset], now: dt.datetime) -> QuerySet[Dataset]:
    # Shown on every result: when the public content last changed, up to now (a release
    # under embargo moves modified_at into the future; the page must not show that date).
    return datasets.annotate(last_update=Least("modified_at", Value(now)))


def _by_relevance(
    among: QuerySet[Dataset],
    terms: list[str],
    start: int,
    rows: int,
    now: dt.datetime,
    any_term: bool = False,
) -> list[Dataset]:
    """One page of the datasets among these that hold every term, best match first.

    The index ranks the matches in one statement (bm25 / ts_rank once per match), then the
    page's datasets are read by id through the same public queryset.
    """
    try:
        among_sql, among_params = among.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an unknown format)
        return []
    sql, params = backend().ranked_sql(terms, among_sql, any_term)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*params, *among_params, rows, start])
        ids = [row[0] for row in cursor.fetchall()]
    by_id = {d.pk: d for d in _with_last_update(among, now).filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def _ordered(
    datasets: QuerySet[Dataset], sort: str, now: dt.datetime, *, narrowed: bool = False
) -> QuerySet[Dataset]:
    """The datasets in the order asked; newest first without words (or for an unknown sort).

    Newest is the default for browsing because it is also the cheapest: the index on
    (state, listed_at) yields the first page without sorting every public dataset.
    """
    datasets = _with_last_update(datasets, now)
    if sort == "name":
        return datasets.order_by("item__name", "pk")
    if sort == "updated":
        return datasets.order_by("-last_update", "item__name", "pk")
    if sort == "downloads":
        downloads = (
            DatasetUsage.objects.filter(dataset=OuterRef("pk"))
            .order_by()
            .values("dataset")
            .annotate(total=Sum("downloads"))
            .values("total")
        )
        datasets = datasets.annotate(
            downloads=Coalesce(Subquery(downloads, output_field=IntegerField()), 0)
        )
        return datasets.order_by("-downloads", "item__name", "pk")
    if narrowed:
        # Words or filters keep few of the datasets: reading them and sorting is quick, while
        # walking the (state, listed_at) index for the first page would visit every public
        # dataset when the few lie far down it (300 ms at 100,000). The same order, by a value
        # the index does not give, so the planner does not walk it.
        listed = ExpressionWrapper(
            F("listed_at") + Value(dt.timedelta(0)), output_field=DateTimeField()
        )
        return datasets.order_by(listed.desc(), "item__name", "pk")
    return datasets.order_by("-listed_at", "item__name", "pk")
