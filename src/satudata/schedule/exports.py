"""Step-2 exports: the data list by accessibility as XLSX (a summary and one sheet per class)
and as CSV (one row per item).

Column headers, sheet names and the class, periodicity and level values are fixed Indonesian
labels (BPS and regional practice), not translated: the files are compared with other regions'
lists and read back by spreadsheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from satudata.core.spreadsheet_safety import csv_cell, safe_workbook
from satudata.schedule.selectors import CLASS_ORDER

ITEM_COLUMNS: tuple[str, ...] = (
    "Kode",
    "Nama Data",
    "Produsen Data",
    "Satuan",
    "Periodisitas",
    "Tingkat Penyajian",
    "Topik",
    "Sifat Data",
    "Dasar Hukum Sifat Data",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "No",
    "Produsen Data",
    "Terbuka",
    "Terbatas",
    "Tertutup",
    "Jumlah",
)

CLASS_ID = {"open": "Terbuka", "limited": "Terbatas", "closed": "Tertutup"}
PERIODICITY_ID = {
    "annual": "Tahunan",
    "semester": "Semesteran",
    "quarterly": "Triwulanan",
    "monthly": "Bulanan",
}
LEVEL_ID = {"regency": "Kabupaten/Kota", "district": "Kecamatan", "village": "Desa/Kelurahan"}

ITEM_WIDTHS = (14, 48, 32, 14, 13, 17, 22, 11, 44)


@dataclass(frozen=True)
class ExportHeading:
    """What the exported file says about itself: region, decree, filters, date made."""

    region_name: str
    decree_number: str
    decree_title: str
    year: int
    filters: str
    made_on: dt.date


def export_filename(year: int, ext: str) -> str:
    """daftar-data-aksesibilitas-2026.xlsx"""
    return f"daftar-data-aksesibilitas-{year}.{ext}"


def item_cells(row: Mapping[str, Any]) -> list[str]:
    """A ROW_FIELDS dict as the ITEM_COLUMNS cells."""
    return [
        row["code"],
        row["name"],
        row["agency__name"],
        row["unit"],
        PERIODICITY_ID.get(row["periodicity"], row["periodicity"]),
        LEVEL_ID.get(row["level"], row["level"]),
        row["topic__name"] or "",
        CLASS_ID.get(row["accessibility"], row["accessibility"]),
        row["accessibility_reason"],
    ]


def _csv_safe(value: str) -> str:
    return csv_cell(value)


def export_csv(rows_by_class: Mapping[str, Sequence[Mapping[str, Any]]]) -> bytes:
    """One row per item under the ITEM_COLUMNS header, UTF-8 with a BOM (Excel reads it so)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ITEM_COLUMNS)
    for cls in CLASS_ORDER:
        for row in rows_by_class.get(cls, ()):
            writer.writerow([_csv_safe(c) for c in item_cells(row)])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(
    *,
    heading: ExportHeading,
    counts: Mapping[str, int],
    agency_rows: Iterable[Mapping[str, Any]],
    rows_by_class: Mapping[str, Sequence[Mapping[str, Any]]],
) -> bytes:
    """A workbook: "Ringkasan" (counts by agency and class) and one sheet per class."""
    out = io.BytesIO()
    # constant_memory streams each row to a temporary file once it is done, so memory stays
    # flat whatever the list's length; rows must then be written top to bottom, as here.
    book = safe_workbook(out, {"constant_memory": True})
    book.set_properties(
        {"title": f"Daftar Data sesuai Aksesibilitas Data {heading.year}", "subject": "Langkah 2"}
    )
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format(
            {"bold": True, "bg_color": "#DDE5EE", "border": 1, "text_wrap": True}
        ),
        "cell": book.add_format({"border": 1, "valign": "top", "text_wrap": True}),
        "num": book.add_format({"border": 1, "valign": "top"}),
        "total": book.add_format({"bold": True, "border": 1}),
        "pct": book.add_format({"border": 1, "num_format": "0.0%"}),
    }
    _write_summary(book, fmt, heading, counts, agency_rows)
    for cls in CLASS_ORDER:
        _write_class_sheet(book, fmt, CLASS_ID[cls], rows_by_class.get(cls, ()))
    book.close()
    return out.getvalue()


def _write_summary(
    book: xlsxwriter.Workbook,
    fmt: dict[str, Any],
    heading: ExportHeading,
    counts: Mapping[str, int],
    agency_rows: Iterable[Mapping[str, Any]],
) -> None:
    sheet = book.add_worksheet("Ringkasan")
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 5, 12)
    lines = (
        ("DAFTAR DATA SESUAI AKSESIBILITAS DATA", fmt["title"]),
        (heading.region_name, None),
        (f"SK Daftar Data {heading.decree_number} ({heading.year}): {heading.decree_title}", None),
        (f"Filter: {heading.filters}", None),
        (f"Tanggal: {heading.made_on.isoformat()}", None),
    )
    for r, (text, cell_format) in enumerate(lines):
        sheet.write_string(r, 0, text, cell_format)
    r = len(lines) + 1
    for c, label in enumerate(SUMMARY_COLUMNS):
        sheet.write_string(r, c, label, fmt["head"])
    for n, row in enumerate(agency_rows, start=1):
        r += 1
        sheet.write_number(r, 0, n, fmt["num"])
        sheet.write_string(r, 1, row["agency__name"], fmt["cell"])
        for c, key in enumerate(("open", "limited", "closed", "total"), start=2):
            sheet.write_number(r, c, row[key], fmt["num"])
    r += 1
    sheet.write_string(r, 0, "", fmt["total"])
    sheet.write_string(r, 1, "Jumlah", fmt["total"])
    for c, key in enumerate(("open", "limited", "closed", "total"), start=2):
        sheet.write_number(r, c, counts[key], fmt["total"])

    r += 2
    for c, label in enumerate(("", "Sifat Data", "Jumlah", "Persentase")):
        sheet.write_string(r, c, label, fmt["head"])
    total = counts["total"]
    for n, cls in enumerate(CLASS_ORDER, start=1):
        r += 1
        sheet.write_number(r, 0, n, fmt["num"])
        sheet.write_string(r, 1, CLASS_ID[cls], fmt["cell"])
        sheet.write_number(r, 2, counts[cls], fmt["num"])
        sheet.write_number(r, 3, counts[cls] / total if total else 0, fmt["pct"])


def _write_class_sheet(
    book: xlsxwriter.Workbook,
    fmt: dict[str, Any],
    name: str,
    rows: Sequence[Mapping[str, Any]],
) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 6)
    for c, width in enumerate(ITEM_WIDTHS, start=1):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    sheet.write_string(0, 0, "No", fmt["head"])
    for c, label in enumerate(ITEM_COLUMNS, start=1):
        sheet.write_string(0, c, label, fmt["head"])
    for r, row in enumerate(rows, start=1):
        sheet.write_number(r, 0, r, fmt["num"])
        for c, value in enumerate(item_cells(row), start=1):
            # write_string, never write(): a name starting with "=" stays text.
            sheet.write_string(r, c, value, fmt["cell"])
    sheet.autofilter(0, 0, max(len(rows), 1), len(ITEM_COLUMNS))
