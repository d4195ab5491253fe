"""Reading uploaded spreadsheets (XLSX by calamine, CSV by the csv module) for every import.

Whatever the import (a data list, values), a workbook that cannot be read, a password, or a
CSV that is not UTF-8 text get the same clear message in the user's language.

A workbook is measured before calamine opens it: calamine builds each sheet as one dense grid
from A1 to the last cell, so a few kilobytes naming a cell at XFD1048576 would ask for
hundreds of gigabytes (the process aborts), and a small zip can inflate to gigabytes of XML.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from satudata.core.errors import DomainError
from satudata.core.spreadsheet_safety import csv_restore

# Far above any real upload (a 20,000-row data list or 100,000 values is a few MB of XML).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2_000
# Cells of one sheet's grid, from A1 to its last cell (calamine keeps every one of them).
MAX_SHEET_CELLS = 5_000_000
_READ_CHUNK = 1024 * 1024
# What reading a damaged part raises (encrypted parts raise RuntimeError).
_DAMAGED = (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, EOFError)

# Start tags of rows and cells in a worksheet's XML, with their optional reference "r".
_TAG = re.compile(rb"<(?:\w+:)?(row|c)([\s/>][^>]*)?>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)(\d*)["']""")


def _too_big() -> DomainError:
    return DomainError(
        _(
            "The workbook unpacks to far more than a data sheet holds (it may be damaged or "
            "built to overload the server). Save only the template's sheets and upload again."
        )
    )


def _unreadable() -> DomainError:
    return DomainError(
        _("The workbook could not be read (it may be damaged). Save it again as .xlsx.")
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _sheet_grid(part: zipfile.ZipExtFile) -> tuple[int, int]:
    """Rows and columns from A1 to the last cell holding something, placed as calamine does."""
    rows = cols = row = col = 0
    tail = b""
    while chunk := part.read(_READ_CHUNK):
        text = tail + chunk
        # A tag cut by the chunk's end is read again with the next chunk.
        cut = text.rfind(b"<")
        if cut != -1 and text.find(b">", cut) == -1:
            text, tail = text[:cut], text[cut:]
        else:
            tail = b""
        for match in _TAG.finditer(text):
            attributes = match.group(2) or b""
            ref = _REF.search(attributes)
            if match.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
                continue
            if ref and ref.group(1):
                col = _column_number(ref.group(1))
                row = int(ref.group(2)) if ref.group(2) else row
            else:
                col += 1
            # An empty cell (<c r="Z9" s="1"/>, a format only) holds nothing calamine keeps.
            if not attributes.rstrip().endswith(b"/"):
                rows, cols = max(rows, row), max(cols, col)
        if len(tail) > _READ_CHUNK:
            raise _too_big()
    return rows, cols


def _check_workbook_size(data: bytes) -> None:
    """Refuses a workbook whose parts or sheets unpack beyond any real upload."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return  # not a zip: calamine says it cannot read it
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise _too_big()
    for info in parts:
        # Every XML part: the workbook's relations may place a sheet anywhere in the package.
        if not info.filename.lower().endswith(".xml"):
            continue
        try:
            with archive.open(info) as part:
                rows, cols = _sheet_grid(part)
        except _DAMAGED:
            # Damaged, or its sizes lie (a part inflating past what it declares).
            raise _unreadable() from None
        if rows * cols > MAX_SHEET_CELLS:
            raise _too_big()


def workbook_sheets(data: bytes, only: str | None = None) -> tuple[list[str], dict[str, list]]:
    """Sheet names in order and each sheet's rows from A1 (just `only`, or the first sheet,
    when `only` is given)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    _check_workbook_size(data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        wanted = names if only is None else [only if only in names else names[0]]
        sheets: dict[str, list[list[Any]]] = {
            n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wanted
        }
        return names, sheets
    except PasswordError as exc:
        raise DomainError(
            _("The workbook is protected by a password. Save it again without one.")
        ) from exc
    except (CalamineError, IndexError, ValueError, OSError) as exc:
        raise _unreadable() from exc


def csv_text(data: bytes) -> str:
    """The CSV file as text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_('The CSV file is not UTF-8 text. Save it as "CSV UTF-8".'))


def csv_rows(data: bytes) -> Iterator[list[str]]:
    """The CSV file's rows; the header line decides the delimiter: Excel in an Indonesian
    locale writes ";" between cells."""
    text = csv_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Our exports put an apostrophe before text that would run as a formula; it comes off.
    return ([csv_restore(cell) for cell in row] for row in reader)
