"""Step-1 exports: the fill check as XLSX (a summary by agency and the list of item-periods)
and as CSV (the list).

Headers, sheet names and status labels are fixed Indonesian (operators and the walidata's
reports read them), not translated. Dates are real dates in XLSX and ISO in CSV.
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
from satudata.schedule.exports import CLASS_ID
from satudata.schedule.fill_check import STATUS_ORDER, AgencyFill

LIST_COLUMNS: tuple[str, ...] = (
    "Perangkat Daerah",
    "Kode",
    "Nama Data",
    "Sifat Data",
    "Periode",
    "Jatuh Tempo",
    "Status Keterisian",
    "Sel Terisi",
    "Sel Wajib",
    "Terlambat (hari)",
)
LIST_WIDTHS = (36, 14, 48, 10, 10, 12, 20, 10, 10, 12)
STATUS_ID = {
    "filled": "Terisi",
    "filled_late": "Terisi terlambat",
    "partial": "Terisi sebagian",
    "missing": "Belum terisi",
    "not_due": "Belum jatuh tempo",
}
SUMMARY_COLUMNS: tuple[str, ...] = (
    "No",
    "Perangkat Daerah",
    "Dijadwalkan",
    *(STATUS_ID[s] for s in STATUS_ORDER),
    "Sudah Jatuh Tempo",
    "% Terisi dari yang Jatuh Tempo",
    "Lewat Jatuh Tempo",
)


@dataclass(frozen=True)
class FillHeading:
    """What the exported file says about itself."""

    region_name: str
    scope: str  # "Tahun 2026" / "Periode 2026-Q3"
    filters: str
    made_on: dt.date


def fill_filename(scope_key: str, ext: str) -> str:
    """keterisian-data-2026-Q3.xlsx"""
    return f"keterisian-data-{scope_key}.{ext}"


def list_cells(row: Mapping[str, Any]) -> list[Any]:
    """A fill_rows() dict as the LIST_COLUMNS values (dates and numbers kept as such)."""
    return [
        row["item__agency__name"],
        row["item__code"],
        row["item__name"],
        CLASS_ID.get(row["item__accessibility"], row["item__accessibility"]),
        row["period"],
        row["due_date"],
        STATUS_ID.get(row["status"], row["status"]),
        row["filled_cells"],
        row["required_cells"],
        row["days"] if row["days"] is not None and row["days"] > 0 else None,
    ]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula is run by spreadsheet programs (CSV injection).
    return csv_cell(text) if isinstance(value, str) else text


def export_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One row per item-period under LIST_COLUMNS, UTF-8 with a BOM (Excel reads it so)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(LIST_COLUMNS)
    for row in rows:
        writer.writerow([_csv_text(v) for v in list_cells(row)])
    return out.getvalue().encode("utf-8-sig")


def export_xlsx(
    *,
    heading: FillHeading,
    agency_rows: Sequence[AgencyFill],
    total: AgencyFill,
    rows: Sequence[Mapping[str, Any]],
) -> bytes:
    """A workbook: "Ringkasan" (counts by agency) and "Keterisian" (every item-period)."""
    out = io.BytesIO()
    # constant_memory: rows stream to disk as written (top to bottom), memory stays flat.
    book = safe_workbook(out, {"constant_memory": True})
    book.set_properties({"title": f"Keterisian Data {heading.scope}", "subject": "Langkah 1"})
    fmt = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format(
            {"bold": True, "bg_color": "#DDE5EE", "border": 1, "text_wrap": True}
        ),
        "cell": book.add_format({"border": 1, "valign": "top", "text_wrap": True}),
        "num": book.add_format({"border": 1, "valign": "top"}),
        "date": book.add_format({"border": 1, "valign": "top", "num_format": "dd/mm/yyyy"}),
        "total": book.add_format({"bold": True, "border": 1}),
        "pct": book.add_format({"border": 1, "num_format": "0.0%"}),
    }
    _write_summary(book, fmt, heading, agency_rows, total)
    _write_list(book, fmt, rows)
    book.close()
    return out.getvalue()


def _summary_numbers(row: AgencyFill) -> list[int]:
    return [row.scheduled, *(row.counts[s] for s in STATUS_ORDER), row.due]


def _write_summary(
    book: xlsxwriter.Workbook,
    fmt: dict[str, Any],
    heading: FillHeading,
    agency_rows: Sequence[AgencyFill],
    total: AgencyFill,
) -> None:
    sheet = book.add_worksheet("Ringkasan")
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, len(SUMMARY_COLUMNS) - 1, 13)
    lines = (
        ("DAFTAR KETERISIAN DATA STATISTIK SEKTORAL SESUAI JADWAL RILIS", fmt["title"]),
        (heading.region_name, None),
        (heading.scope, None),
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
        sheet.write_string(r, 1, row.agency_name, fmt["cell"])
        _write_numbers(sheet, r, row, fmt["num"], fmt["pct"])
    r += 1
    sheet.write_string(r, 0, "", fmt["total"])
    sheet.write_string(r, 1, "Jumlah", fmt["total"])
    _write_numbers(sheet, r, total, fmt["total"], fmt["pct"])


def _write_numbers(
    sheet: xlsxwriter.worksheet.Worksheet, r: int, row: AgencyFill, num: Any, pct: Any
) -> None:
    c = 2
    for c, value in enumerate(_summary_numbers(row), start=2):
        sheet.write_number(r, c, value, num)
    if row.due:
        sheet.write_number(r, c + 1, row.due_complete / row.due, pct)
    else:
        sheet.write_string(r, c + 1, "-", num)
    sheet.write_number(r, c + 2, row.overdue, num)


def _write_list(
    book: xlsxwriter.Workbook, fmt: dict[str, Any], rows: Sequence[Mapping[str, Any]]
) -> None:
    sheet = book.add_worksheet("Keterisian")
    sheet.set_column(0, 0, 6)
    for c, width in enumerate(LIST_WIDTHS, start=1):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(1, 0)
    sheet.write_string(0, 0, "No", fmt["head"])
    for c, label in enumerate(LIST_COLUMNS, start=1):
        sheet.write_string(0, c, label, fmt["head"])
    for r, row in enumerate(rows, start=1):
        sheet.write_number(r, 0, r, fmt["num"])
        for c, value in enumerate(list_cells(row), start=1):
            if value is None:
                sheet.write_blank(r, c, None, fmt["num"])
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, fmt["date"])
            elif isinstance(value, int):
                sheet.write_number(r, c, value, fmt["num"])
            else:
                # write_string, never write(): a name starting with "=" stays text.
                sheet.write_string(r, c, value, fmt["cell"])
    sheet.autofilter(0, 0, max(len(rows), 1), len(LIST_COLUMNS))
