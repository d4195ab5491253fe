"""Vega-Lite specs of the dashboard's charts, built from the figures (reports.dashboard).

The charts only picture the numbers: each sits beside a table holding the same figures, which
is what a screen reader, a printout or a browser without JavaScript gets. A chart with nothing
to draw is None (the page then says there is no data).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.access.choices import AccessRequestState
from satudata.catalog.choices import Accessibility
from satudata.reports.dashboard import (
    ACCESS_STATES,
    ChannelCount,
    Dashboard,
    DatasetFigures,
    MonthFill,
    MonthUse,
    StepLateness,
)
from satudata.schedule.choices import FillStatus
from satudata.schedule.fill_check import STATUS_ORDER, AgencyFill

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# The colours of the step-1 page (static/satudata/step1.css) and of the classes (app.css).
STATUS_COLOURS = {
    FillStatus.FILLED: "#1e7b34",
    FillStatus.FILLED_LATE: "#8a6d00",
    FillStatus.PARTIAL: "#b35c00",
    FillStatus.MISSING: "#b3261e",
    FillStatus.NOT_DUE: "#5f6b7a",
}
CLASS_COLOURS = {
    Accessibility.OPEN: "#1f7a3a",
    Accessibility.LIMITED: "#9a6400",
    Accessibility.CLOSED: "#a12828",
}
BRAND = "#0b5c8c"
ON_TIME, LATE, RUNNING = "#1e7b34", "#b3261e", "#5f6b7a"


def month_label(year: int, month: int, fmt: str = "M") -> str:
    """A month's name in the interface language ("Mei", or "Mei 2026" with "F Y")."""
    return date_format(dt.date(year, month, 1), fmt)


def _base(description: str, **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": "container",
        "background": None,
        "config": {
            "font": "system-ui, sans-serif",
            "axis": {"labelLimit": 200},
            # Two columns of the legend fit a 360-pixel phone.
            "legend": {"orient": "bottom", "columns": 2, "labelLimit": 150},
        },
    }
    spec.update(extra)
    return spec


def _colour(field: str, title: str, domain: list[str], colours: list[str]) -> dict[str, Any]:
    return {
        "field": field,
        "type": "nominal",
        "title": title,
        "scale": {"domain": domain, "range": colours},
        "sort": domain,
    }


# Counts are whole numbers: no "0.5" ticks on a small axis.
COUNT_AXIS: dict[str, Any] = {"tickMinStep": 1, "format": ",d"}


def _months_axis(year: int, months: list[int]) -> dict[str, Any]:
    """Every month of the year on the axis, those without data too."""
    labels = [month_label(year, m) for m in months]
    return {
        "field": "month",
        "type": "ordinal",
        "sort": labels,
        "scale": {"domain": labels},
        "title": None,
        "axis": {"labelAngle": 0, "labelOverlap": True},
    }


def _stacked_order() -> dict[str, Any]:
    return {"field": "order", "type": "quantitative"}


def agency_fill_spec(rows: list[AgencyFill]) -> dict[str, Any] | None:
    """Horizontal stacked bars: each agency's scheduled item-periods by fill status."""
    if not any(r.scheduled for r in rows):
        return None
    labels = [str(FillStatus(s).label) for s in STATUS_ORDER]
    values = [
        {"agency": row.agency_name, "status": label, "n": row.counts[status], "order": i}
        for row in rows
        for i, (status, label) in enumerate(zip(STATUS_ORDER, labels, strict=True))
        if row.counts[status]
    ]
    title = _("Item-periods")
    return _base(
        _("Scheduled item-periods of each producer by fill status"),
        height={"step": 18},
        data={"values": values},
        mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {"field": "agency", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "n",
                "type": "quantitative",
                "stack": True,
                "title": title,
                "axis": COUNT_AXIS,
            },
            "color": _colour(
                "status", _("Fill status"), labels, [STATUS_COLOURS[s] for s in STATUS_ORDER]
            ),
            "order": _stacked_order(),
            "tooltip": [
                {"field": "agency", "title": _("Producer")},
                {"field": "status", "title": _("Fill status")},
                {"field": "n", "title": title, "format": ",d"},
            ],
        },
    )


def fill_months_spec(year: int, months: list[MonthFill]) -> dict[str, Any] | None:
    """Stacked columns: the item-periods falling due in each month, by fill status."""
    if not any(m.scheduled for m in months):
        return None
    labels = [str(FillStatus(s).label) for s in STATUS_ORDER]
    values = [
        {"month": month_label(year, m.month), "status": label, "n": m.counts[status], "order": i}
        for m in months
        for i, (status, label) in enumerate(zip(STATUS_ORDER, labels, strict=True))
        if m.counts[status]
    ]
    title = _("Item-periods falling due")
    return _base(
        _("Item-periods falling due in each month of %(year)s by fill status") % {"year": year},
        height=220,
        data={"values": values},
        mark={"type": "bar", "tooltip": True},
        encoding={
            "x": _months_axis(year, [m.month for m in months]),
            "y": {
                "field": "n",
                "type": "quantitative",
                "stack": True,
                "title": title,
                "axis": COUNT_AXIS,
            },
            "color": _colour(
                "status", _("Fill status"), labels, [STATUS_COLOURS[s] for s in STATUS_ORDER]
            ),
            "order": _stacked_order(),
            "tooltip": [
                {"field": "month", "title": _("Month")},
                {"field": "status", "title": _("Fill status")},
                {"field": "n", "title": title, "format": ",d"},
            ],
        },
    )


def _bars(
    description: str,
    rows: list[tuple[str, int]],
    *,
    title: str,
    category: str,
    colours: list[str] | None = None,
    horizontal: bool = False,
) -> dict[str, Any] | None:
    """Simple bars of (label, count), in the given order."""
    if not any(n for _label, n in rows):
        return None
    domain = [label for label, _n in rows]
    label_axis = {
        "field": "label",
        "type": "nominal",
        "sort": domain,
        "title": None,
        "axis": {"labelAngle": 0} if not horizontal else {},
    }
    count_axis = {"field": "n", "type": "quantitative", "title": title, "axis": COUNT_AXIS}
    encoding: dict[str, Any] = {
        "x": count_axis if horizontal else label_axis,
        "y": label_axis if horizontal else count_axis,
        "tooltip": [
            {"field": "label", "title": category},
            {"field": "n", "title": title, "format": ",d"},
        ],
    }
    mark: dict[str, Any] = {"type": "bar", "tooltip": True}
    if colours:
        encoding["color"] = {
            "field": "label",
            "type": "nominal",
            "scale": {"domain": domain, "range": colours},
            "legend": None,
        }
    else:
        mark["color"] = BRAND
    return _base(
        description,
        height={"step": 26} if horizontal else 200,
        data={"values": [{"label": label, "n": n} for label, n in rows]},
        mark=mark,
        encoding=encoding,
    )


def accessibility_spec(counts: dict[str, int]) -> dict[str, Any] | None:
    classes = list(Accessibility)
    return _bars(
        _("Items of the data list by accessibility class"),
        [(str(c.label), counts.get(c.value, 0)) for c in classes],
        title=_("Items"),
        category=_("Accessibility"),
        colours=[CLASS_COLOURS[c] for c in classes],
    )


def steps_spec(steps: list[StepLateness]) -> dict[str, Any] | None:
    """Horizontal stacked bars: each step's runs on time, late and still running."""
    if not any(s.runs for s in steps):
        return None
    outcomes = [(_("On time"), ON_TIME, "on_time"), (_("Late"), LATE, "late")]
    outcomes.append((_("Running"), RUNNING, "running"))
    values = [
        {
            "step": _("Step %(n)s") % {"n": s.number},
            "outcome": label,
            "n": getattr(s, attr),
            "order": i,
        }
        for s in steps
        for i, (label, _colour_value, attr) in enumerate(outcomes)
        if getattr(s, attr)
    ]
    title = _("Runs")
    domain = [label for label, _c, _a in outcomes]
    return _base(
        _("Runs of each SOP step: on time, late, still running"),
        height={"step": 24},
        data={"values": values},
        mark={"type": "bar", "tooltip": True},
        encoding={
            "y": {
                "field": "step",
                "type": "nominal",
                "sort": [_("Step %(n)s") % {"n": s.number} for s in steps],
                "title": None,
            },
            "x": {
                "field": "n",
                "type": "quantitative",
                "stack": True,
                "title": title,
                "axis": COUNT_AXIS,
            },
            "color": _colour("outcome", _("Outcome"), domain, [c for _l, c, _a in outcomes]),
            "order": _stacked_order(),
            "tooltip": [
                {"field": "step", "title": _("Step")},
                {"field": "outcome", "title": _("Outcome")},
                {"field": "n", "title": title, "format": ",d"},
            ],
        },
    )


def datasets_spec(year: int, datasets: DatasetFigures) -> dict[str, Any] | None:
    return _bars(
        _("Datasets first listed on the portal in each month of %(year)s") % {"year": year},
        [(month_label(year, m), n) for m, n in datasets.new_by_month.items()],
        title=_("Datasets listed"),
        category=_("Month"),
    )


def channels_spec(channels: list[ChannelCount]) -> dict[str, Any] | None:
    return _bars(
        _("Posts made on each kind of channel"),
        [(c.label, c.posts) for c in channels],
        title=_("Posts"),
        category=_("Channel"),
        horizontal=True,
    )


def use_spec(year: int, use: list[MonthUse]) -> dict[str, Any] | None:
    """Lines per month: page views, downloads and API calls."""
    if not any(m.total for m in use):
        return None
    measures = [(_("Views"), "views"), (_("Downloads"), "downloads"), (_("API calls"), "api_calls")]
    values = [
        {"month": month_label(year, m.month), "measure": label, "n": getattr(m, attr)}
        for m in use
        for label, attr in measures
    ]
    title = _("Count")
    return _base(
        _("Portal use in each month of %(year)s: views, downloads and API calls") % {"year": year},
        height=220,
        data={"values": values},
        mark={"type": "line", "point": True, "tooltip": True},
        encoding={
            "x": _months_axis(year, [m.month for m in use]),
            "y": {"field": "n", "type": "quantitative", "title": title, "axis": COUNT_AXIS},
            "color": _colour(
                "measure",
                _("Use"),
                [label for label, _a in measures],
                [BRAND, "#1e7b34", "#8a6d00"],
            ),
            "tooltip": [
                {"field": "month", "title": _("Month")},
                {"field": "measure", "title": _("Use")},
                {"field": "n", "title": title, "format": ",d"},
            ],
        },
    )


def access_spec(access: dict[str, int]) -> dict[str, Any] | None:
    return _bars(
        _("Requests for limited data by state"),
        [(str(AccessRequestState(s).label), access.get(s, 0)) for s in ACCESS_STATES],
        title=_("Requests"),
        category=_("State"),
        colours=["#5f6b7a", "#1e7b34", "#b3261e", "#8a6d00"],
    )


def chart_specs(board: Dashboard) -> dict[str, dict[str, Any] | None]:
    """Every chart of the page by name (None: nothing to draw)."""
    year = board.window.year
    return {
        "agency_fill": agency_fill_spec(board.agency_fill),
        "fill_months": fill_months_spec(year, board.fill_months),
        "accessibility": accessibility_spec(board.accessibility),
        "steps": steps_spec(board.steps),
        "datasets": datasets_spec(year, board.datasets),
        "channels": channels_spec(board.channels),
        "use": use_spec(year, board.use),
        "access": access_spec(board.access),
    }
