"""Reading uploaded spreadsheets (XLSX by calamine, CSV by the csv module) for every import.

Whatever the import (a data list, values), a workbook that cannot be read, a password, or a
CSV that is not UTF-8 text get the same clear message in the user's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from satudata.core.errors import DomainError


def workbook_sheets(data: bytes, only: str | None = None) -> tuple[list[str], dict[str, list]]:
    """Sheet names in order and each sheet's rows from A1 (just `only`, or the first sheet,
    when `only` is given)."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

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
        raise DomainError(
            _("The workbook could not be read (it may be damaged). Save it again as .xlsx.")
        ) from exc


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
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
