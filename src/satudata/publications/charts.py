"""The one chart definition of a block: a Vega-Lite spec for the page, the cards and the report.

`block_spec` builds the spec from the values (tables.py); the page draws it in the browser with
the vendored vega-embed (publications-blocks.js) and the cards render the same spec on the
server with vl-convert (`card_spec` only sets a fixed size and larger type, and keeps the ten
largest bars so a phone can read them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from satudata.catalog.choices import PresentationLevel
from satudata.catalog.models import DataItem
from satudata.portal.pages_common import period_label
from satudata.portal.pages_dataset import line_encoding
from satudata.publications.tables import (
    SERIES_PERIODS,
    chosen_cells,
    district_values,
    regency_series,
    region_names,
    usable_periods,
)
from satudata.values.numbers import format_number

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# d3-format locale: numbers the Indonesian way (1.234,5) on axes, on the page and on cards.
ID_FORMAT_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}
FONT = "system-ui, sans-serif"
# Bars on a card: more than this many kecamatan would be unreadable on a phone.
CARD_BARS = 10


@dataclass
class ChartResult:
    """A block's chart: the spec, or the reason there is none (shown instead)."""

    spec: dict[str, Any] | None
    reason: str = ""


def _base(item: DataItem, description: str, kind: str) -> dict[str, Any]:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": "container",
        "background": None,
        "config": {"font": FONT, "axis": {"labelLimit": 180}},
        "usermeta": {"item": item.pk, "kind": kind},
    }


def _color(many: bool, offset: str) -> dict[str, Any]:
    """Colour (and, for bars, side-by-side offset) by breakdown cell when there are several."""
    if not many:
        return {}
    channel = {"field": "cell", "type": "nominal", "title": _("Breakdown")}
    return {"color": channel, offset: {"field": "cell"}} if offset else {"color": channel}


def line_spec(item: DataItem, breakdown: str, until: str = "") -> ChartResult:
    """The regency's value over the filled or released periods (up to `until`)."""
    cells = chosen_cells(item, breakdown)
    if not cells:
        return ChartResult(None, _("The breakdown chosen no longer exists for this item."))
    periods = [p for p in usable_periods(item) if not until or p <= until][-SERIES_PERIODS:]
    values = regency_series(item, periods, [c.key for c in cells]) if periods else {}
    if values is None:
        return ChartResult(
            None,
            _(
                "A share or rate by district does not add up to a regency value: "
                "choose a bar chart by district."
            ),
        )
    if not values:
        return ChartResult(None, _("No filled or released period has values yet."))
    many = len(cells) > 1
    unit = item.unit
    y_title = unit or _("Value")
    rows = [
        {
            "period": period_label(p),
            "cell": c.label,
            "value": float(values[(p, c.key)]),
            "text": format_number(values[(p, c.key)]),
        }
        for p in periods
        for c in cells
        if (p, c.key) in values
    ]
    label = _("Regency") if item.level == PresentationLevel.REGENCY else _("Regency total")
    spec = _base(item, f"{item.name}: {label}", "line")
    spec.update(
        {
            "height": 240,
            "data": {"values": rows},
            "mark": {"type": "line", "point": True, "tooltip": True, "strokeWidth": 3},
            "encoding": {
                **line_encoding(
                    y_title,
                    tooltip_extra=[{"field": "cell", "title": _("Breakdown")}] if many else [],
                ),
                **_color(many, ""),
            },
        }
    )
    return ChartResult(spec)


def bar_spec(item: DataItem, breakdown: str, period: str) -> ChartResult:
    """One period's values by kecamatan, largest first; a regency item: bars over periods."""
    cells = chosen_cells(item, breakdown)
    if not cells:
        return ChartResult(None, _("The breakdown chosen no longer exists for this item."))
    periods = usable_periods(item)
    if item.level == PresentationLevel.REGENCY:
        return _regency_bars(item, cells, [p for p in periods if not period or p <= period])
    period = period if period in periods else (periods[-1] if periods else "")
    if not period:
        return ChartResult(None, _("No filled or released period has values yet."))
    values = district_values(item, period, [c.key for c in cells])
    if values is None:
        return ChartResult(
            None, _("A share or rate by village does not add up by district: choose a table.")
        )
    if not values:
        return ChartResult(None, _("No values have been entered for this period."))
    names = region_names({code for code, _key in values})
    labels = {c.key: c.label for c in cells}
    many = len(cells) > 1
    x_title = item.unit or _("Value")
    rows = [
        {
            "region": names.get(code, code),
            "cell": labels[key],
            "value": float(value),
            "text": format_number(value),
        }
        for (code, key), value in sorted(values.items())
    ]
    spec = _base(item, f"{item.name}, {period_label(period)}", "bars")
    spec["usermeta"]["period"] = period
    spec.update(
        {
            "height": {"step": 10 if many else 16},
            "data": {"values": rows},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {
                    "field": "region",
                    "type": "nominal",
                    "sort": "-x",
                    "title": _("District"),
                },
                "x": {"field": "value", "type": "quantitative", "title": x_title},
                "tooltip": [
                    {"field": "region", "title": _("District")},
                    *([{"field": "cell", "title": _("Breakdown")}] if many else []),
                    {"field": "text", "title": x_title},
                ],
                **_color(many, "yOffset"),
            },
        }
    )
    return ChartResult(spec)


def _regency_bars(item: DataItem, cells: list[Any], periods: list[str]) -> ChartResult:
    periods = periods[-SERIES_PERIODS:]
    values = regency_series(item, periods, [c.key for c in cells]) if periods else {}
    if not values:
        return ChartResult(None, _("No filled or released period has values yet."))
    many = len(cells) > 1
    y_title = item.unit or _("Value")
    rows = [
        {
            "period": period_label(p),
            "cell": c.label,
            "value": float(values[(p, c.key)]),
            "text": format_number(values[(p, c.key)]),
        }
        for p in periods
        for c in cells
        if (p, c.key) in values
    ]
    spec = _base(item, f"{item.name}: {_('Regency')}", "bars-periods")
    spec.update(
        {
            "height": 240,
            "data": {"values": rows},
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {
                    "field": "period",
                    "type": "ordinal",
                    "sort": None,
                    "title": _("Period"),
                    "axis": {"labelAngle": 0, "labelOverlap": True},
                },
                "y": {"field": "value", "type": "quantitative", "title": y_title},
                "tooltip": [
                    {"field": "period", "title": _("Period")},
                    *([{"field": "cell", "title": _("Breakdown")}] if many else []),
                    {"field": "text", "title": y_title},
                ],
                **_color(many, "xOffset"),
            },
        }
    )
    return ChartResult(spec)


def block_spec(item: DataItem, block: dict[str, Any]) -> ChartResult:
    """The chart of a stored block (kind "chart"): a line, or bars."""
    if block.get("chart") == "bar":
        return bar_spec(item, block.get("breakdown", ""), block.get("period", ""))
    return line_spec(item, block.get("breakdown", ""), block.get("period", ""))


def card_spec(spec: dict[str, Any], width: int, height: int) -> dict[str, Any]:
    """The page's spec at a fixed size with type large enough for a phone (for vl-convert)."""
    card = copy.deepcopy(spec)
    card["width"], card["height"] = width, height
    card["background"] = "white"
    card["autosize"] = {"type": "fit", "contains": "padding"}
    rows = card.get("data", {}).get("values", [])
    bars_by_region = card.get("usermeta", {}).get("kind") == "bars"
    if bars_by_region and len({r["region"] for r in rows}) > CARD_BARS:
        # The ten largest kecamatan (by their largest cell); the page keeps all of them.
        largest: dict[str, float] = {}
        for r in rows:
            largest[r["region"]] = max(largest.get(r["region"], r["value"]), r["value"])
        keep = set(sorted(largest, key=lambda name: -largest[name])[:CARD_BARS])
        card["data"] = {"values": [r for r in rows if r["region"] in keep]}
        card["title"] = {
            "text": _("The %(n)s highest districts") % {"n": CARD_BARS},
            "anchor": "start",
            "fontSize": 24,
            "fontWeight": "normal",
            "color": "#444",
        }
    card["config"] = {
        "font": "Liberation Sans, Arial, Helvetica, sans-serif",
        "axis": {"labelFontSize": 20, "titleFontSize": 20, "labelLimit": 260, "titlePadding": 12},
        "legend": {"labelFontSize": 20, "titleFontSize": 20, "orient": "bottom"},
        "line": {"strokeWidth": 5},
        "point": {"size": 140},
        "view": {"stroke": None},
    }
    return card
