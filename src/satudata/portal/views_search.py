"""The public search page: words, facet checkboxes, sort and paging in one plain GET form.

Works without JavaScript; the only script closes the filter box on phones. Reads only through
portal.search.dataset_search, which starts from the public selectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from satudata.catalog.choices import Accessibility
from satudata.portal.search import FACETS, SORTS, FacetValue, SearchQuery, dataset_search

PAGE_SIZE = 20
# Deeper than this is a crawler walking pages, not a person: 50 pages of 20.
LAST_PAGE = 50
QUERY_LENGTH = 200
VALUES_PER_FACET = 50

FACET_LABELS = {
    "agency": _("Agency"),
    "topic": _("Topic"),
    "periodicity": _("Periodicity"),
    "year": _("Year"),
    "format": _("Format"),
    "level": _("Level"),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "name": _("Name"),
    "newest": _("Newest"),
    "updated": _("Recently updated"),
    "downloads": _("Most downloaded"),
}


@dataclass
class FacetBox:
    """One facet as the page shows it: its checkboxes, ticked as the request asked."""

    name: str
    label: str
    values: list[tuple[FacetValue, bool]]
    ticked: bool


def _page(request: HttpRequest) -> int:
    raw = request.GET.get("page", "")
    return min(max(int(raw), 1), LAST_PAGE) if raw.isdigit() else 1


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """The dataset search page (`dataset-search`)."""
    q = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    filters = {name: request.GET.getlist(name)[:VALUES_PER_FACET] for name in FACETS}
    sort = request.GET.get("sort", "")
    if sort not in SORTS:
        sort = "relevance" if q else "newest"
    page = _page(request)
    result = dataset_search(
        SearchQuery(q=q, filters=filters, sort=sort, start=(page - 1) * PAGE_SIZE, rows=PAGE_SIZE)
    )
    boxes = []
    for name in FACETS:
        asked = set(filters[name])
        values = [(v, v.value in asked) for v in result.facets[name]]
        # A ticked value the words leave no dataset for still shows, ticked, at 0: a filter
        # must never apply unseen.
        shown = {v.value for v, _ticked in values}
        values += [(FacetValue(v, v, 0), True) for v in filters[name] if v not in shown]
        if values:
            boxes.append(FacetBox(name, str(FACET_LABELS[name]), values, bool(asked)))
    pages = min(-(-result.count // PAGE_SIZE), LAST_PAGE)
    return render(
        request,
        "portal/search.html",
        {
            "q": q,
            "sort": sort,
            "sorts": [(s, SORT_LABELS[s]) for s in SORTS if s != "relevance" or q],
            "result": result,
            "facet_boxes": boxes,
            "filtered": any(filters.values()),
            "page": page,
            "first": (page - 1) * PAGE_SIZE + 1,
            "pages": pages,
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < pages else None,
            "limited": Accessibility.LIMITED,
        },
    )
