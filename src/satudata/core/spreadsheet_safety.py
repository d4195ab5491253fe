"""Exported spreadsheets never run what users typed: formula injection (CSV injection) guard.

A cell whose text starts with "=", "+", "-", "@" (or a tab or carriage return before one of
them) is run as a formula by Excel, LibreOffice and Google Sheets when the file is opened: a
data item named "=HYPERLINK(...)" or a note "+cmd|' /C calc'!A0" would act in the reader's
spreadsheet program. Every writer of this product goes through these helpers:

- XLSX (XlsxWriter): workbooks are made with `safe_workbook`, which turns off XlsxWriter's
  guessing (a string starting with "=" stays a string cell, never a formula; text that looks
  like a web address stays text). A string cell is never evaluated, so the text is kept as is.
- CSV: a CSV cell has no type, so a text that would run is prefixed with an apostrophe, as
  OWASP recommends; the importers take the apostrophe off again (`csv_restore`), so a list
  exported and uploaded again round-trips. Numbers ("-12.5", "1.234,5") stay numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

# What makes a spreadsheet program read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# XlsxWriter's defaults guess a cell's type from its text; an export says it itself.
SAFE_WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

# A plain number in any notation the exports write: only a sign, digits and separators,
# which no spreadsheet program can read as a call of anything.
_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?")

_WEB_ADDRESS = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def would_run(text: str) -> bool:
    """True when a spreadsheet program would read this text as a formula."""
    return text.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell that cannot run: text that would is prefixed with "'"."""
    if isinstance(value, str) and would_run(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """Every cell of a CSV row through `csv_cell`."""
    return [csv_cell(v) for v in values]


def csv_restore(text: str) -> str:
    """An uploaded CSV cell as the user meant it: the apostrophe our export added comes off."""
    if text.startswith("'") and would_run(text[1:]):
        return text[1:]
    return text


def safe_workbook(target: IO[bytes] | str, options: dict[str, Any] | None = None) -> Any:
    """An XlsxWriter workbook that writes every string as a string (never a formula or link)."""
    import xlsxwriter

    return xlsxwriter.Workbook(target, {**(options or {}), **SAFE_WORKBOOK_OPTIONS})


def is_web_address(text: str) -> bool:
    """True for an http(s) address, the only links an export writes as hyperlinks."""
    return bool(_WEB_ADDRESS.fullmatch(text))
