"""A dataset as an XLSX workbook: its values (sheet "data") and its metadata ("metadata").

XlsxWriter's constant-memory mode writes each row to a temporary file as it comes, so a
large dataset costs disk, not memory; the finished workbook is a temporary file that the
caller streams (FileResponse) and that disappears when it is closed.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.utils.translation import gettext as _

from satudata.core.spreadsheet_safety import safe_workbook
from satudata.portal.exports_table import Table, decimal_number

# Excel's last row: a larger dataset's workbook stops there and says so (the CSV has it all).
MAX_ROWS = 1_048_575


def _metadata_rows(meta: dict[str, Any]) -> list[tuple[str, str]]:
    """Label and text of each metadata line, with the BPS labels operators know."""
    bps = meta["bps_metadata"]
    return [
        (_("Title"), meta["title"]),
        (_("Code"), meta["code"]),
        (_("Producer"), meta["agency"]["name"]),
        (_("Topic"), meta["topic"]),
        (_("Unit"), meta["unit"]),
        (_("Periodicity"), meta["periodicity"]),
        (_("Presentation level"), meta["level"]),
        (_("Released periods"), ", ".join(meta["periods"])),
        (_("Definition"), bps["definition"]),
        (_("Concept"), bps["concept"]),
        (_("Interpretation"), bps["interpretation"]),
        (_("Calculation method / formula"), bps["formula"]),
        (_("Measure"), bps["measure"]),
        (_("Presentation classification"), bps["classification"]),
        (_("Estimation level"), bps["estimation_level"]),
        (_("Reference period"), bps["reference_period"]),
        (_("Source activity"), meta["source_activity"]),
        (_("License"), f"{meta['license']} {meta['license_url']}".strip()),
        (_("Last update"), meta["modified"]),
        (_("Version"), str(meta["version"])),
        (_("Address"), meta["url"]),
    ]


def xlsx_file(table: Table, meta: dict[str, Any]) -> IO[bytes]:
    """The workbook written to an anonymous temporary file, positioned at its start."""
    # Closed by the response that streams it (FileResponse closes its file).
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    book = safe_workbook(
        out,
        {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "strings_to_urls": False},
    )
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    book.set_properties({"title": meta["title"], "author": meta["agency"]["name"]})

    data = book.add_worksheet("data")
    columns = table.columns
    value_at = len(columns) - 5
    data.write_row(0, 0, columns, bold)
    data.freeze_panes(1, 0)
    data.set_column(0, len(columns) - 1, 14)
    truncated = False
    for number, row in enumerate(table.rows(), start=1):
        if number > MAX_ROWS:
            truncated = True
            break
        value = row[value_at]
        row[value_at] = None
        data.write_row(number, 0, row)
        # A number cell, so that the sheet computes; exact for values of up to 15 digits.
        data.write_number(number, value_at, decimal_number(value))

    sheet = book.add_worksheet("metadata")
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 1, 90)
    lines = _metadata_rows(meta)
    if truncated:
        lines.append(
            (
                _("Incomplete"),
                _("The data exceeds the rows of a worksheet; the CSV file holds all of it."),
            )
        )
    for number, (label, text) in enumerate(lines):
        sheet.write_string(number, 0, label, bold)
        sheet.write_string(number, 1, text or "", wrap)
    book.close()
    out.seek(0)
    return out
