"""The public dataset page: metadata, coverage, citation, the values table and its charts.

Values come only from `public_observations` (released periods of open items) and only what
the page shows: the table is capped to the last TABLE_PERIODS periods and the charts read
sums made in SQL, so a dataset with a million observations costs the page a few small queries.
A limited dataset gets none of this: `dataset_values` is never called for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from satudata.catalog.choices import PresentationLevel, RegionLevel
from satudata.catalog.models import Breakdown, DataItem, Region
from satudata.portal.models import Dataset
from satudata.portal.pages_common import period_label
from satudata.portal.selectors import has_public_values, public_observations
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.values.cells import breakdown_key
from satudata.values.numbers import format_number

TABLE_PERIODS = 10
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Units whose values do not add up across regions (shares, rates, indices, durations): for
# them the page draws no regency total made by summing kecamatan or villages.
NON_ADDITIVE_UNITS = {"persen", "%", "indeks", "rasio", "level", "tahun", "hari", "menit", "opini"}
SIX_PLACES = Decimal("0.000001")

# BPS metadata (MS Indikator / MS Variabel) shown on the page, in the order of the templates.
METADATA_FIELDS = (
    "kind",
    "data_type",
    "concept",
    "definition",
    "interpretation",
    "formula",
    "measure",
    "unit",
    "classification",
    "is_composite",
    "composite_indicators",
    "composite_variables",
    "estimation_level",
    "reference_period",
    "periodicity",
    "level",
    "source_activity",
    "activity_code",
    "alias",
    "value_type",
    "indicator_code",
    "standard_data_code",
    "metadata_code",
)


def is_additive(unit: str) -> bool:
    """Whether values in this unit may be summed over regions (counts, money, area...)."""
    unit = unit.strip().lower()
    return not (unit in NON_ADDITIVE_UNITS or "/" in unit or unit.startswith("per "))


def _labels() -> dict[str, str]:
    # Where two model fields translate to the same Indonesian words ("tipe data" is both the
    # Daftar Data's data type and MS Variabel's value type), the page names them apart.
    return {"data_type": _("Kind of data"), "value_type": _("Value type (MS Variabel)")}


def metadata_rows(item: DataItem, breakdowns: list[Breakdown]) -> list[tuple[str, str]]:
    """(label, text) of every filled BPS metadata field of the item."""
    rows: list[tuple[str, str]] = []
    labels = _labels()
    for name in METADATA_FIELDS:
        model_field = DataItem._meta.get_field(name)
        if getattr(model_field, "choices", None):
            text = str(getattr(item, f"get_{name}_display")())
        elif isinstance(getattr(item, name), bool):
            text = _("Yes") if getattr(item, name) else _("No")
        else:
            text = str(getattr(item, name) or "").strip()
        if text:
            rows.append((capfirst(labels.get(name, str(model_field.verbose_name))), text))
    if breakdowns:
        rows.append((_("Breakdowns"), ", ".join(b.name for b in breakdowns)))
    rows.append((_("Publicly accessible"), _("Yes") if item.is_publicly_accessible else _("No")))
    return rows


@dataclass
class BreakdownFilter:
    """One <select> of the table's breakdown filters."""

    slug: str
    name: str
    categories: list[str]
    selected: str


@dataclass
class TableRow:
    label: str
    code: str
    cells: list[str]


@dataclass
class ValuesTable:
    """The page's table: periods as rows (regency data) or regions as rows, periods as columns."""

    by_region: bool
    columns: list[str]
    rows: list[TableRow]
    older_periods: int


@dataclass
class DatasetValues:
    """Everything of an open dataset's values the page shows."""

    periods: list[str]
    filters: list[BreakdownFilter]
    table: ValuesTable | None
    chart_period: str = ""
    chart_periods: list[tuple[str, str]] = field(default_factory=list)
    series_spec: dict[str, Any] | None = None
    bars_spec: dict[str, Any] | None = None

    @property
    def coverage(self) -> str:
        if not self.periods:
            return ""
        first, last = period_label(self.periods[0]), period_label(self.periods[-1])
        return first if first == last else f"{first} – {last}"


def breakdown_filters(
    breakdowns: list[Breakdown], params: Mapping[str, str]
) -> list[BreakdownFilter]:
    """The filters with the category asked for in the query string (else the first category)."""
    filters = []
    for b in sorted(breakdowns, key=lambda b: b.slug):
        categories = [str(c) for c in b.categories]
        if not categories:
            continue
        asked = params.get(f"b-{b.slug}", "")
        filters.append(
            BreakdownFilter(
                b.slug, b.name, categories, asked if asked in categories else categories[0]
            )
        )
    return filters


def chart_period_of(periods: list[str], params: Mapping[str, str]) -> str:
    """The period of the bars by kecamatan: the one asked for if released, else the latest."""
    chosen = params.get("period", "")
    return chosen if chosen in periods else (periods[-1] if periods else "")


def body_key(
    dataset: Dataset,
    periods: list[str],
    filters: list[BreakdownFilter],
    chart_period: str,
    *extra: object,
) -> str:
    """A cache key for what the dataset page shows with these filters.

    It holds the dataset's version (bumped by every change of its values, metadata or class
    pointer), the periods released by now (so an embargo lifts at its minute), the validated
    filters (unknown query parameters make no new entries) and `extra` (language, day, host).
    `created_at` tells apart two datasets that got the same pk (a rolled-back test database).
    """
    fingerprint = repr(
        (
            dataset.created_at,
            dataset.modified_at,
            dataset.state,
            dataset.item_id,
            dataset.item.updated_at,  # a metadata edit or reclassification saves the item
            dataset.item.accessibility,
            periods,
            [(f.slug, f.selected) for f in filters],
            chart_period,
            extra,
        )
    )
    digest = hashlib.sha1(fingerprint.encode()).hexdigest()
    return f"portal-dataset:{dataset.pk}:{dataset.version}:{digest}"


def dataset_values(
    dataset: Dataset,
    periods: list[str],
    filters: list[BreakdownFilter],
    chart_period: str,
    now: dt.datetime,
) -> DatasetValues:
    """The table and charts of an open dataset for the chosen filters."""
    if not has_public_values(dataset):  # belt and braces: the view never asks for limited data
        return DatasetValues(periods=[], filters=[], table=None)
    return _values(dataset, periods, filters, chart_period, now)


def _values(
    dataset: Dataset,
    periods: list[str],
    filters: list[BreakdownFilter],
    chart_period: str,
    now: dt.datetime,
) -> DatasetValues:
    values = DatasetValues(periods=periods, filters=filters, table=None)
    if not periods:
        return values
    key = breakdown_key((f.slug, f.selected) for f in filters)
    observations = public_observations(dataset, now).filter(breakdown_key=key)
    item = dataset.item
    shown = periods[-TABLE_PERIODS:]
    cells = {
        (region, period): value
        for region, period, value in observations.filter(period__in=shown).values_list(
            "region_id", "period", "value"
        )
    }
    regency = item.level == PresentationLevel.REGENCY
    if regency:
        values.table = _regency_table(cells, shown, len(periods) - len(shown))
        values.series_spec = series_spec(
            dataset, _regency_series(observations), _("Value"), key_label(filters)
        )
        return values

    names = _region_names({region for region, _period in cells})
    values.table = _regions_table(cells, names, shown, len(periods) - len(shown))
    additive = is_additive(item.unit)
    if additive:
        totals = observations.order_by().values("period").annotate(total=Sum("value"))
        series = [(row["period"], _exact(row["total"])) for row in totals]
        values.series_spec = series_spec(
            dataset, sorted(series), _("Regency total"), key_label(filters)
        )
    bars = _bars(observations, item.level, chart_period, cells, names, additive)
    if bars:
        values.bars_spec = bars_spec(dataset, bars, chart_period, key_label(filters))
        values.chart_period = chart_period
        values.chart_periods = [(p, period_label(p)) for p in reversed(periods)]
    return values


def key_label(filters: list[BreakdownFilter]) -> str:
    return ", ".join(f"{f.name}: {f.selected}" for f in filters)


def _exact(value: Any) -> Decimal:
    # SQLite sums decimals as floats: round back to the six places values are stored with.
    return Decimal(str(value)).quantize(SIX_PLACES)


def _region_names(codes: set[str]) -> dict[str, str]:
    """Names by code; a village also names its kecamatan (Jombang is both, for one)."""
    rows = Region.objects.filter(code__in=codes).values_list(
        "code", "name", "level", "parent__name"
    )
    return {
        code: f"{name} ({parent})" if level == RegionLevel.VILLAGE and parent else name
        for code, name, level, parent in rows
    }


def _regency_series(observations: Any) -> list[tuple[str, Decimal]]:
    rows = observations.filter(region_id=settings.REGION_CODE).values_list("period", "value")
    return sorted(rows)


def _regency_table(
    cells: dict[tuple[str, str], Decimal], shown: list[str], older: int
) -> ValuesTable:
    root = settings.REGION_CODE
    rows = [
        TableRow(period_label(p), p, [format_number(cells.get((root, p)))])
        for p in reversed(shown)  # newest first: what a reader looks for
    ]
    return ValuesTable(by_region=False, columns=[_("Value")], rows=rows, older_periods=older)


def _regions_table(
    cells: dict[tuple[str, str], Decimal], names: dict[str, str], shown: list[str], older: int
) -> ValuesTable:
    rows = [
        TableRow(names.get(code, code), code, [format_number(cells.get((code, p))) for p in shown])
        for code in sorted(names)
    ]
    columns = [period_label(p) for p in shown]
    return ValuesTable(by_region=True, columns=columns, rows=rows, older_periods=older)


def _bars(
    observations: Any,
    level: str,
    period: str,
    cells: dict[tuple[str, str], Decimal],
    names: dict[str, str],
    additive: bool,
) -> list[tuple[str, Decimal]]:
    """(kecamatan name, value) for the bar chart: villages are summed into their kecamatan."""
    if level == PresentationLevel.DISTRICT:
        if any(p == period for _region, p in cells):
            rows = [(r, v) for (r, p), v in cells.items() if p == period]
        else:
            rows = list(observations.filter(period=period).values_list("region_id", "value"))
            names = names | _region_names({r for r, _v in rows})
        return [(names.get(r, r), v) for r, v in sorted(rows)]
    if not additive:
        return []  # a share per village does not sum to a share per kecamatan
    sums = (
        observations.filter(period=period)
        .order_by()
        .values("region__parent_id")
        .annotate(total=Sum("value"))
        .values_list("region__parent_id", "total")
    )
    totals = dict(sums)
    district_names = _region_names(set(totals))
    return [(district_names.get(c, c), _exact(v)) for c, v in sorted(totals.items())]


def _base_spec(dataset: Dataset, description: str) -> dict[str, Any]:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "width": "container",
        "background": None,
        "config": {"font": "system-ui, sans-serif", "axis": {"labelLimit": 180}},
        "usermeta": {"dataset": dataset.slug},
    }


def line_encoding(y_title: str, *, tooltip_extra: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """The encoding of a value over periods (rows: period, value, text), shared by the dataset
    page and the publications' charts and cards."""
    return {
        "x": {
            "field": "period",
            "type": "ordinal",
            "sort": None,
            "title": _("Period"),
            "axis": {"labelAngle": 0, "labelOverlap": True},
        },
        # Not from zero: a series of rates near 65 would show as a flat line.
        "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": False}},
        "tooltip": [
            {"field": "period", "title": _("Period")},
            *tooltip_extra,
            {"field": "text", "title": y_title},
        ],
    }


def series_spec(
    dataset: Dataset, series: list[tuple[str, Decimal]], label: str, filters_label: str
) -> dict[str, Any] | None:
    """A Vega-Lite line chart of the regency's value (or total) over the released periods."""
    if not series:
        return None
    unit = dataset.item.unit
    title = f"{label} ({unit})" if unit else label
    spec = _base_spec(dataset, f"{dataset.item.name}: {label}. {filters_label}".strip(" ."))
    spec.update(
        {
            "height": 220,
            "data": {
                "values": [
                    {"period": period_label(p), "value": float(v), "text": format_number(v)}
                    for p, v in series
                ]
            },
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": line_encoding(title),
        }
    )
    return spec


def bars_spec(
    dataset: Dataset, bars: list[tuple[str, Decimal]], period: str, filters_label: str
) -> dict[str, Any] | None:
    """A Vega-Lite bar chart of one period's values by kecamatan, largest first."""
    if not bars:
        return None
    unit = dataset.item.unit
    spec = _base_spec(
        dataset, f"{dataset.item.name}, {period_label(period)}. {filters_label}".strip(" .")
    )
    spec.update(
        {
            "height": {"step": 16},
            "data": {
                "values": [
                    {"region": name, "value": float(v), "text": format_number(v)}
                    for name, v in bars
                ]
            },
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {"field": "region", "type": "nominal", "sort": "-x", "title": _("District")},
                "x": {"field": "value", "type": "quantitative", "title": unit or _("Value")},
                "tooltip": [
                    {"field": "region", "title": _("District")},
                    {"field": "text", "title": unit or _("Value")},
                ],
            },
        }
    )
    return spec


# As django.utils.html.json_script: no "</script>" or markup can close the script early.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def structured_data(
    dataset: Dataset,
    url: str,
    absolute_downloads: list[tuple[str, str]],
    periods: list[str],
    license_url: str,
    updated: dt.datetime,
) -> SafeString:
    """schema.org Dataset markup (JSON-LD) for search engines' dataset search: metadata only.

    `absolute_downloads` is empty for a limited dataset: its values are not distributed.
    """
    item = dataset.item
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": item.name,
        "description": item.definition or item.name,
        "url": url,
        "identifier": dataset.code,
        "keywords": item.tag_list,
        "isAccessibleForFree": True,
        "creator": {"@type": "GovernmentOrganization", "name": item.agency.name},
        "dateModified": updated.date().isoformat(),
    }
    if absolute_downloads:
        data["license"] = license_url or dataset.license
        data["distribution"] = [
            {"@type": "DataDownload", "encodingFormat": label, "contentUrl": href}
            for label, href in absolute_downloads
        ]
    if periods:
        try:
            first, last = Period.parse(periods[0]), Period.parse(periods[-1])
            data["temporalCoverage"] = f"{first.start.isoformat()}/{last.end.isoformat()}"
        except InvalidPeriod:
            pass
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above
