"""The report's charts: Vega-Lite specs from its figures, drawn on the server by vl-convert.

The same specs are drawn as SVG for the PDF (vector, sharp in print) and as PNG for the DOCX
(Word shows SVG poorly). Colours are the fill-check page's, so a status reads the same
everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.reports.tables import channel_labels, class_labels, status_labels
from satudata.schedule.fill_check import STATUS_ORDER

WIDTH = 440
STATUS_COLOURS = ["#2e7d32", "#f9a825", "#fb8c00", "#c62828", "#9e9e9e"]
FONT = "sans-serif"
# Counts have whole-number ticks only (no "0.5 publications").
COUNT_AXIS = {"format": "d", "tickMinStep": 1}


@dataclass
class Chart:
    key: str
    title: str
    spec: dict[str, Any]


def _base(values: list[dict[str, Any]], **spec: Any) -> dict[str, Any]:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "width": WIDTH,
        "background": "white",
        "config": {
            "font": FONT,
            "axis": {"labelFontSize": 10, "titleFontSize": 10, "labelLimit": 220},
            "legend": {"labelFontSize": 10, "titleFontSize": 10, "orient": "bottom"},
            "view": {"stroke": None},
        },
        **spec,
    }


def report_charts(data: dict[str, Any]) -> list[Chart]:
    """The charts the report holds; a chart with nothing to show is left out."""
    import datetime as dt

    charts: list[Chart] = []
    s = data["summary"]
    statuses = status_labels()
    order = [statuses[st] for st in STATUS_ORDER]

    fill_values = [
        {"agency": a["short_name"] or a["name"], "status": statuses[st], "n": a["fill"][st]}
        for a in data["agencies"]
        for st in STATUS_ORDER
        if a["fill"][st]
    ]
    if fill_values:
        rows = len({v["agency"] for v in fill_values})
        charts.append(
            Chart(
                "fill",
                _("Fill state by agency"),
                _base(
                    fill_values,
                    height=max(60, 14 * rows),
                    mark={"type": "bar"},
                    encoding={
                        "y": {"field": "agency", "type": "nominal", "sort": None, "title": None},
                        "x": {
                            "field": "n",
                            "type": "quantitative",
                            "stack": "normalize",
                            "title": _("Share of item-periods scheduled"),
                            "axis": {"format": "%"},
                        },
                        "color": {
                            "field": "status",
                            "type": "nominal",
                            "title": None,
                            "scale": {"domain": order, "range": STATUS_COLOURS},
                        },
                        "order": {"field": "rank", "type": "quantitative"},
                    },
                    transform=[
                        {
                            "calculate": "indexof(" + _js_list(order) + ", datum.status)",
                            "as": "rank",
                        }
                    ],
                ),
            )
        )

    classes = class_labels()
    class_values = [{"class": classes[c], "n": s["items"][c]} for c in classes if s["items"].get(c)]
    if class_values:
        charts.append(
            Chart(
                "classes",
                _("Data list by accessibility class"),
                _base(
                    class_values,
                    height=90,
                    mark={"type": "bar"},
                    encoding={
                        "y": {"field": "class", "type": "nominal", "sort": None, "title": None},
                        "x": {
                            "field": "n",
                            "type": "quantitative",
                            "title": _("Items"),
                            "axis": COUNT_AXIS,
                        },
                        "color": {
                            "field": "class",
                            "type": "nominal",
                            "legend": None,
                            "scale": {"range": ["#1565c0", "#6a1b9a", "#424242"]},
                        },
                    },
                ),
            )
        )

    step_values = [
        {"step": _("Step %(n)s") % {"n": st["number"]}, "what": label, "n": st[key]}
        for st in s["steps"]
        for key, label in (
            ("on_time", _("On time")),
            ("late", _("Late")),
            ("running", _("Running")),
        )
        if st[key]
    ]
    if step_values:
        charts.append(
            Chart(
                "steps",
                _("Runs of each SOP step against its standard time"),
                _base(
                    step_values,
                    height=160,
                    mark={"type": "bar"},
                    encoding={
                        "y": {"field": "step", "type": "nominal", "sort": None, "title": None},
                        "x": {
                            "field": "n",
                            "type": "quantitative",
                            "title": _("Runs"),
                            "axis": COUNT_AXIS,
                        },
                        "color": {
                            "field": "what",
                            "type": "nominal",
                            "title": None,
                            "scale": {
                                "domain": [_("On time"), _("Late"), _("Running")],
                                "range": ["#2e7d32", "#c62828", "#9e9e9e"],
                            },
                        },
                    },
                ),
            )
        )

    channels = channel_labels()
    post_values = [{"channel": channels[k], "n": n} for k, n in s["posts"].items() if n]
    if post_values:
        charts.append(
            Chart(
                "posts",
                _("Posts by channel"),
                _base(
                    post_values,
                    height=max(60, 22 * len(post_values)),
                    mark={"type": "bar", "color": "#00695c"},
                    encoding={
                        "y": {"field": "channel", "type": "nominal", "sort": "-x", "title": None},
                        "x": {
                            "field": "n",
                            "type": "quantitative",
                            "title": _("Posts"),
                            "axis": COUNT_AXIS,
                        },
                    },
                ),
            )
        )

    measures = (("views", _("Views")), ("downloads", _("Downloads")), ("api_calls", _("API calls")))
    use_values = [
        {
            "month": date_format(dt.date.fromisoformat(m["month"] + "-01"), "M Y"),
            "what": label,
            "n": m[key],
        }
        for m in s["usage_by_month"]
        for key, label in measures
    ]
    if any(v["n"] for v in use_values):
        charts.append(
            Chart(
                "usage",
                _("Portal use by month"),
                _base(
                    use_values,
                    height=180,
                    mark={"type": "line", "point": True},
                    encoding={
                        "x": {"field": "month", "type": "ordinal", "sort": None, "title": None},
                        "y": {
                            "field": "n",
                            "type": "quantitative",
                            "title": None,
                            "axis": COUNT_AXIS,
                        },
                        "color": {"field": "what", "type": "nominal", "title": None},
                    },
                ),
            )
        )
    return charts


def _js_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def to_png(spec: dict[str, Any]) -> bytes:
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=2)
