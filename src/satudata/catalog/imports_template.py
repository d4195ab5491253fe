"""The data-list template: an XLSX to fill in (with guide and reference sheets) and a CSV.

Both follow `catalog.imports.COLUMNS`, so what the template offers is what the import reads.
Column headers and sheet names are fixed Indonesian labels (regional practice); the guide's
explanations go through gettext like any other text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.catalog.imports import (
    AGENCY_SHEET,
    BREAKDOWN_SHEET,
    COLUMNS,
    DATA_SHEET,
    GUIDE_SHEET,
    HEADER,
    NO_WORDS,
    YES_WORDS,
    Column,
    choice_labels,
)
from satudata.catalog.models import Breakdown
from satudata.core.spreadsheet_safety import csv_row, safe_workbook

# Rows of the data sheet that carry the drop-down lists (a data list has a few thousand).
VALIDATED_ROWS = 10_000
# Code columns hold text: Excel would turn "1.10" into the number 1.1.
TEXT_FIELDS = frozenset({"code", "agency", "activity_code", "indicator_code", "metadata_code"})


def _allowed(column: Column) -> str:
    if column.kind == "choice":
        return " / ".join(choice_labels(column.field))
    if column.kind == "bool":
        return f"{YES_WORDS[0]} / {NO_WORDS[0]}"
    if column.kind == "agency":
        return _('A code (or exact name) from the sheet "%(sheet)s".') % {"sheet": AGENCY_SHEET}
    if column.kind == "breakdowns":
        return _('Names from the sheet "%(sheet)s", separated by ";".') % {"sheet": BREAKDOWN_SHEET}
    if column.kind == "url":
        return _("A web address starting with https://")
    if column.max_length:
        return _("Text, at most %(max)s characters.") % {"max": column.max_length}
    return _("Text.")


def template_xlsx(*, rows: Iterable[Sequence[Any]] = ()) -> bytes:
    """The XLSX template: the data sheet (optionally filled), a guide, agencies, breakdowns."""
    agencies = list(
        Agency.objects.filter(is_active=True)
        .order_by("code")
        .values_list("code", "name", "short_name")
    )
    breakdowns = list(Breakdown.objects.order_by("name").values_list("name", "slug", "categories"))
    buffer = io.BytesIO()
    book = safe_workbook(buffer, {"in_memory": True})
    header = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    required = book.add_format(
        {"bold": True, "bg_color": "#F4B183", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    sheet = book.add_worksheet(DATA_SHEET)
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 45)
    for index, column in enumerate(COLUMNS):
        fmt = text if column.field in TEXT_FIELDS else None
        sheet.set_column(index, index, column.width, fmt)
        sheet.write_string(0, index, column.label, required if column.required else header)
        _add_validation(sheet, index, column, len(agencies))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write_string(r, c, str(value))
    sheet.autofilter(0, 0, 0, len(COLUMNS) - 1)

    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 30)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 60, wrap)
    guide.set_column(3, 3, 40, wrap)
    guide.set_column(4, 4, 28, wrap)
    notes = [
        _("Fill in one data item per row of the sheet \"%(sheet)s\"; keep its first row (the "
          "column names) as it is.") % {"sheet": DATA_SHEET},
        _("Columns with an orange header are required. Other columns may stay empty; a column "
          "left out of the file keeps what the items already have."),
        _("Rows are matched to the decree's items by Kode: a new code adds an item, a known code "
          "updates it, and items missing from the file are kept."),
        _("If any row has an error, nothing is imported: the page lists every error with its row "
          "and column."),
    ]  # fmt: skip
    for r, note in enumerate(notes):
        guide.write_string(r, 0, f"{r + 1}. {note}")
    start = len(notes) + 1
    for c, label in enumerate(["Kolom", "Wajib", "Penjelasan", "Isian yang diterima", "Contoh"]):
        guide.write_string(start, c, label, header)
    for r, column in enumerate(COLUMNS, start=start + 1):
        guide.write_string(r, 0, column.label)
        guide.write_string(r, 1, YES_WORDS[0] if column.required else NO_WORDS[0])
        guide.write_string(r, 2, str(column.help))
        guide.write_string(r, 3, _allowed(column))
        guide.write_string(r, 4, column.example)

    agency_sheet = book.add_worksheet(AGENCY_SHEET)
    agency_sheet.set_column(0, 0, 16, text)
    agency_sheet.set_column(1, 1, 60)
    agency_sheet.set_column(2, 2, 20)
    agency_sheet.freeze_panes(1, 0)
    for c, label in enumerate(["Kode", "Nama Perangkat Daerah", "Singkatan"]):
        agency_sheet.write_string(0, c, label, header)
    for r, values in enumerate(agencies, start=1):
        for c, value in enumerate(values):
            agency_sheet.write_string(r, c, value)

    breakdown_sheet = book.add_worksheet(BREAKDOWN_SHEET)
    breakdown_sheet.set_column(0, 1, 28)
    breakdown_sheet.set_column(2, 2, 70, wrap)
    breakdown_sheet.freeze_panes(1, 0)
    for c, label in enumerate(["Nama", "Kode", "Kategori"]):
        breakdown_sheet.write_string(0, c, label, header)
    for r, (name, slug, categories) in enumerate(breakdowns, start=1):
        breakdown_sheet.write_string(r, 0, name)
        breakdown_sheet.write_string(r, 1, slug)
        breakdown_sheet.write_string(r, 2, "; ".join(str(c) for c in categories or []))

    book.close()
    return buffer.getvalue()


def _add_validation(sheet: Any, index: int, column: Column, agency_count: int) -> None:
    """A drop-down on the data rows of a choice, yes/no or agency column."""
    if column.kind == "choice":
        values = choice_labels(column.field)
    elif column.kind == "bool":
        values = [YES_WORDS[0], NO_WORDS[0]]
    elif column.kind == "agency" and agency_count:
        # A warning, not a stop: the agency's exact name is accepted too.
        sheet.data_validation(
            1,
            index,
            VALIDATED_ROWS,
            index,
            {
                "validate": "list",
                "source": f"='{AGENCY_SHEET}'!$A$2:$A${agency_count + 1}",
                "error_type": "warning",
                "error_title": column.label[:32],  # Excel's limit
                "error_message": _('Use a code from the sheet "%(sheet)s".')
                % {"sheet": AGENCY_SHEET},
            },
        )
        return
    else:
        return
    sheet.data_validation(
        1,
        index,
        VALIDATED_ROWS,
        index,
        {
            "validate": "list",
            "source": values,
            "error_title": column.label[:32],  # Excel's limit
            "error_message": _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(values)},
        },
    )


def template_csv(*, rows: Iterable[Sequence[Any]] = ()) -> bytes:
    """The CSV template: the same header (and rows), UTF-8 with a BOM so Excel reads it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([csv_row("" if v is None else v for v in row) for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
