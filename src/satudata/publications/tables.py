"""The values behind a draft's tables and charts: an open item's series, periods and cells.

A block names one item of the agency (blocks.py). Its values are read here, live, from the
values app: the item's series is every open item of the agency with the same code (older
decrees' items contribute their years, as on the portal), and only periods that are filled
(every required cell entered) or released on the portal are offered and shown. Reading is
refused for an item that is no longer open: a reclassification takes effect at once, even
on a page published before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satudata.catalog.choices import Accessibility, PresentationLevel, RegionLevel
from satudata.catalog.models import DataItem, Region
from satudata.portal.models import DatasetRelease
from satudata.portal.pages_common import period_label
from satudata.schedule.models import FillState
from satudata.values.cells import breakdown_keys, parse_breakdown_key
from satudata.values.models import Observation
from satudata.values.numbers import format_number

# Same rule as the portal: shares, rates and indices are not summed over regions.
NON_ADDITIVE_UNITS = {"persen", "%", "indeks", "rasio", "level", "tahun", "hari", "menit", "opini"}
SIX_PLACES = Decimal("0.000001")
# The line chart shows at most this many periods (the latest): a post is read on a phone.
SERIES_PERIODS = 12


def is_additive(unit: str) -> bool:
    """Whether values in this unit may be summed over regions or breakdown cells."""
    unit = (unit or "").strip().lower()
    return not (unit in NON_ADDITIVE_UNITS or "/" in unit or unit.startswith("per "))


def exact(value: Any) -> Decimal:
    # SQLite sums decimals as floats: round back to the six places values are stored with.
    return Decimal(str(value)).quantize(SIX_PLACES).normalize()


def open_item(item_id: Any, agency_id: int | None = None) -> DataItem | None:
    """The block's item while it is open (and of the agency, when named); else None."""
    if not isinstance(item_id, int):
        return None
    items = DataItem.objects.filter(pk=item_id, accessibility=Accessibility.OPEN)
    if agency_id is not None:
        items = items.filter(agency_id=agency_id)
    return items.select_related("agency").first()


def series(item: DataItem) -> QuerySet[Observation]:
    """The values of the item's series: open items of the agency with the item's code."""
    return Observation.objects.filter(
        item__code=item.code,
        item__agency_id=item.agency_id,
        item__accessibility=Accessibility.OPEN,
    )


def usable_periods(item: DataItem, now: dt.datetime | None = None) -> list[str]:
    """Periods of the series that are filled or released on the portal, oldest first."""
    filled = FillState.objects.filter(
        item__code=item.code,
        item__agency_id=item.agency_id,
        item__accessibility=Accessibility.OPEN,
        required_cells__gt=0,
        filled_cells__gte=F("required_cells"),
    ).values_list("period", flat=True)
    releases = DatasetRelease.objects.filter(dataset__code=item.code)
    moment = now or timezone.now()
    released = releases.filter(release_at__lte=moment).values_list("period", flat=True)
    # A period under embargo on the portal waits for its release time here too: a publication
    # must not tell the public before the portal does.
    embargoed = releases.filter(release_at__gt=moment).values_list("period", flat=True)
    return sorted((set(filled) - set(embargoed)) | set(released))


@dataclass(frozen=True)
class Cell:
    """One breakdown cell of an item: its key ("" without breakdowns) and how it reads."""

    key: str
    label: str


def item_cells(item: DataItem) -> list[Cell]:
    """The item's breakdown cells, in the order of the entry grid."""
    keys = breakdown_keys(item.breakdowns.all())
    return [Cell(key, " · ".join(parse_breakdown_key(key).values())) for key in keys]


def chosen_cells(item: DataItem, breakdown: str) -> list[Cell] | None:
    """The cells a block shows: the one named, or all of them; None for an unknown key."""
    cells = item_cells(item)
    if not breakdown:
        return cells
    chosen = [c for c in cells if c.key == breakdown]
    return chosen or None


def region_names(codes: set[str]) -> dict[str, str]:
    """Names by code; a village also names its kecamatan."""
    rows = Region.objects.filter(code__in=codes).values_list(
        "code", "name", "level", "parent__name"
    )
    return {
        code: f"{name} ({parent})" if level == RegionLevel.VILLAGE and parent else name
        for code, name, level, parent in rows
    }


def district_values(
    item: DataItem, period: str, keys: list[str]
) -> dict[tuple[str, str], Decimal] | None:
    """{(kecamatan code, cell key): value} for one period; villages summed into their kecamatan.

    None when the item's values cannot be shown by kecamatan (a regency item, or a share
    per village, which does not sum to a share per kecamatan).
    """
    observations = series(item).filter(period=period, breakdown_key__in=keys)
    if item.level == PresentationLevel.DISTRICT:
        rows = observations.values_list("region_id", "breakdown_key", "value")
        return {(r, k): v for r, k, v in rows}
    if item.level == PresentationLevel.VILLAGE and is_additive(item.unit):
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        rows = observations.values_list("region__parent_id", "breakdown_key", "value")
        for parent, key, value in rows:
            sums[(parent, key)] += value
        return {k: exact(v) for k, v in sums.items()}
    return None


def regency_series(
    item: DataItem, periods: list[str], keys: list[str]
) -> dict[tuple[str, str], Decimal] | None:
    """{(period, cell key): the regency's value}: stored for a regency item, else summed.

    None when there is no regency value to show (a share by kecamatan is not summed).
    """
    observations = series(item).filter(period__in=periods, breakdown_key__in=keys)
    if item.level == PresentationLevel.REGENCY:
        rows = observations.filter(region_id=settings.REGION_CODE).values_list(
            "period", "breakdown_key", "value"
        )
        return {(p, k): v for p, k, v in rows}
    if not is_additive(item.unit):
        return None
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for period, key, value in observations.values_list("period", "breakdown_key", "value"):
        sums[(period, key)] += value
    return {k: exact(v) for k, v in sums.items()}


@dataclass
class TableRow:
    label: str
    cells: list[str]
    total: bool = False


@dataclass
class BlockTable:
    """A table as a page shows it: caption, one header per column, rows of formatted numbers."""

    caption: str
    row_header: str
    columns: list[str]
    rows: list[TableRow] = field(default_factory=list)
    unit: str = ""
    empty: str = ""


def _row_regions(item: DataItem) -> tuple[list[str], dict[str, str], str]:
    """Row codes, their names and the rows' header for a table of one period."""
    root = settings.REGION_CODE
    if item.level == PresentationLevel.REGENCY:
        names = region_names({root})
        return [root], names, _("Region")
    if item.level == PresentationLevel.VILLAGE and not is_additive(item.unit):
        codes = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=root + ".")
            .order_by("code")
            .values_list("code", flat=True)
        )
        return codes, region_names(set(codes)), _("Village")
    codes = list(
        Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith=root + ".")
        .order_by("code")
        .values_list("code", flat=True)
    )
    return codes, region_names(set(codes)), _("District")


def block_table(item: DataItem, period: str, breakdown: str) -> BlockTable:
    """The table of one period: regions as rows, breakdown cells as columns.

    Villages are summed into their kecamatan (a table of 248 villages is for the portal's
    download, not for a post); a regency total row closes additive tables by kecamatan.
    """
    cells = chosen_cells(item, breakdown) or []
    heading = item.name + (f" ({item.unit})" if item.unit else "")
    caption = f"{heading}, {period_label(period)}"
    if breakdown and cells:
        caption += f" · {cells[0].label}"
    codes, names, row_header = _row_regions(item)
    table = BlockTable(
        caption=caption,
        row_header=row_header,
        columns=[c.label or _("Value") for c in cells],
        unit=item.unit,
    )
    keys = [c.key for c in cells]
    if item.level == PresentationLevel.VILLAGE and is_additive(item.unit):
        values = district_values(item, period, keys) or {}
    else:
        rows = series(item).filter(period=period, breakdown_key__in=keys)
        values = {(r, k): v for r, k, v in rows.values_list("region_id", "breakdown_key", "value")}
    if not values:
        table.empty = _("No values have been entered for this period.")
        return table
    table.rows = [
        TableRow(names.get(code, code), [format_number(values.get((code, k))) for k in keys])
        for code in codes
    ]
    if item.level != PresentationLevel.REGENCY and is_additive(item.unit):
        totals = [
            format_number(exact(sum((values.get((code, k)) or Decimal(0)) for code in codes)))
            for k in keys
        ]
        table.rows.append(TableRow(_("Regency total"), totals, total=True))
    return table


@dataclass(frozen=True)
class KeyFigure:
    """The latest value of a series and its change since the period before."""

    period: str
    value: str
    unit: str
    previous_period: str = ""
    change: str = ""  # "+12,5" / "-3" / "" when there is no earlier period
    change_percent: str = ""  # "+4,2%" when meaningful
    direction: str = ""  # "up", "down", "same"


def key_figure(item: DataItem, breakdown: str, until: str = "") -> KeyFigure | None:
    """The regency's latest value (of the cell named, or of all cells summed) and its change."""
    cells = chosen_cells(item, breakdown)
    if not cells:
        return None
    if len(cells) > 1 and not is_additive(item.unit):
        return None  # a share for men and one for women do not make one share
    periods = [p for p in usable_periods(item) if not until or p <= until][-2:]
    if not periods:
        return None
    values = regency_series(item, periods, [c.key for c in cells])
    if not values:
        return None
    totals: dict[str, Decimal] = {}
    for (period, _key), value in values.items():
        totals[period] = totals.get(period, Decimal(0)) + value
    present = [p for p in periods if p in totals]
    if not present:
        return None
    last = present[-1]
    latest = exact(totals[last])
    if len(present) < 2:
        return KeyFigure(period_label(last), format_number(latest), item.unit)
    before = present[-2]
    previous = exact(totals[before])
    delta = exact(latest - previous)
    sign = "+" if delta > 0 else ""
    percent = ""
    if previous != 0 and is_additive(item.unit):
        ratio = (delta / abs(previous) * 100).quantize(Decimal("0.1"))
        percent = f"{'+' if ratio > 0 else ''}{format_number(ratio)}%"
    return KeyFigure(
        period=period_label(last),
        value=format_number(latest),
        unit=item.unit,
        previous_period=period_label(before),
        change=sign + format_number(delta),
        change_percent=percent,
        direction="up" if delta > 0 else "down" if delta < 0 else "same",
    )
