"""The report's tables, defined once from its figures (`Report.data`) for every output.

The page, the PDF, the XLSX (one sheet per table) and the DOCX all print these same tables,
so a figure cannot differ between them. Titles and headings are translated in the language
active when they are built (the renderers use the installation's default language).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.catalog.choices import Accessibility, Periodicity
from satudata.publications.choices import ChannelKind
from satudata.schedule.choices import FillStatus
from satudata.schedule.fill_check import STATUS_ORDER
from satudata.schedule.periods import Period
from satudata.sop.durations import standard_text

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass
class Table:
    """One table of the report: a title, a sheet name (<= 31 characters), headings and rows."""

    key: str
    title: str
    sheet: str
    columns: list[str]
    rows: list[list[Any]]
    # Columns holding numbers (right-aligned, numeric cells in the XLSX).
    numeric: set[int] = field(default_factory=set)
    # Column holding a link (shown as one in the XLSX and the page).
    link: int | None = None


def period_label(key: str) -> str:
    """ "Tahun 2026", "Semester 1 2026", "Triwulan III 2026", "November 2026"."""
    period = Period.parse(key)
    if period.periodicity == Periodicity.ANNUAL:
        return _("Year %(year)s") % {"year": period.year}
    if period.periodicity == Periodicity.SEMESTER:
        return _("Semester %(n)s %(year)s") % {"n": period.index, "year": period.year}
    if period.periodicity == Periodicity.QUARTERLY:
        return _("Quarter %(n)s %(year)s") % {"n": ROMAN[period.index], "year": period.year}
    return date_format(period.start, "F Y")


def day_text(value: str | dt.date | None) -> str:
    """An ISO date or moment as "19 Januari 2026"."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return date_format(value, "j F Y")


def moment_text(value: str) -> str:
    """An ISO moment (local time) as "19 Januari 2026 09.30"."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    return f"{date_format(moment.date(), 'j F Y')} {moment:%H.%M}"


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%".replace(".", ",")


def status_labels() -> dict[str, str]:
    return {
        FillStatus.FILLED: _("Filled on time"),
        FillStatus.FILLED_LATE: _("Filled late"),
        FillStatus.PARTIAL: _("Partly filled"),
        FillStatus.MISSING: _("Missing"),
        FillStatus.NOT_DUE: _("Not yet due"),
    }


def class_labels() -> dict[str, str]:
    return {a.value: str(a.label) for a in Accessibility}


def channel_labels() -> dict[str, str]:
    return {k.value: str(k.label) for k in ChannelKind}


def step_standard(step: dict[str, Any]) -> str:
    return standard_text(step["amount"], step["unit"]) if step.get("unit") else ""


def summary_pairs(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """The headline figures, label and value."""
    s = data["summary"]
    fill = s["fill"]
    return [
        (_("Agencies"), s["agencies"]),
        (_("Items on the data list"), s["items"]["total"]),
        (_("Open items"), s["items"]["open"]),
        (_("Limited items"), s["items"]["limited"]),
        (_("Closed items"), s["items"]["closed"]),
        (_("Item-periods scheduled"), fill["scheduled"]),
        (_("Filled on time"), fill[FillStatus.FILLED]),
        (_("Filled late"), fill[FillStatus.FILLED_LATE]),
        (_("Partly filled"), fill[FillStatus.PARTIAL]),
        (_("Missing"), fill[FillStatus.MISSING]),
        (_("Not yet due"), fill[FillStatus.NOT_DUE]),
        (_("Complete of those due"), percent_text(fill["percent"])),
        (_("Datasets released on the portal"), s["datasets"]),
        (_("Publications published"), s["publications"]),
        (_("Posts on channels"), sum(s["posts"].values())),
        (_("Portal views"), s["usage"]["views"]),
        (_("Downloads"), s["usage"]["downloads"]),
        (_("API calls"), s["usage"]["api_calls"]),
        (_("Access requests received"), s["access"]["received"]),
        (_("Access requests approved"), s["access"]["approved"]),
        (_("Access requests refused"), s["access"]["refused"]),
        (_("Access requests awaiting a decision"), s["access"]["pending"]),
    ]


def report_tables(data: dict[str, Any]) -> list[Table]:
    """Every table of the report, in the order the PDF prints them."""
    s = data["summary"]
    agencies = data["agencies"]
    statuses = status_labels()
    classes = class_labels()
    channels = channel_labels()
    tables = [
        Table(
            "summary",
            _("Summary"),
            _("Summary"),
            [_("Figure"), _("Value")],
            [[label, value] for label, value in summary_pairs(data)],
            {1},
        ),
        Table(
            "items",
            _("Data list by agency and accessibility"),
            _("Data list"),
            [_("Agency"), *(classes[c] for c in classes), _("Total")],
            [[a["name"], *(a["items"][c] for c in classes), a["items"]["total"]] for a in agencies],
            {1, 2, 3, 4},
        ),
        Table(
            "fill",
            _("Fill state against the release schedule by agency"),
            _("Fill state"),
            [
                _("Agency"),
                _("Scheduled"),
                *(statuses[st] for st in STATUS_ORDER),
                _("Complete of those due"),
            ],
            [
                [
                    a["name"],
                    a["fill"]["scheduled"],
                    *(a["fill"][st] for st in STATUS_ORDER),
                    percent_text(a["fill"]["percent"]),
                ]
                for a in agencies
                if a["fill"]["scheduled"]
            ],
            set(range(1, 2 + len(STATUS_ORDER))),
        ),
        Table(
            "fill_class",
            _("Fill state by accessibility class"),
            _("Fill by class"),
            [_("Accessibility"), _("Scheduled"), *(statuses[st] for st in STATUS_ORDER)],
            [
                [
                    classes[c],
                    s["fill_by_class"][c]["scheduled"],
                    *(s["fill_by_class"][c][st] for st in STATUS_ORDER),
                ]
                for c in classes
            ],
            set(range(1, 2 + len(STATUS_ORDER))),
        ),
        Table(
            "datasets",
            _("Open datasets released on the portal"),
            _("Datasets"),
            [_("Agency"), _("Code"), _("Dataset"), _("Periods released")],
            [
                [a["name"], d["code"], d["title"], ", ".join(d["periods"])]
                for a in agencies
                for d in a["dataset_list"]
            ],
        ),
        Table(
            "publications",
            _("Publications by channel"),
            _("Publications"),
            [_("Agency"), _("Publications"), *(channels[k] for k in channels)],
            [
                [a["name"], a["publications"], *(a["posts"].get(k, 0) for k in channels)]
                for a in agencies
                if a["publications"] or any(a["posts"].values())
            ],
            set(range(1, 2 + len(channels))),
        ),
        Table(
            "links",
            _("Links to the publications"),
            _("Publication links"),
            [_("Agency"), _("Title"), _("Channel"), _("Posted at"), _("Link")],
            [
                [
                    a["name"],
                    link["title"],
                    channels.get(link["channel"], link["channel"]),
                    moment_text(link["posted_at"]),
                    link["url"],
                ]
                for a in agencies
                for link in a["links"]
            ],
            link=4,
        ),
        Table(
            "steps",
            _("Service standard compliance per SOP step"),
            _("Service standards"),
            [
                _("Step"),
                _("Procedure"),
                _("Standard time"),
                _("Runs"),
                _("On time"),
                _("Late"),
                _("Running"),
                _("On time (%)"),
            ],
            [
                [
                    st["number"],
                    st["description"],
                    step_standard(st),
                    st["runs"],
                    st["on_time"],
                    st["late"],
                    st["running"],
                    percent_text(st["percent"]),
                ]
                for st in s["steps"]
            ],
            {0, 3, 4, 5, 6, 7},
        ),
        Table(
            "steps_agency",
            _("Service standard compliance of steps 4-6 by agency"),
            _("Standards by agency"),
            [
                _("Agency"),
                *(
                    label % {"n": n}
                    for n in ("4", "5", "6")
                    for label in (_("Step %(n)s on time"), _("Step %(n)s late"))
                ),
            ],
            [
                [
                    a["name"],
                    *(a["steps"][n][key] for n in ("4", "5", "6") for key in ("on_time", "late")),
                ]
                for a in agencies
                if any(sum(v.values()) for v in a["steps"].values())
            ],
            set(range(1, 7)),
        ),
        Table(
            "usage",
            _("Portal use by agency"),
            _("Portal use"),
            [_("Agency"), _("Views"), _("Downloads"), _("API calls")],
            [
                [a["name"], a["usage"]["views"], a["usage"]["downloads"], a["usage"]["api_calls"]]
                for a in agencies
                if any(a["usage"].values())
            ],
            {1, 2, 3},
        ),
        Table(
            "usage_month",
            _("Portal use by month"),
            _("Use by month"),
            [_("Month"), _("Views"), _("Downloads"), _("API calls")],
            [
                [
                    date_format(dt.date.fromisoformat(m["month"] + "-01"), "F Y"),
                    m["views"],
                    m["downloads"],
                    m["api_calls"],
                ]
                for m in s["usage_by_month"]
            ],
            {1, 2, 3},
        ),
        Table(
            "top",
            _("Most used open datasets"),
            _("Top datasets"),
            [_("Rank"), _("Code"), _("Dataset"), _("Agency"), _("Views"), _("Downloads")],
            [
                [
                    i,
                    d["code"],
                    d["title"],
                    _agency_name(agencies, d["agency_id"]),
                    d["views"],
                    d["downloads"],
                ]
                for i, d in enumerate(s["top_datasets"], start=1)
            ],
            {0, 4, 5},
        ),
        Table(
            "access",
            _("Requests for limited data and how they were handled"),
            _("Access requests"),
            [
                _("Agency"),
                _("Received"),
                _("Approved"),
                _("Refused"),
                _("Awaiting a decision"),
                _("Expired"),
                _("Median days to decide"),
            ],
            [
                [
                    a["name"],
                    a["access"]["received"],
                    a["access"]["approved"],
                    a["access"]["refused"],
                    a["access"]["pending"],
                    a["access"]["expired"],
                    "–"
                    if a["access"]["median_days"] is None
                    else str(a["access"]["median_days"]).replace(".", ","),
                ]
                for a in agencies
                if a["access"]["received"]
            ],
            {1, 2, 3, 4, 5, 6},
        ),
    ]
    return tables


def _agency_name(agencies: list[dict[str, Any]], agency_id: int | None) -> str:
    for a in agencies:
        if a["id"] == agency_id:
            return a["name"]
    return ""


def agency_pairs(agency: dict[str, Any]) -> list[tuple[str, Any]]:
    """One agency's figures, label and value (its section of the report)."""
    fill = agency["fill"]
    statuses = status_labels()
    channels = channel_labels()
    posts = ", ".join(f"{channels[k]} {n}" for k, n in agency["posts"].items() if n) or "0"
    steps = "; ".join(
        _("step %(n)s: %(on_time)s on time, %(late)s late")
        % {"n": n, "on_time": v["on_time"], "late": v["late"]}
        for n, v in agency["steps"].items()
        if sum(v.values())
    )
    access = agency["access"]
    return [
        (
            _("Data list"),
            _("%(total)s items (open %(open)s, limited %(limited)s, closed %(closed)s)")
            % agency["items"],
        ),
        (_("Item-periods scheduled"), fill["scheduled"]),
        *((statuses[st], fill[st]) for st in STATUS_ORDER),
        (_("Complete of those due"), percent_text(fill["percent"])),
        (_("Datasets released on the portal"), agency["datasets"]),
        (_("Publications published"), agency["publications"]),
        (_("Posts by channel"), posts),
        (_("Service standards (steps 4-6)"), steps or "–"),
        (
            _("Portal use"),
            _("%(views)s views, %(downloads)s downloads, %(api_calls)s API calls")
            % agency["usage"],
        ),
        (
            _("Access requests"),
            _(
                "%(received)s received: %(approved)s approved, %(refused)s refused, "
                "%(pending)s awaiting a decision"
            )
            % access,
        ),
    ]
