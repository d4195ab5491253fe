"""Gathering the dissemination report's figures from the system's records (SOP step 7).

`gather(period=...)` returns one JSON-ready dict holding every number the report prints: the
letterhead and SOP reference as they were, the summary, and per agency the data list, the
fill state against the schedule, datasets released on the portal, publications by channel
with their links, the standard-time compliance of steps 4-6, portal use and access requests.
A final report keeps this dict for ever (`Report.data`); renderers read nothing else.

The report holds counts and the names of open datasets only: limited and closed values never
enter it, and no closed item is ever named (datasets are listed only when open, the top lists
skip anything not open).

Figures follow the same rules as the step pages and the dashboard: fill states are those of
the periods that END in the report's period (schedule.fill_check); events (releases, posts,
use, access requests, step runs) are those that happened inside it. Every section is one or
two grouped queries, so the cost does not grow with the number of agencies.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from satudata.access.choices import AccessRequestState
from satudata.access.models import AccessRequest
from satudata.accounts.models import Agency
from satudata.accounts.roles import AGENCY_ROLES, Role
from satudata.catalog.choices import Accessibility, Periodicity
from satudata.catalog.models import DataItem
from satudata.core.models import letterhead
from satudata.portal.choices import DatasetState
from satudata.portal.models import DatasetRelease, DatasetUsage
from satudata.publications.choices import ChannelKind, PostState
from satudata.publications.models import Post, Publication, PublicationStep
from satudata.publications.timing import DEFAULT_STANDARDS
from satudata.schedule.fill_check import (
    STATUS_ORDER,
    FillFilters,
    counts_by_agency,
    fill_states_ensure,
    fill_states_for,
    totals_of,
)
from satudata.schedule.periods import Period
from satudata.sop.durations import deadline
from satudata.sop.models import Sop, SopStep, StepRun

SCHEMA_VERSION = 1
CLASSES: tuple[str, ...] = tuple(a.value for a in Accessibility)
CHANNELS: tuple[str, ...] = tuple(k.value for k in ChannelKind)
AGENCY_STEPS: tuple[int, ...] = (4, 5, 6)
ALL_STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
TOP_DATASETS = 10
TOP_PER_AGENCY = 3
# Publications' links listed per agency in the report; the count is always complete.
LINKS_PER_AGENCY = 50

Progress = Callable[[int, str], None]


class AgencyRows:
    """The per-agency part of the report, made as figures turn up for an agency."""

    def __init__(self) -> None:
        self.by_id: dict[int, dict[str, Any]] = {}

    def get(self, agency_id: int | None) -> dict[str, Any] | None:
        if agency_id is None:
            return None
        if agency_id not in self.by_id:
            self.by_id[agency_id] = _empty_agency(agency_id, "", "")
        return self.by_id[agency_id]

    def all(self) -> list[dict[str, Any]]:
        return list(self.by_id.values())


class _Custodian:
    """Walidata's view of the data list, for the fill-check selectors: the report counts every
    agency's items (closed ones too, as counts) whoever asks for it."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = Role.WALIDATA
    agency_id = None


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a period as aware moments in the local time zone."""
    return local_midnight(period.start), local_midnight(period.end + dt.timedelta(days=1))


def _empty_agency(agency_id: int, name: str, short: str) -> dict[str, Any]:
    return {
        "id": agency_id,
        "name": name,
        "short_name": short,
        "items": dict.fromkeys((*CLASSES, "total"), 0),
        "fill": {**dict.fromkeys(STATUS_ORDER, 0), "scheduled": 0, "due": 0, "percent": None},
        "datasets": 0,
        "dataset_list": [],
        "publications": 0,
        "posts": dict.fromkeys(CHANNELS, 0),
        "links": [],
        "links_total": 0,
        "steps": {str(n): {"on_time": 0, "late": 0, "running": 0} for n in AGENCY_STEPS},
        "usage": {"views": 0, "downloads": 0, "api_calls": 0},
        "top_datasets": [],
        "access": _empty_access(),
    }


def _empty_access() -> dict[str, Any]:
    return {
        "received": 0,
        "approved": 0,
        "refused": 0,
        "pending": 0,
        "expired": 0,
        "median_days": None,
    }


def gather(
    *, period: Period, now: dt.datetime | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Every figure of the report for `period`, as a JSON-ready dict (see the module doc)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    step = progress or (lambda percent, message: None)
    low, high = bounds(period)
    # Events are counted up to now: a period still running has no future to count.
    until = min(high, now)

    rows = AgencyRows()

    step(5, "data list")
    window = None if period.periodicity == Periodicity.ANNUAL else period
    decree = fill_states_ensure(period.year)
    summary: dict[str, Any] = {
        "items": dict.fromkeys((*CLASSES, "total"), 0),
        "fill": {**dict.fromkeys(STATUS_ORDER, 0), "scheduled": 0, "due": 0, "percent": None},
        "fill_by_class": {c: dict.fromkeys((*STATUS_ORDER, "scheduled"), 0) for c in CLASSES},
    }
    if decree is not None:
        items = DataItem.objects.filter(decree=decree).order_by()
        for g in items.values("agency_id", "accessibility").annotate(n=Count("id")):
            target = rows.get(g["agency_id"])
            assert target is not None
            target["items"][g["accessibility"]] += g["n"]
            target["items"]["total"] += g["n"]
            summary["items"][g["accessibility"]] += g["n"]
            summary["items"]["total"] += g["n"]

        step(15, "fill state")
        states = fill_states_for(
            user=_Custodian(),
            decree=decree,
            filters=FillFilters(year=period.year, period=window),
            today=today,
        )
        fill_rows = counts_by_agency(states, sort="agency")
        for fill in fill_rows:
            target = rows.get(fill.agency_id)
            assert target is not None
            target["fill"] = _fill_dict(fill)
        summary["fill"] = _fill_dict(totals_of(fill_rows))
        by_class = states.order_by().values("item__accessibility", "status").annotate(n=Count("id"))
        for g in by_class:
            cell = summary["fill_by_class"][g["item__accessibility"]]
            cell[g["status"]] += g["n"]
            cell["scheduled"] += g["n"]

    step(30, "portal")
    summary["datasets"] = _datasets(rows, low, until)
    step(40, "publications")
    summary["publications"], summary["posts"] = _publications(rows, low, until)
    step(50, "service standards")
    summary["steps"] = _steps(rows, low, until, now)
    step(60, "portal use")
    summary["usage"], summary["top_datasets"], summary["usage_by_month"] = _usage(
        rows, period, today
    )
    step(70, "access requests")
    summary["access"] = _access(rows, low, until, now)

    # Names of every agency with a figure, in one query.
    for agency in Agency.objects.filter(pk__in=list(rows.by_id)).values("pk", "name", "short_name"):
        rows.by_id[agency["pk"]]["name"] = agency["name"]
        rows.by_id[agency["pk"]]["short_name"] = agency["short_name"]
    ordered = sorted(rows.all(), key=lambda a: a["name"].casefold())
    summary["agencies"] = len(ordered)

    head = letterhead()
    sop = Sop.objects.filter(is_current=True).first()
    empty = not any(
        (
            summary["fill"]["scheduled"],
            summary["datasets"],
            summary["publications"],
            sum(summary["posts"].values()),
            sum(summary["usage"].values()),
            summary["access"]["received"],
            sum(s["runs"] for s in summary["steps"]),
        )
    )
    return {
        "schema": SCHEMA_VERSION,
        "period": period.key,
        "periodicity": period.periodicity,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        # A period not over yet: the report says up to which day it counts.
        "ongoing": period.end >= today,
        "empty": empty,
        "letterhead": {
            "government": head.government,
            "office": head.office,
            "address": head.address,
            "phone": head.phone,
            "email": head.email,
            "website": head.website,
            "city": head.city,
            "logo": head.logo.name if head.logo else "",
            "head_name": head.head_name,
            "head_rank": head.head_rank,
            "head_nip": head.head_nip,
            "head_position": head.head_position,
        },
        "sop": None
        if sop is None
        else {
            "number": sop.number,
            "name": sop.name,
            "revision": sop.revision,
            "ratified_on": sop.ratified_on.isoformat(),
            "ratified_by_name": sop.ratified_by_name,
        },
        "decree": None
        if decree is None
        else {"number": decree.number, "title": decree.title, "year": decree.year},
        "summary": summary,
        "agencies": ordered,
    }


def _fill_dict(fill: Any) -> dict[str, Any]:
    return {
        **{s: fill.counts[s] for s in STATUS_ORDER},
        "scheduled": fill.scheduled,
        "due": fill.due,
        "percent": fill.percent,
    }


def _datasets(rows: AgencyRows, low: dt.datetime, until: dt.datetime) -> int:
    """Datasets with a period released on the portal in the window, per agency; the names
    of open ones (never a closed item's name, whatever the portal holds)."""
    releases = (
        DatasetRelease.objects.filter(
            release_at__gte=low, release_at__lt=until, dataset__state=DatasetState.PUBLISHED
        )
        .exclude(dataset__accessibility=Accessibility.CLOSED)
        .order_by("dataset__item__name", "period")
        .values(
            "dataset_id",
            "dataset__code",
            "dataset__item__name",
            "dataset__agency_id",
            "dataset__accessibility",
            "period",
        )
    )
    seen: dict[int, dict[str, Any]] = {}
    for r in releases:
        entry = seen.get(r["dataset_id"])
        if entry is None:
            entry = seen[r["dataset_id"]] = {
                "code": r["dataset__code"],
                "title": r["dataset__item__name"],
                "open": r["dataset__accessibility"] == Accessibility.OPEN,
                "periods": [],
            }
            target = rows.get(r["dataset__agency_id"])
            if target is not None:
                target["datasets"] += 1
                target["dataset_list"].append(entry)
        entry["periods"].append(r["period"])
    for agency_row in rows.all():
        agency_row["dataset_list"] = [
            {"code": d["code"], "title": d["title"], "periods": d["periods"]}
            for d in agency_row["dataset_list"]
            if d["open"]
        ]
    return len(seen)


def _publications(rows: AgencyRows, low: dt.datetime, until: dt.datetime) -> tuple[int, dict]:
    """Publications published in the window per agency; posts by channel kind, with links."""
    published = (
        Publication.objects.filter(published_at__gte=low, published_at__lt=until)
        .order_by()
        .values("agency_id")
        .annotate(n=Count("id"))
    )
    total = 0
    for g in published:
        target = rows.get(g["agency_id"])
        target["publications"] = g["n"]
        total += g["n"]
    posts_total = dict.fromkeys(CHANNELS, 0)
    posts = (
        Post.objects.filter(state=PostState.POSTED, posted_at__gte=low, posted_at__lt=until)
        .order_by("publication__agency__name", "posted_at", "pk")
        .values(
            "publication__agency_id",
            "publication__title",
            "publication__topic",
            "channel__kind",
            "channel__name",
            "url",
            "posted_at",
        )
    )
    for p in posts:
        target = rows.get(p["publication__agency_id"])
        kind = p["channel__kind"]
        target["posts"][kind] = target["posts"].get(kind, 0) + 1
        posts_total[kind] = posts_total.get(kind, 0) + 1
        target["links_total"] += 1
        if len(target["links"]) < LINKS_PER_AGENCY:
            target["links"].append(
                {
                    "title": p["publication__title"] or p["publication__topic"],
                    "channel": kind,
                    "channel_name": p["channel__name"],
                    "url": p["url"],
                    "posted_at": timezone.localtime(p["posted_at"]).isoformat(timespec="minutes"),
                }
            )
    return total, posts_total


def _tally(runs: list[tuple[dt.datetime, dt.datetime, dt.datetime | None]], now: dt.datetime):
    on_time = late = running = 0
    for _started, due, ended in runs:
        if (ended or now) > due:
            late += 1
        elif ended is None:
            running += 1
        else:
            on_time += 1
    return on_time, late, running


def _steps(
    rows: AgencyRows, low: dt.datetime, until: dt.datetime, now: dt.datetime
) -> list[dict[str, Any]]:
    """Per SOP step, the runs started in the window against the standard (Mutu Baku).

    Walidata's steps come from the cycles' runs, deadlines by each run's own SOP revision;
    producers' steps 4-6 from the publications' step clocks, also per agency.
    """
    current = {
        s["number"]: s
        for s in SopStep.objects.filter(sop__is_current=True).values(
            "number", "description", "time_amount", "time_unit"
        )
    }
    by_step: dict[int, list] = defaultdict(list)
    walidata_runs = (
        StepRun.objects.filter(started_at__gte=low, started_at__lt=until)
        .exclude(step__performer__in=AGENCY_ROLES)
        .values_list(
            "step__number", "started_at", "ended_at", "step__time_amount", "step__time_unit"
        )
    )
    for number, started, ended, amount, unit in walidata_runs:
        by_step[number].append((started, deadline(started, amount, unit), ended))
    agency_runs: dict[tuple[int, int], list] = defaultdict(list)
    publication_runs = PublicationStep.objects.filter(
        started_at__gte=low, started_at__lt=until
    ).values_list("publication__agency_id", "number", "started_at", "due_at", "ended_at")
    for agency_id, number, started, due, ended in publication_runs:
        by_step[number].append((started, due, ended))
        agency_runs[(agency_id, number)].append((started, due, ended))
    for (agency_id, number), runs in agency_runs.items():
        on_time, late, running = _tally(runs, now)
        rows.get(agency_id)["steps"][str(number)] = {
            "on_time": on_time,
            "late": late,
            "running": running,
        }
    lines = []
    for number in sorted(set(ALL_STEPS) | set(current) | set(by_step)):
        info = current.get(number)
        if info is not None:
            amount, unit, description = info["time_amount"], info["time_unit"], info["description"]
        elif number in DEFAULT_STANDARDS:
            (amount, unit), description = DEFAULT_STANDARDS[number], ""
        else:
            amount, unit, description = 0, "", ""
        on_time, late, running = _tally(by_step.get(number, []), now)
        done = on_time + late
        lines.append(
            {
                "number": number,
                "description": description,
                "amount": amount,
                "unit": unit,
                "runs": on_time + late + running,
                "on_time": on_time,
                "late": late,
                "running": running,
                "percent": round(100 * on_time / done, 1) if done else None,
            }
        )
    return lines


def _usage(
    rows: AgencyRows, period: Period, today: dt.date
) -> tuple[dict[str, int], list[dict[str, Any]], list[dict[str, Any]]]:
    """Views, downloads and API calls per agency and per month; the most used open datasets
    overall and per agency."""
    usage = DatasetUsage.objects.filter(
        day__gte=period.start, day__lte=min(period.end, today)
    ).order_by()
    sums = {"views": Sum("views"), "downloads": Sum("downloads"), "api_calls": Sum("api_calls")}
    totals = {"views": 0, "downloads": 0, "api_calls": 0}
    for g in usage.values("dataset__agency_id").annotate(**sums):
        target = rows.get(g["dataset__agency_id"])
        for key in totals:
            value = g[key] or 0
            totals[key] += value
            if target is not None:
                target["usage"][key] += value
    per_dataset = (
        usage.filter(dataset__accessibility=Accessibility.OPEN)
        .values("dataset_id", "dataset__code", "dataset__item__name", "dataset__agency_id")
        .annotate(**sums)
        .order_by("-views", "-downloads", "dataset__code")
    )
    top: list[dict[str, Any]] = []
    counted: dict[int, int] = defaultdict(int)
    for g in per_dataset:
        entry = {
            "code": g["dataset__code"],
            "title": g["dataset__item__name"],
            "agency_id": g["dataset__agency_id"],
            "views": g["views"] or 0,
            "downloads": g["downloads"] or 0,
            "api_calls": g["api_calls"] or 0,
        }
        if len(top) < TOP_DATASETS:
            top.append(entry)
        agency_id = g["dataset__agency_id"]
        if counted[agency_id] < TOP_PER_AGENCY:
            counted[agency_id] += 1
            target = rows.get(agency_id)
            if target is not None:
                target["top_datasets"].append(entry)
    months = []
    first = period.start.replace(day=1)
    while first <= period.end:
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        months.append((first, nxt))
        first = nxt
    by_month_q = {
        f"m{i}": Sum("views", filter=Q(day__gte=a, day__lt=b)) for i, (a, b) in enumerate(months)
    }
    by_month_d = {
        f"d{i}": Sum("downloads", filter=Q(day__gte=a, day__lt=b))
        for i, (a, b) in enumerate(months)
    }
    by_month_a = {
        f"a{i}": Sum("api_calls", filter=Q(day__gte=a, day__lt=b))
        for i, (a, b) in enumerate(months)
    }
    agg = usage.aggregate(**by_month_q, **by_month_d, **by_month_a)
    series = [
        {
            "month": a.strftime("%Y-%m"),
            "views": agg[f"m{i}"] or 0,
            "downloads": agg[f"d{i}"] or 0,
            "api_calls": agg[f"a{i}"] or 0,
        }
        for i, (a, _b) in enumerate(months)
    ]
    return totals, top, series


def _access(
    rows: AgencyRows, low: dt.datetime, until: dt.datetime, now: dt.datetime
) -> dict[str, Any]:
    """Requests for limited data received in the window and how they were handled."""
    requests = AccessRequest.objects.filter(created_at__gte=low, created_at__lt=until).values_list(
        "dataset__agency_id", "state", "created_at", "decided_at", "expires_at"
    )
    total = _empty_access()
    days_all: list[float] = []
    days_by: dict[int, list[float]] = defaultdict(list)
    for agency_id, state, created, decided, expires in requests:
        target = rows.get(agency_id)
        if state == AccessRequestState.APPROVED and expires is not None and expires <= now:
            state = AccessRequestState.EXPIRED
        key = {
            AccessRequestState.SUBMITTED: "pending",
            AccessRequestState.APPROVED: "approved",
            AccessRequestState.REFUSED: "refused",
            AccessRequestState.EXPIRED: "expired",
        }[AccessRequestState(state)]
        for bucket in (total, target["access"] if target else None):
            if bucket is not None:
                bucket["received"] += 1
                bucket[key] += 1
        if decided is not None:
            days = (decided - created).total_seconds() / 86400
            days_all.append(days)
            days_by[agency_id].append(days)
    if days_all:
        total["median_days"] = round(statistics.median(days_all), 1)
    for agency_id, days in days_by.items():
        target = rows.get(agency_id)
        if target is not None:
            target["access"]["median_days"] = round(statistics.median(days), 1)
    return total
