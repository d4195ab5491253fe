"""What the portal's home page and its release calendar show, read through the public selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from satudata.accounts.models import Agency
from satudata.catalog.choices import PresentationLevel
from satudata.catalog.models import Topic
from satudata.portal.models import Dataset, DatasetRelease
from satudata.portal.pages_common import counts_by, period_label
from satudata.portal.selectors import (
    open_datasets,
    public_datasets,
    public_observations,
    released_periods,
    scheduled_releases,
    upcoming_releases,
)
from satudata.publications.models import Publication
from satudata.publications.selectors_public import latest_publications as published_latest
from satudata.schedule.models import FillState
from satudata.values.numbers import format_number

NEWEST = 6
MOST_DOWNLOADED = 6
HEADLINES = 4
LATEST_PUBLICATIONS = 4
HOME_CALENDAR_DAYS = 60
HOME_CALENDAR_ROWS = 8
CALENDAR_DAYS = 92  # "the next three months"
CALENDAR_ROWS = 500


@dataclass(frozen=True)
class Count:
    """A topic or agency with its number of public datasets."""

    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class Headline:
    """A key figure: the latest public value of a regency-level open dataset."""

    dataset: Dataset
    value: str
    unit: str
    period: str


@dataclass(frozen=True)
class CalendarEntry:
    """One line of the advance release calendar: a release time (embargo) or a due date."""

    name: str
    agency: str
    period: str
    day: dt.date
    at: dt.datetime | None  # the exact time of an embargoed release; None for a due date
    slug: str  # the dataset's page when it is public now, else ""


def topic_counts(now: dt.datetime) -> list[Count]:
    """Topics with at least one public dataset, with their counts (two queries)."""
    counts = counts_by(public_datasets(now), "item__topic_id")
    topics = Topic.objects.filter(pk__in=[pk for pk in counts if pk]).order_by("name")
    return [Count(t.slug, t.name, counts[t.pk]) for t in topics]


def agency_counts(now: dt.datetime, *, all_active: bool = False) -> list[tuple[Agency, int]]:
    """Agencies with their public dataset counts: those with datasets, or every active one."""
    counts = counts_by(public_datasets(now), "item__agency_id")
    agencies = (
        Agency.objects.filter(is_active=True)
        if all_active
        else Agency.objects.filter(pk__in=list(counts))
    )
    return [(a, counts.get(a.pk, 0)) for a in agencies.order_by("name")]


def newest_datasets(now: dt.datetime, n: int = NEWEST) -> list[Dataset]:
    return list(public_datasets(now).order_by("-listed_at", "item__name")[:n])


def most_downloaded(now: dt.datetime, n: int = MOST_DOWNLOADED) -> list[Dataset]:
    """Datasets by all-time downloads (only those downloaded at all)."""
    rows = (
        public_datasets(now)
        .annotate(downloads=Sum("usage__downloads"))
        .filter(downloads__gt=0)
        .order_by("-downloads", "item__name")
    )
    return list(rows[:n])


def latest_publications(n: int = LATEST_PUBLICATIONS) -> list[Publication]:
    """The newest published publications (one query), for the home page's strip.

    Read while the cached home body is built (publications' template tag): a publication
    published meanwhile shows within pages_cache.MAX_SECONDS; none is ever unpublished.
    """
    return published_latest(n)


def headlines(now: dt.datetime, n: int = HEADLINES) -> list[Headline]:
    """The latest value of the most viewed regency-level open datasets without breakdowns.

    Few datasets, two small queries each: cheap enough for every home page view.
    """
    candidates = (
        open_datasets(now)
        .filter(item__level=PresentationLevel.REGENCY, item__breakdowns__isnull=True)
        .annotate(views=Sum("usage__views"))
        .order_by(F("views").desc(nulls_last=True), "item__name")
    )
    found: list[Headline] = []
    for dataset in candidates[: n * 2]:
        periods = released_periods(dataset, now)
        if not periods:
            continue
        value = (
            public_observations(dataset, now)
            .filter(period=periods[-1], region_id=settings.REGION_CODE, breakdown_key="")
            .values_list("value", flat=True)
            .first()
        )
        if value is None:
            continue
        found.append(
            Headline(dataset, format_number(value), dataset.item.unit, period_label(periods[-1]))
        )
        if len(found) == n:
            break
    return found


def _public_slugs(codes: set[str], now: dt.datetime) -> dict[str, str]:
    """The slugs of the datasets with these codes that are public now (to link to them)."""
    rows = public_datasets(now).filter(code__in=codes).values_list("code", "slug")
    return dict(rows)


def release_entries(releases: list[DatasetRelease], now: dt.datetime) -> list[CalendarEntry]:
    """One line per dataset and release time: an embargo often releases many periods at once."""
    slugs = _public_slugs({r.dataset.code for r in releases}, now)
    zone = timezone.get_current_timezone()
    groups: dict[tuple[str, dt.datetime], list[DatasetRelease]] = {}
    for r in releases:
        groups.setdefault((r.dataset.code, r.release_at), []).append(r)
    entries = []
    for (code, at), rows in groups.items():
        first, item = rows[0], rows[0].dataset.item
        periods = sorted(r.period for r in rows)
        label = period_label(periods[0])
        if len(periods) > 1:
            label = f"{label} – {period_label(periods[-1])}"
        entries.append(
            CalendarEntry(
                name=item.name,
                agency=item.agency.short_name or item.agency.name,
                period=label,
                day=at.astimezone(zone).date(),
                at=first.release_at,
                slug=slugs.get(code, ""),
            )
        )
    return entries


def due_entries(states: list[FillState], now: dt.datetime) -> list[CalendarEntry]:
    slugs = _public_slugs({s.item.code for s in states}, now)
    return [
        CalendarEntry(
            name=s.item.name,
            agency=s.item.agency.short_name or s.item.agency.name,
            period=period_label(s.period),
            day=s.due_date,
            at=None,
            slug=slugs.get(s.item.code, ""),
        )
        for s in states
    ]


def calendar_excerpt(now: dt.datetime) -> tuple[list[CalendarEntry], list[CalendarEntry]]:
    """The home page's calendar: the next embargoed releases and the next due dates."""
    today = timezone.localdate(now)
    releases = list(upcoming_releases(now)[:CALENDAR_ROWS])
    due = list(
        scheduled_releases(today, today + dt.timedelta(days=HOME_CALENDAR_DAYS))[
            :HOME_CALENDAR_ROWS
        ]
    )
    return release_entries(releases, now)[:HOME_CALENDAR_ROWS], due_entries(due, now)


def calendar_months(today: dt.date) -> list[dt.date]:
    """The first days of the months the calendar covers (this month and the next three)."""
    months, day = [], today.replace(day=1)
    end = today + dt.timedelta(days=CALENDAR_DAYS)
    while day <= end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def calendar(
    now: dt.datetime, month: dt.date | None
) -> tuple[list[CalendarEntry], list[CalendarEntry]]:
    """The full calendar: releases and due dates of the next three months (or of one month)."""
    today = timezone.localdate(now)
    start, end = today, today + dt.timedelta(days=CALENDAR_DAYS)
    if month is not None:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        start, end = max(start, month), min(end, following - dt.timedelta(days=1))
    releases = list(upcoming_releases(now)[:CALENDAR_ROWS])
    entries = release_entries(releases, now)
    if month is not None:
        entries = [e for e in entries if start <= e.day <= end]
    due = list(scheduled_releases(start, end)[:CALENDAR_ROWS])
    return entries, due_entries(due, now)
