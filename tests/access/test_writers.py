"""The granted files read back as what was written."""

from __future__ import annotations

from decimal import Decimal

from python_calamine import CalamineWorkbook

from satudata.access import writers


def _rows(n: int):
    def fake(_observations):
        for i in range(n):
            value = writers._value(Decimal("1234.500000") + i)
            yield (
                "1.02.01.009",
                "Data Terbatas",
                str(2020 + i),
                "35.09",
                "Kabupaten Jember",
                "",
                value,
                "jiwa",
                "final",
                "",
            )

    return fake


def test_csv_values_are_plain_decimals_with_a_header(monkeypatch):
    monkeypatch.setattr(writers, "rows", _rows(2))
    lines = "".join(writers.csv_chunks(None)).lstrip("\ufeff").splitlines()
    assert lines[0].split(",") == list(writers.HEADER)
    assert lines[1].split(",")[6] == "1234.5"
    assert len(lines) == 3


def test_xlsx_goes_on_into_a_new_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(writers, "SHEET_ROWS", 2)
    monkeypatch.setattr(writers, "rows", _rows(5))
    book = CalamineWorkbook.from_filelike(writers.xlsx_file(None, title="t"))
    assert book.sheet_names == ["data", "data2", "data3"]
    first = book.get_sheet_by_name("data").to_python()
    assert first[0] == list(writers.HEADER)
    assert first[1][6] == 1234.5
    assert [len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names] == [3, 3, 2]
