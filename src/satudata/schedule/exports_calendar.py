"""Release calendar exports: XLSX and CSV (one row per item and period) and ICS (RFC 5545).

Headers and labels are fixed Indonesian, as in the other exports: operators and other
regions read these files. The ICS is written by hand: one all-day VEVENT per due date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from satudata.core.spreadsheet_safety import csv_cell, safe_workbook
from satudata.schedule.exports import PERIODICITY_ID

CALENDAR_COLUMNS: tuple[str, ...] = (
    "Tanggal Jatuh Tempo",
    "Kode",
    "Nama Data",
    "Produsen Data",
    "Periodisitas",
    "Periode",
    "Status Keterisian",
)
STATUS_ID = {
    "filled": "Terisi",
    "filled_late": "Terisi terlambat",
    "partial": "Terisi sebagian",
    "missing": "Belum terisi",
    "not_due": "Belum jatuh tempo",
}
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WIDTHS = (6, 14, 16, 14, 48, 32, 13, 10, 18)


@dataclass(frozen=True)
class CalendarHeading:
    """What the exported calendar says about itself."""

    region_name: str
    year: int
    filters: str
    made_at: dt.datetime  # aware


def calendar_filename(year: int, ext: str) -> str:
    """jadwal-rilis-2026.ics"""
    return f"jadwal-rilis-{year}.{ext}"


def row_cells(row: Mapping[str, Any]) -> list[str]:
    """A calendar row as the CALENDAR_COLUMNS cells (the date as ISO, sortable)."""
    return [
        row["due_date"].isoformat(),
        row["code"],
        row["name"],
        row["agency"],
        PERIODICITY_ID.get(row["periodicity"], row["periodicity"]),
        row["period"],
        STATUS_ID.get(row["status"], row["status"]),
    ]


def _csv_safe(value: str) -> str:
    return csv_cell(value)


def calendar_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads it), CRLF, one row per item and period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CALENDAR_COLUMNS)
    for row in rows:
        writer.writerow([_csv_safe(c) for c in row_cells(row)])
    return out.getvalue().encode("utf-8-sig")


def calendar_xlsx(*, heading: CalendarHeading, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """One sheet "Jadwal Rilis": a heading, then the rows with the month and a real date."""
    out = io.BytesIO()
    book = safe_workbook(out, {"constant_memory": True})
    book.set_properties({"title": f"Jadwal Rilis {heading.year}", "subject": "Jadwal rilis"})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#DDE5EE", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    num = book.add_format({"border": 1, "valign": "top"})
    date = book.add_format({"border": 1, "valign": "top", "num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Jadwal Rilis")
    for c, width in enumerate(WIDTHS):
        sheet.set_column(c, c, width)
    lines = (
        (f"JADWAL RILIS DATA STATISTIK SEKTORAL TAHUN {heading.year}", title),
        (heading.region_name, None),
        (f"Filter: {heading.filters}", None),
        (f"Tanggal: {heading.made_at.date().isoformat()}", None),
    )
    for r, (text, fmt) in enumerate(lines):
        sheet.write_string(r, 0, text, fmt)
    top = len(lines) + 1
    for c, label in enumerate(("No", "Bulan", *CALENDAR_COLUMNS)):
        sheet.write_string(top, c, label, head)
    sheet.freeze_panes(top + 1, 0)
    for n, row in enumerate(rows, start=1):
        r = top + n
        due: dt.date = row["due_date"]
        sheet.write_number(r, 0, n, num)
        sheet.write_string(r, 1, f"{MONTHS_ID[due.month - 1]} {due.year}", cell)
        sheet.write_datetime(r, 2, dt.datetime(due.year, due.month, due.day), date)
        for c, value in enumerate(row_cells(row)[1:], start=3):
            sheet.write_string(r, c, value, cell)
    sheet.autofilter(top, 0, top + max(len(rows), 1), len(CALENDAR_COLUMNS) + 1)
    book.close()
    return out.getvalue()


# ---------------------------------------------------------------- ICS (RFC 5545)


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        # Back up to the first byte of a character (continuation bytes are 0b10xxxxxx).
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        parts.append(data[start:cut])
        # A continuation line starts with one space, which counts in its 75 octets.
        start, limit = cut, 74
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def calendar_ics(
    *, heading: CalendarHeading, rows: Iterable[Mapping[str, Any]], site_url: str, item_url: str
) -> bytes:
    """A VCALENDAR with one all-day VEVENT per item and period, on its due date.

    `item_url` is the item schedule page's path with "{}" for the item id.
    """
    host = urlsplit(site_url).hostname or "satudata"
    base = site_url.rstrip("/")
    stamp = heading.made_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Satu Data {ics_escape(heading.region_name)}//Jadwal Rilis//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(f'Jadwal Rilis {heading.year} · {heading.region_name}')}",
    ]
    for row in rows:
        due: dt.date = row["due_date"]
        status = STATUS_ID.get(row["status"], row["status"])
        summary = f"Jatuh tempo: {row['code']} {row['name']} ({row['period']})"
        description = (
            f"Produsen Data: {row['agency']}\n"
            f"Periode: {row['period']} ({PERIODICITY_ID.get(row['periodicity'], '')})\n"
            f"Status keterisian: {status}"
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{row['item_id']}-{row['period']}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"URL:{base}{item_url.format(int(row['item_id']))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(ics_fold(line) for line in lines) + "\r\n").encode("utf-8")
