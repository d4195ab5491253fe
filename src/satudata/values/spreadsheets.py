"""The values template of an agency for a period: one XLSX sheet per item, or one long CSV.

The layout written here is the layout `values.imports` reads: labels, the hidden key row of
each item sheet and the key sheet are shared constants. Labels and sheet names are fixed
Indonesian (operators' spreadsheets); the guide's explanations go through gettext.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_rowcol_to_cell

from satudata.accounts.models import Agency
from satudata.catalog.choices import PresentationLevel
from satudata.catalog.models import Breakdown, DataItem, Region
from satudata.catalog.selectors import decree_for_year
from satudata.core.spreadsheet_safety import csv_row, safe_workbook
from satudata.schedule.periods import Period
from satudata.values.cells import _LEVEL_TO_REGION, breakdown_keys, parse_breakdown_key
from satudata.values.choices import ValueStatus
from satudata.values.models import Observation
from satudata.values.numbers import format_number

GUIDE_SHEET = "Petunjuk"
KEY_SHEET = "_kunci"
# First cell of the key sheet: tells a values template from any other workbook.
KEY_MARK = "satudata-nilai-v1"

# The header block of an item sheet: label in column A, value in column B.
LABEL_CODE = "Kode Data"
LABEL_NAME = "Nama Data"
LABEL_UNIT = "Satuan"
LABEL_DEFINITION = "Definisi"
LABEL_PERIOD = "Periode"
LABEL_LEVEL = "Tingkat Penyajian"
LABEL_BREAKDOWN = "Rincian"
LABEL_STATUS = "Status"
LABEL_SOURCE = "Sumber"
BLOCK = (
    LABEL_CODE,
    LABEL_NAME,
    LABEL_UNIT,
    LABEL_DEFINITION,
    LABEL_PERIOD,
    LABEL_LEVEL,
    LABEL_BREAKDOWN,
    LABEL_STATUS,
    LABEL_SOURCE,
)
# The hidden row above the table: machine keys of its columns (they move with the columns).
KEY_REGION = "#kode_wilayah"
KEY_REGION_NAME = "#nama_wilayah"
KEY_NO_BREAKDOWN = "#nilai"
HEAD_REGION = "Kode Wilayah"
HEAD_REGION_NAME = "Nama Wilayah"
HEAD_VALUE = "Nilai"

CSV_COLUMNS = (
    "kode_data",
    "periode",
    "kode_wilayah",
    "nama_wilayah",
    "rincian",
    "nilai",
    "status",
    "catatan",
    "sumber",
)

STATUS_WORDS = {ValueStatus.PRELIMINARY: "Sementara", ValueStatus.FINAL: "Tetap"}
LEVEL_WORDS = {
    PresentationLevel.REGENCY: "Kabupaten",
    PresentationLevel.DISTRICT: "Kecamatan",
    PresentationLevel.VILLAGE: "Desa/Kelurahan",
}
# Excel's codes are written the US way and shown the user's way: 1.234,5 on an Indonesian PC.
NUMBER_FORMAT = "#,##0.######"
WHOLE_NUMBER_FORMAT = "#,##0"


def template_items(agency: Agency, period: Period) -> list[DataItem]:
    """The agency's items of the list in force for the period's year, of its periodicity."""
    decree = decree_for_year(period.year)
    if decree is None:
        return []
    return list(
        DataItem.objects.filter(decree=decree, agency=agency, periodicity=period.periodicity)
        .prefetch_related("breakdowns")
        .order_by("code")
    )


def sheet_names(codes: Iterable[str]) -> list[str]:
    """A valid, unique Excel sheet name per item code (at most 31 characters, no []:*?/\\)."""
    taken = {GUIDE_SHEET.lower(), KEY_SHEET.lower()}
    names = []
    for code in codes:
        base = re.sub(r"[\[\]:*?/\\]", "-", code).strip("'") or "data"
        name, n = base[:31], 1
        while name.lower() in taken:
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.lower())
        names.append(name)
    return names


def category_header(breakdowns: list[Breakdown], key: str) -> list[str]:
    """The categories of a breakdown key, one per breakdown, in the sheet's header-row order."""
    pairs = parse_breakdown_key(key)
    return [str(pairs.get(b.slug, "")) for b in sorted(breakdowns, key=lambda b: b.slug)]


@dataclass
class ItemSheet:
    """What one item's sheet (or its CSV rows) shows."""

    item: DataItem
    sheet: str
    breakdowns: list[Breakdown]
    keys: list[str]
    regions: list[tuple[str, str]]
    values: dict[tuple[str, str], Observation] = field(default_factory=dict)

    @property
    def common_status(self) -> str:
        """The status all existing values share, or "" when they differ (or there are none)."""
        found = {o.status for o in self.values.values()}
        return STATUS_WORDS[found.pop()] if len(found) == 1 else ""

    @property
    def common_source(self) -> str:
        found = {o.source for o in self.values.values()}
        return found.pop() if len(found) == 1 else ""


def item_sheets(items: list[DataItem], period: Period) -> list[ItemSheet]:
    """Per item: its cells and its stored values for the period (three queries in all)."""
    names = sheet_names(i.code for i in items)
    regions_by_level: dict[str, list[tuple[str, str]]] = {}
    sheets = []
    stored: dict[int, dict[tuple[str, str], Observation]] = {}
    for obs in Observation.objects.filter(item__in=items, period=period.key):
        stored.setdefault(obs.item_id, {})[(obs.region_id, obs.breakdown_key)] = obs
    for item, name in zip(items, names, strict=True):
        if item.level not in regions_by_level:
            regions_by_level[item.level] = _regions(item.level)
        breakdowns = sorted(item.breakdowns.all(), key=lambda b: b.slug)
        sheets.append(
            ItemSheet(
                item=item,
                sheet=name,
                breakdowns=breakdowns,
                keys=breakdown_keys(breakdowns),
                regions=regions_by_level[item.level],
                values=stored.get(item.pk, {}),
            )
        )
    return sheets


def _regions(level: str) -> list[tuple[str, str]]:
    """(code, name) of the regions at a presentation level, in the order CellPlan uses."""
    root = settings.REGION_CODE
    if level == PresentationLevel.REGENCY:
        return list(Region.objects.filter(code=root).values_list("code", "name"))
    return list(
        Region.objects.filter(level=_LEVEL_TO_REGION[level], code__startswith=root + ".")
        .order_by("code")
        .values_list("code", "name")
    )


def _guide_notes(period: Period) -> list[str]:
    return [
        _(
            "Each sheet is one data item for the period %(period)s: the regions down the side, "
            "the breakdown categories across. Type the values in the empty cells."
        )
        % {"period": period.key},
        _(
            "Type numbers only: no %% sign, no unit, no text. Decimals with a comma (12,5); "
            "thousands may be grouped with a dot (1.234)."
        ),
        _(
            "Leave a cell empty when the value is not known yet. An empty cell keeps the value "
            "the portal already has; to delete a value, use the entry grid on the portal."
        ),
        _(
            "Status (Sementara or Tetap) and Sumber at the top of a sheet apply to all its "
            "cells; left empty, each value keeps its own."
        ),
        _(
            "Do not rename, add or delete sheets, and do not change the region codes or the "
            "column headers: the upload matches them to the data items."
        ),
        _(
            "Upload the file on the portal (Enter values, Upload spreadsheet). If any cell is "
            "wrong, nothing is saved and every error is listed with its sheet, row and column."
        ),
    ]


def template_xlsx(*, agency: Agency, period: Period, sheets: list[ItemSheet]) -> bytes:
    """The XLSX template: a guide, one sheet per item, and the hidden key sheet."""
    buffer = io.BytesIO()
    book = safe_workbook(buffer, {"in_memory": True})
    fmt = _Formats(book)

    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 110, fmt.wrap)
    guide.write_string(0, 0, f"Templat Nilai Data — {agency.name} — {period.key}", fmt.title)
    for r, note in enumerate(_guide_notes(period), start=2):
        guide.write_string(r, 0, f"{r - 1}. {note}")
    row = len(_guide_notes(period)) + 3
    guide.write_string(row, 0, "Daftar sheet / data:", fmt.bold)
    for r, sheet in enumerate(sheets, start=row + 1):
        guide.write_string(r, 0, f"{sheet.sheet}: {sheet.item.name} ({sheet.item.unit})")
    if not sheets:
        guide.write_string(row + 1, 0, _("The agency has no data items of this periodicity."))

    for sheet in sheets:
        _write_item_sheet(book, fmt, period, sheet)

    key = book.add_worksheet(KEY_SHEET)
    key.write_row(0, 0, [KEY_MARK, agency.code, period.key])
    key.write_row(1, 0, ["sheet", "item_id", "kode_data", "periode"])
    for r, sheet in enumerate(sheets, start=2):
        key.write_row(r, 0, [sheet.sheet, sheet.item.pk, sheet.item.code, period.key])
    key.protect()
    key.very_hidden()
    guide.activate()
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.label = book.add_format({"bold": True, "bg_color": "#F2F2F2", "valign": "top"})
        self.head = book.add_format(
            {
                "bold": True,
                "bg_color": "#DCE6F1",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.text = book.add_format({"num_format": "@", "border": 1})
        self.number = book.add_format(
            {"num_format": NUMBER_FORMAT, "border": 1, "bg_color": "#FFFDE7"}
        )
        self.whole = book.add_format({"num_format": WHOLE_NUMBER_FORMAT})
        self.key = book.add_format({"font_color": "#808080"})


def _write_item_sheet(book: Any, fmt: _Formats, period: Period, sheet: ItemSheet) -> None:
    item = sheet.item
    ws = book.add_worksheet(sheet.sheet)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 1 + len(sheet.keys), 13)
    breakdown_text = (
        "; ".join(f"{b.name} ({', '.join(str(c) for c in b.categories)})" for b in sheet.breakdowns)
        or "-"
    )
    block = {
        LABEL_CODE: item.code,
        LABEL_NAME: item.name,
        LABEL_UNIT: item.unit,
        LABEL_DEFINITION: item.definition,
        LABEL_PERIOD: period.key,
        LABEL_LEVEL: LEVEL_WORDS.get(item.level, item.level),
        LABEL_BREAKDOWN: breakdown_text,
        LABEL_STATUS: sheet.common_status,
        LABEL_SOURCE: sheet.common_source,
    }
    last = max(2, 1 + len(sheet.keys))
    for r, label in enumerate(BLOCK):
        ws.write_string(r, 0, label, fmt.label)
        if last > 1:
            ws.merge_range(r, 1, r, last, "", fmt.wrap)
        ws.write_string(r, 1, block[label], fmt.wrap)
    status_row = BLOCK.index(LABEL_STATUS)
    ws.data_validation(
        status_row,
        1,
        status_row,
        1,
        {"validate": "list", "source": list(STATUS_WORDS.values()), "ignore_blank": True},
    )
    if item.definition and len(item.definition) > 80:
        ws.set_row(BLOCK.index(LABEL_DEFINITION), 15 * min(6, 1 + len(item.definition) // 80))

    key_row = len(BLOCK) + 1
    keys_text = [k or KEY_NO_BREAKDOWN for k in sheet.keys]
    ws.write_row(key_row, 0, [KEY_REGION, KEY_REGION_NAME, *keys_text], fmt.key)
    ws.set_row(key_row, None, None, {"hidden": True})

    head_rows = max(1, len(sheet.breakdowns))
    top = key_row + 1
    if head_rows > 1:
        ws.merge_range(top, 0, top + head_rows - 1, 0, HEAD_REGION, fmt.head)
        ws.merge_range(top, 1, top + head_rows - 1, 1, HEAD_REGION_NAME, fmt.head)
    else:
        ws.write_string(top, 0, HEAD_REGION, fmt.head)
        ws.write_string(top, 1, HEAD_REGION_NAME, fmt.head)
    if not sheet.breakdowns:
        ws.write_string(top, 2, f"{HEAD_VALUE} ({item.unit})", fmt.head)
    else:
        headers = [category_header(sheet.breakdowns, k) for k in sheet.keys]
        for level in range(head_rows):
            _write_header_row(ws, fmt, top + level, level, headers)

    first = top + head_rows
    for r, (code, name) in enumerate(sheet.regions, start=first):
        ws.write_string(r, 0, code, fmt.text)
        ws.write_string(r, 1, name, fmt.text)
        for c, key in enumerate(sheet.keys, start=2):
            obs = sheet.values.get((code, key))
            if obs is None:
                ws.write_blank(r, c, None, fmt.number)
            else:
                ws.write_number(r, c, float(obs.value), fmt.number)
    end = first + len(sheet.regions) - 1
    if sheet.regions:
        # Whole numbers without a trailing decimal comma ("1.234" rather than "1.234,").
        corner = xl_rowcol_to_cell(first, 2, row_abs=False, col_abs=False)
        ws.conditional_format(
            first,
            2,
            end,
            1 + len(sheet.keys),
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER({corner}),{corner}=INT({corner}))",
                "format": fmt.whole,
            },
        )
        ws.data_validation(
            first,
            2,
            end,
            1 + len(sheet.keys),
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -1e15,
                "maximum": 1e15,
                "error_type": "warning",
                "error_title": "Angka",
                "error_message": _("Type a number only (no %, no unit)."),
            },
        )
    ws.freeze_panes(first, 2)


def _write_header_row(
    ws: Any, fmt: _Formats, row: int, level: int, headers: list[list[str]]
) -> None:
    """One header row: a breakdown's category over its columns, merged where it repeats."""
    start = 0
    for index in range(1, len(headers) + 1):
        # A run continues while this and every upper level's category are the same.
        if index < len(headers) and headers[index][: level + 1] == headers[start][: level + 1]:
            continue
        text = headers[start][level]
        if index - 1 > start:
            ws.merge_range(row, 2 + start, row, 1 + index, text, fmt.head)
        else:
            ws.write_string(row, 2 + start, text, fmt.head)
        start = index


def template_csv(*, period: Period, sheets: list[ItemSheet]) -> bytes:
    """The CSV template: one row per required cell, stored values filled (UTF-8 with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for sheet in sheets:
        for code, name in sheet.regions:
            for key in sheet.keys:
                obs = sheet.values.get((code, key))
                writer.writerow(
                    csv_row(
                        [
                            sheet.item.code,
                            period.key,
                            code,
                            name,
                            key,
                            format_number(obs.value) if obs else "",
                            STATUS_WORDS[obs.status] if obs else "",
                            obs.note if obs else "",
                            obs.source if obs else "",
                        ]
                    )
                )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
