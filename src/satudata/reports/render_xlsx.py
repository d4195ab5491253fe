"""The report as an XLSX workbook: every table of the report, one per sheet (XlsxWriter)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils import translation

from satudata.core.spreadsheet_safety import is_web_address, safe_workbook
from satudata.reports.tables import period_label, report_tables

MAX_WIDTH = 60


def _sheet_name(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    candidate, n = clean, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate


def render_xlsx(data: dict[str, Any], *, language: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with translation.override(language or settings.LANGUAGE_CODE):
        tables = report_tables(data)
        label = period_label(data["period"])
        book = safe_workbook(buffer, {"in_memory": True})
        # A fixed creation time keeps the bytes (and checksum) a function of the figures.
        book.set_properties({"title": f"{label}", "created": _epoch()})
        bold = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
        title = book.add_format({"bold": True, "font_size": 12})
        link = book.add_format({"font_color": "blue", "underline": 1})
        used: set[str] = set()
        for table in tables:
            sheet = book.add_worksheet(_sheet_name(table.sheet, used))
            sheet.write(0, 0, table.title, title)
            sheet.write(1, 0, label)
            widths = [len(str(c)) for c in table.columns]
            for col, heading in enumerate(table.columns):
                sheet.write(3, col, heading, bold)
            for r, row in enumerate(table.rows, start=4):
                for col, value in enumerate(row):
                    if table.link == col and value and is_web_address(str(value)):
                        sheet.write_url(r, col, str(value), link, string=str(value))
                    elif value is None:
                        sheet.write_blank(r, col, None)
                    elif isinstance(value, int | float) and not isinstance(value, bool):
                        sheet.write_number(r, col, value)
                    else:
                        sheet.write_string(r, col, str(value))
                    widths[col] = max(widths[col], len(str(value)))
            for col, width in enumerate(widths):
                sheet.set_column(col, col, min(MAX_WIDTH, width + 2))
            sheet.freeze_panes(4, 0)
            if table.rows:
                sheet.autofilter(3, 0, 3 + len(table.rows), len(table.columns) - 1)
        book.close()
    return buffer.getvalue()


def _epoch():
    import datetime as dt

    return dt.datetime(2000, 1, 1)
