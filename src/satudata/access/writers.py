"""The granted files: CSV streamed row by row, XLSX written in constant memory.

Our own small writers, independent of the public download module: a grant's file carries
limited values and must never share a cache or code path with the open downloads.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO

import xlsxwriter.worksheet
from django.db.models import QuerySet

from satudata.core.spreadsheet_safety import csv_row, safe_workbook
from satudata.values.models import Observation

HEADER = (
    "kode",
    "nama_data",
    "periode",
    "kode_wilayah",
    "nama_wilayah",
    "rincian",
    "nilai",
    "satuan",
    "status",
    "catatan",
)
CHUNK = 2000
SHEET_ROWS = 1_048_575  # data rows under the header row


# What a row of the file is read from: plain tuples, no model objects (a million of them
# would cost most of the download's time).
COLUMNS = (
    "item__code",
    "item__name",
    "period",
    "region_id",
    "region__name",
    "breakdown_key",
    "value",
    "item__unit",
    "status",
    "note",
)
VALUE = COLUMNS.index("value")
TEXT_COLUMNS = tuple(i for i in range(len(COLUMNS)) if i != VALUE)


def _value(value: object) -> str:
    # Plain decimal with a point and no trailing zeros: what every program reads back.
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rows(observations: QuerySet[Observation]) -> Iterator[tuple]:
    """One tuple per value, in the order of HEADER, the value as plain decimal text."""
    for row in observations.values_list(*COLUMNS).iterator(chunk_size=CHUNK):
        yield (*row[:VALUE], _value(row[VALUE]), *row[VALUE + 1 :])


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(observations: QuerySet[Observation]) -> Iterator[str]:
    """CSV text, a header then one line per value, produced as it is read."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)  # the BOM lets Excel read UTF-8 names
    for row in rows(observations):
        yield writer.writerow(csv_row(row))


def xlsx_file(observations: QuerySet[Observation], *, title: str) -> IO[bytes]:
    """An XLSX workbook in a temporary file (rewound), values as numbers."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it after sending
    book = safe_workbook(out, {"constant_memory": True, "in_memory": False})
    bold = book.add_format({"bold": True})

    def new_sheet(number: int) -> xlsxwriter.worksheet.Worksheet:
        sheet = book.add_worksheet("data" if number == 1 else f"data{number}")
        sheet.write_row(0, 0, HEADER, bold)
        sheet.set_column(1, 1, 40)
        sheet.set_column(4, 4, 24)
        return sheet

    # A sheet holds 1,048,576 rows: a longer series goes on into the next sheet.
    number, sheet, line = 1, new_sheet(1), 0
    for row in rows(observations):
        line += 1
        if line > SHEET_ROWS:
            number += 1
            sheet, line = new_sheet(number), 1
        # Typed writes: write_row would test every string for numbers, URLs and formulas.
        for column in TEXT_COLUMNS:
            if row[column]:
                sheet.write_string(line, column, row[column])
        sheet.write_number(line, VALUE, float(row[VALUE]))
    book.set_properties({"title": title[:250]})
    book.close()
    out.seek(0)
    return out
