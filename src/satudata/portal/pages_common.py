"""Small pieces every public portal page shares: period labels, paging, page meta, dataset lists.

Everything here reads through portal.selectors (or takes what a selector returned): the public
pages never query the catalog or the values directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.catalog.choices import Accessibility, Periodicity
from satudata.portal.models import Dataset
from satudata.schedule.periods import InvalidPeriod, Period

PAGE_SIZE = 20
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(key: str) -> str:
    """A period key as read: "2025", "Semester 1 2025", "Triwulan III 2025", "Juli 2025"."""
    try:
        period = Period.parse(key)
    except InvalidPeriod:
        return key
    if period.periodicity == Periodicity.SEMESTER:
        return _("Semester %(n)s %(year)s") % {"n": period.index, "year": period.year}
    if period.periodicity == Periodicity.QUARTERLY:
        return _("Quarter %(n)s %(year)s") % {"n": ROMAN[period.index], "year": period.year}
    if period.periodicity == Periodicity.MONTHLY:
        return date_format(period.start, "F Y")
    return period.key


def paginate(request: HttpRequest, rows: QuerySet[Any] | list[Any], size: int = PAGE_SIZE) -> Page:
    """The page asked for by `?page=`; a bad or too-large number gives the nearest page."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def absolute(request: HttpRequest, path: str) -> str:
    """An absolute URL on this host (for canonical links, OpenGraph, sitemap, feed, robots)."""
    return request.build_absolute_uri(path)


@dataclass(frozen=True)
class PageMeta:
    """What a shared link shows (OpenGraph, twitter:card) and the page's canonical URL."""

    title: str
    description: str
    url: str


def page_meta(request: HttpRequest, title: str, description: str = "") -> PageMeta:
    # The canonical URL drops the query string: filters and paging are views of one page.
    return PageMeta(title=title, description=description[:300], url=absolute(request, request.path))


def is_limited(dataset: Dataset) -> bool:
    return dataset.item.accessibility == Accessibility.LIMITED


def last_update(
    dataset: Dataset, now: dt.datetime | None = None, latest_change: dt.datetime | None = None
) -> dt.datetime:
    """The dataset's last public change, never in the future (an embargoed release is not yet).

    `modified_at` may lie ahead (a release scheduled for tomorrow); then the latest change
    that has happened (its newest public revision) is the last update.
    """
    now = now or timezone.now()
    if dataset.modified_at <= now:
        return dataset.modified_at
    return min(latest_change or dataset.listed_at, now)


def counts_by(datasets: QuerySet[Dataset], field: str) -> dict[Any, int]:
    """Public dataset counts grouped by one field (one GROUP BY query)."""
    rows = datasets.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return dict(rows)
