"""Walidata's dashboard: the figures of a year (or a part of it) across the SOP's seven steps.

Every figure is a grouped or conditional aggregate in the database, so the number of queries
is fixed (about twenty) whatever the number of agencies, items or days; only the SOP step runs
(a few hundred a year) are read row by row, because a working-day deadline and a median are
not SQL on SQLite.

Time-based figures (datasets listed, posts, portal use, access requests, step runs) count the
events inside the chosen window: a year, or a part of it (always whole months). Series "over
time" are per month of the chosen year. The fill figures follow the fill check (SOP step 1,
schedule.fill_check): by agency, the periods that END in the window, exactly as the step-1
page counts them; per month, the item-periods that FALL DUE in each month of the year.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.text import Truncator

from satudata.access.choices import AccessRequestState
from satudata.access.models import AccessRequest
from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.permissions import ALL_ITEMS_ROLES
from satudata.catalog.selectors import items_visible_to
from satudata.core.errors import NotAllowed
from satudata.portal.choices import DatasetState
from satudata.portal.models import Dataset, DatasetUsage
from satudata.publications.choices import ChannelKind, PostState, PublicationState
from satudata.publications.models import Post, Publication, PublicationStep
from satudata.publications.timing import DEFAULT_STANDARDS
from satudata.schedule.fill_check import (
    COMPLETE,
    STATUS_ORDER,
    AgencyFill,
    FillFilters,
    counts_by_agency,
    fill_states_ensure,
    fill_states_for,
    in_force_q,
    period_keys_ending_in,
    totals_of,
)
from satudata.schedule.models import FillState
from satudata.schedule.periods import Period
from satudata.schedule.selectors import accessibility_counts, with_fill_status
from satudata.sop.durations import deadline, duration_text, standard_text
from satudata.sop.models import SopStep, StepRun

MONTHS: tuple[int, ...] = tuple(range(1, 13))
# The steps producers run per publication (publications.PublicationStep); walidata's steps
# (1-3 and 7) are runs in the dissemination cycles (sop.StepRun).
PUBLICATION_STEPS: tuple[int, ...] = (4, 5, 6)
ACCESS_STATES: tuple[str, ...] = tuple(s.value for s in AccessRequestState)
CHANNEL_KINDS: tuple[str, ...] = tuple(k.value for k in ChannelKind)


# --- The window ---------------------------------------------------------------------------


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local day as an aware moment (Jember's day, not UTC's)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """What the dashboard is about: a year, or one of its months, quarters or semesters."""

    year: int
    period: Period | None = None

    @property
    def first_day(self) -> dt.date:
        return self.period.start if self.period else dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        return self.period.end if self.period else dt.date(self.year, 12, 31)

    @property
    def months(self) -> tuple[int, ...]:
        """The months of the year inside the window (a period is always whole months)."""
        return tuple(range(self.first_day.month, self.last_day.month + 1))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware moments: local midnight of the first day and after the last."""
        return local_midnight(self.first_day), local_midnight(self.last_day + dt.timedelta(days=1))


def _month_of(field_name: str, year: int, *, moments: bool) -> Case:
    """The month (1-12) of the year a date or moment falls in, as plain range tests.

    Range tests rather than ExtractMonth: on SQLite a date function is a Python call per row,
    and on a DateTimeField it would also need the time zone; comparisons use the indexes.
    """
    whens = []
    for month in MONTHS:
        start, end = month_start(year, month), month_start(year, month + 1)
        low: Any = local_midnight(start) if moments else start
        high: Any = local_midnight(end) if moments else end
        whens.append(
            When(**{f"{field_name}__gte": low, f"{field_name}__lt": high}, then=Value(month))
        )
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _year_q(field_name: str, year: int, *, moments: bool) -> Q:
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    if moments:
        return Q(
            **{
                f"{field_name}__gte": local_midnight(start),
                f"{field_name}__lt": local_midnight(end),
            }
        )
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


# --- Fill (SOP step 1) --------------------------------------------------------------------


@dataclass
class MonthFill:
    """The item-periods falling due in one month, by fill status."""

    month: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_ORDER, 0))
    scheduled: int = 0
    due: int = 0  # already due (the due date has passed)
    due_complete: int = 0

    @property
    def percent(self) -> float | None:
        """Share complete of those already due; None while nothing of the month is due."""
        return round(100 * self.due_complete / self.due, 1) if self.due else None


def _own_periods_q(years: range) -> Q:
    """Rows whose period belongs to the item's own periodicity (as the fill check counts):
    rows left behind by a change of periodicity are not scheduled any more."""
    scope = Q()
    for year in years:
        for kind, keys in period_keys_ending_in(year, None).items():
            scope |= Q(item__periodicity=kind, period__in=keys)
    return scope


def fill_by_month(*, user: Any, year: int, today: dt.date) -> list[MonthFill]:
    """Per month of the year, the item-periods of the decree in force that fall due in it.

    A due date may lie up to a year after its period ends (annual data of the year before
    falls due in March), so periods of the two years before count too.
    """
    states = FillState.objects.filter(
        in_force_q(),
        _own_periods_q(range(year - 2, year + 1)),
        _year_q("due_date", year, moments=False),
    )
    if user_role(user) not in ALL_ITEMS_ROLES:
        states = states.filter(item__in=items_visible_to(user).values("pk"))
    due_dates = list(states.order_by().values_list("due_date", flat=True).distinct())
    grouped = (
        with_fill_status(states, today, due_dates=due_dates)
        .annotate(
            month=_month_of("due_date", year, moments=False),
            past_due=Case(
                When(due_date__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by()
        .values("month", "status", "past_due")
        .annotate(n=Count("id"))
    )
    months = {m: MonthFill(m) for m in MONTHS}
    for g in grouped:
        row = months.get(g["month"])
        if row is None:
            continue
        row.counts[g["status"]] += g["n"]
        row.scheduled += g["n"]
        if g["past_due"]:
            row.due += g["n"]
            if g["status"] in COMPLETE:
                row.due_complete += g["n"]
    return [months[m] for m in MONTHS]


# --- Lateness by step (SOP steps 1-7) -----------------------------------------------------


@dataclass
class StepLateness:
    """How one step's runs in the window went against its service standard (Mutu Baku)."""

    number: int
    label: str
    standard: str  # the standard time in words ("1 working day")
    on_time: int = 0  # ended by the deadline
    late: int = 0  # ended after it, or still running past it
    running: int = 0  # still running, not yet late
    median_actual: dt.timedelta | None = None  # of the runs that ended
    median_standard: dt.timedelta | None = None  # the allowed span (working days vary)

    @property
    def runs(self) -> int:
        return self.on_time + self.late + self.running

    @property
    def late_percent(self) -> float | None:
        done = self.on_time + self.late
        return round(100 * self.late / done, 1) if done else None

    @property
    def actual_text(self) -> str:
        return duration_text(self.median_actual) if self.median_actual is not None else ""

    @property
    def standard_span_text(self) -> str:
        return duration_text(self.median_standard) if self.median_standard is not None else ""


def _tally(
    line: StepLateness,
    runs: list[tuple[dt.datetime, dt.datetime, dt.datetime | None]],
    now: dt.datetime,
) -> None:
    """Count (started, due, ended) runs on time / late / running and take the medians."""
    actual, allowed = [], []
    for started, due, ended in runs:
        if (ended or now) > due:
            line.late += 1
        elif ended is None:
            line.running += 1
        else:
            line.on_time += 1
        if ended is not None:
            actual.append(ended - started)
        allowed.append(due - started)
    if actual:
        line.median_actual = statistics.median(actual)
    if allowed:
        line.median_standard = statistics.median(allowed)


def step_lateness(*, window: Window, now: dt.datetime) -> list[StepLateness]:
    """Per SOP step, the runs that started in the window: on time, late, running, medians.

    Walidata's steps come from the dissemination cycles' runs; the producers' steps 4-6 from
    the publications' own step clocks (one per publication, a returned draft runs 4 again).
    """
    low, high = window.bounds()
    current = {
        s["number"]: s
        for s in SopStep.objects.filter(sop__is_current=True).values(
            "number", "description", "time_amount", "time_unit"
        )
    }
    by_step: dict[int, list[tuple[dt.datetime, dt.datetime, dt.datetime | None]]] = {}
    walidata_runs = (
        StepRun.objects.filter(started_at__gte=low, started_at__lt=high)
        .exclude(step__performer__in=AGENCY_ROLES)
        .values_list(
            "step__number", "started_at", "ended_at", "step__time_amount", "step__time_unit"
        )
    )
    for number, started, ended, amount, unit in walidata_runs:
        # The deadline by the run's own SOP revision: a later revision does not rewrite it.
        due = deadline(started, amount, unit)
        by_step.setdefault(number, []).append((started, due, ended))
    publication_runs = PublicationStep.objects.filter(
        started_at__gte=low, started_at__lt=high
    ).values_list("number", "started_at", "due_at", "ended_at")
    for number, started, due, ended in publication_runs:
        by_step.setdefault(number, []).append((started, due, ended))

    lines = []
    for number in sorted(set(current) | set(by_step) | set(PUBLICATION_STEPS)):
        step = current.get(number)
        if step is not None:
            label = Truncator(step["description"]).chars(70)
            standard = standard_text(step["time_amount"], step["time_unit"])
        elif number in DEFAULT_STANDARDS:
            label = ""
            standard = standard_text(*DEFAULT_STANDARDS[number])
        else:
            label, standard = "", ""
        line = StepLateness(number=number, label=label, standard=standard)
        _tally(line, by_step.get(number, []), now)
        lines.append(line)
    return lines


# --- The portal (SOP step 3): datasets, use, access requests --------------------------------


@dataclass
class DatasetFigures:
    """Datasets on the portal now, and those first listed in each month of the year."""

    listed_open: int
    listed_limited: int
    embargoed: int  # published, listed only when its first release comes
    withdrawn: int
    new_by_month: dict[int, int]
    new_in_window: int

    @property
    def listed(self) -> int:
        return self.listed_open + self.listed_limited


def dataset_figures(*, window: Window, now: dt.datetime) -> DatasetFigures:
    """One aggregate query over the datasets."""
    published = Q(state=DatasetState.PUBLISHED)
    listed = published & Q(listed_at__lte=now)
    months = {}
    for month in MONTHS:
        start = local_midnight(month_start(window.year, month))
        end = local_midnight(month_start(window.year, month + 1))
        if start < now:  # a month still to come has nothing listed yet
            months[f"m{month}"] = Count(
                "id", filter=Q(listed_at__gte=start, listed_at__lt=min(end, now))
            )
    counts = Dataset.objects.aggregate(
        listed_open=Count("id", filter=listed & Q(accessibility=Accessibility.OPEN)),
        listed_limited=Count("id", filter=listed & Q(accessibility=Accessibility.LIMITED)),
        embargoed=Count("id", filter=published & Q(listed_at__gt=now)),
        withdrawn=Count("id", filter=Q(state=DatasetState.WITHDRAWN)),
        **months,
    )
    new_by_month = {m: int(counts.get(f"m{m}") or 0) for m in MONTHS}
    return DatasetFigures(
        listed_open=counts["listed_open"],
        listed_limited=counts["listed_limited"],
        embargoed=counts["embargoed"],
        withdrawn=counts["withdrawn"],
        new_by_month=new_by_month,
        new_in_window=sum(new_by_month[m] for m in window.months),
    )


@dataclass
class MonthUse:
    """Portal use in one month: dataset page views, file downloads, API calls."""

    month: int
    views: int = 0
    downloads: int = 0
    api_calls: int = 0

    @property
    def total(self) -> int:
        return self.views + self.downloads + self.api_calls


def portal_use(*, year: int) -> list[MonthUse]:
    """Per month of the year, the sums of the daily usage counters.

    Grouped by day in SQL (at most 366 rows back) and added up by month here: cheaper than a
    month expression on each of the year's rows (hundreds of thousands at scale).
    """
    months = {m: MonthUse(m) for m in MONTHS}
    days = (
        DatasetUsage.objects.filter(_year_q("day", year, moments=False))
        .order_by()
        .values_list("day")
        .annotate(Sum("views"), Sum("downloads"), Sum("api_calls"))
    )
    for day, views, downloads, api_calls in days:
        row = months[day.month]
        row.views += int(views or 0)
        row.downloads += int(downloads or 0)
        row.api_calls += int(api_calls or 0)
    return [months[m] for m in MONTHS]


def access_by_state(*, window: Window, now: dt.datetime) -> dict[str, int]:
    """Requests for limited data made in the window, by state as people read it (an approval
    past its expiry counts as expired)."""
    low, high = window.bounds()
    shown = Case(
        When(
            state=AccessRequestState.APPROVED,
            expires_at__lte=now,
            then=Value(AccessRequestState.EXPIRED.value),
        ),
        default=F("state"),
        output_field=CharField(),
    )
    counts = dict.fromkeys(ACCESS_STATES, 0)
    rows = (
        AccessRequest.objects.filter(created_at__gte=low, created_at__lt=high)
        .annotate(shown=shown)
        .order_by()
        .values_list("shown")
        .annotate(n=Count("id"))
    )
    for state, n in rows:
        counts[state] = counts.get(state, 0) + n
    return counts


# --- Publications (SOP steps 4-6) ----------------------------------------------------------


@dataclass
class ChannelCount:
    kind: str
    label: str
    posts: int
    publications: int


def posts_by_channel(*, window: Window) -> list[ChannelCount]:
    """Posts made in the window, by kind of channel (every kind listed, zero when unused)."""
    low, high = window.bounds()
    rows = (
        Post.objects.filter(state=PostState.POSTED, posted_at__gte=low, posted_at__lt=high)
        .order_by()
        .values("channel__kind")
        .annotate(posts=Count("id"), publications=Count("publication_id", distinct=True))
    )
    found = {r["channel__kind"]: r for r in rows}
    return [
        ChannelCount(
            kind=kind,
            label=str(ChannelKind(kind).label),
            posts=found.get(kind, {}).get("posts", 0),
            publications=found.get(kind, {}).get("publications", 0),
        )
        for kind in CHANNEL_KINDS
    ]


def publications_published(*, window: Window) -> int:
    low, high = window.bounds()
    return Publication.objects.filter(
        state=PublicationState.PUBLISHED, published_at__gte=low, published_at__lt=high
    ).count()


# --- The whole dashboard -------------------------------------------------------------------


@dataclass
class Dashboard:
    """Every figure of the page, for one window."""

    window: Window
    today: dt.date
    decree: DataListDecree | None
    agency_fill: list[AgencyFill]
    fill_total: AgencyFill
    fill_months: list[MonthFill]
    accessibility: dict[str, int]
    steps: list[StepLateness]
    datasets: DatasetFigures
    channels: list[ChannelCount]
    published: int
    use: list[MonthUse]
    access: dict[str, int]

    @property
    def use_in_window(self) -> MonthUse:
        total = MonthUse(0)
        for row in self.use:
            if row.month in self.window.months:
                total.views += row.views
                total.downloads += row.downloads
                total.api_calls += row.api_calls
        return total

    @property
    def posts_total(self) -> int:
        return sum(c.posts for c in self.channels)

    @property
    def access_total(self) -> int:
        return sum(self.access.values())

    @property
    def has_fill_months(self) -> bool:
        return any(m.scheduled for m in self.fill_months)

    @property
    def has_steps(self) -> bool:
        return any(s.runs for s in self.steps)

    @property
    def has_use(self) -> bool:
        return any(m.total for m in self.use)


def decree_items(*, user: Any, decree: DataListDecree) -> QuerySet:
    items = DataItem.objects.filter(decree=decree)
    if user_role(user) not in ALL_ITEMS_ROLES:
        items = items.filter(pk__in=items_visible_to(user).values("pk"))
    return items


def dashboard_for(
    *, user: Any, window: Window, today: dt.date | None = None, now: dt.datetime | None = None
) -> Dashboard:
    """The dashboard's figures as this user may see them (walidata, supervisor, admin)."""
    if not can(user, Action.DASHBOARD_VIEW):
        raise NotAllowed("dashboard")
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    # As the step-1 page: the year's fill states are made first when some are missing.
    decree = fill_states_ensure(window.year)
    agency_fill: list[AgencyFill] = []
    accessibility = {a.value: 0 for a in Accessibility} | {"total": 0}
    if decree is not None:
        states = fill_states_for(
            user=user,
            decree=decree,
            filters=FillFilters(year=window.year, period=window.period),
            today=today,
        )
        agency_fill = counts_by_agency(states, sort="agency")
        accessibility = accessibility_counts(decree_items(user=user, decree=decree))
    return Dashboard(
        window=window,
        today=today,
        decree=decree,
        agency_fill=agency_fill,
        fill_total=totals_of(agency_fill),
        fill_months=fill_by_month(user=user, year=window.year, today=today),
        accessibility=accessibility,
        steps=step_lateness(window=window, now=now),
        datasets=dataset_figures(window=window, now=now),
        channels=posts_by_channel(window=window),
        published=publications_published(window=window),
        use=portal_use(year=window.year),
        access=access_by_state(window=window, now=now),
    )
