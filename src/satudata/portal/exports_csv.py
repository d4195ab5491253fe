"""A dataset's values as CSV, streamed: UTF-8, a header row, '.' as decimal separator.

Written row by row into a small buffer that is handed out every few hundred rows, so that
the server holds one chunk of rows at a time however large the dataset (a million values
stream in a few tens of MB) and the first bytes leave before the last row is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from satudata.core.spreadsheet_safety import csv_row
from satudata.portal.exports_table import Table, decimal_text

# Rows written before the buffer is handed to the server (about 30-60 kB).
ROWS_PER_CHUNK = 500


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV file in chunks of bytes: the header first (at once), then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    yield _take(buffer)
    value_at = len(table.columns) - 5  # value, unit, status, note, source are last
    pending = 0
    for row in table.rows():
        row[value_at] = decimal_text(row[value_at])
        writer.writerow(csv_row(row))
        pending += 1
        if pending >= ROWS_PER_CHUNK:
            yield _take(buffer)
            pending = 0
    if pending:
        yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data
