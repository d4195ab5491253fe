"""Reading data-list files: the template, tolerant parsing, and refusal of what is not one."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from satudata.catalog.imports import (
    CHOICE_WORDS,
    HEADER,
    CellError,
    data_list_import,
    parse_choice,
    parse_yes_no,
    read_table,
)
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.models import DataItem
from satudata.core.errors import DomainError
from tests.catalog.test_import_service import row


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_xlsx_template_has_the_header_validations_and_reference_sheets(health, education):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert book.sheetnames == ["Daftar Data", "Petunjuk", "Produsen Data", "Rincian"]
    sheet = book["Daftar Data"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 30  # Nama Data
    lists = {
        next(iter(v.sqref.ranges)).min_col: v.formula1
        for v in sheet.data_validations.dataValidation
    }
    sifat = HEADER.index("Sifat Data") + 1
    assert lists[sifat] == '"Terbuka,Terbatas,Tertutup"'
    periodicity = HEADER.index("Periodisitas") + 1
    assert lists[periodicity] == '"Tahunan,Semesteran,Triwulanan,Bulanan"'
    assert "'Produsen Data'!$A$2:$A$3" in lists[HEADER.index("Kode Produsen Data") + 1]
    agencies = [[c.value for c in r] for r in book["Produsen Data"].iter_rows(min_row=2)]
    assert agencies == [
        ["1.01.01", "Dinas Pendidikan", "Dispendik"],
        ["1.02.01", "Dinas Kesehatan", "Dinkes"],
    ]
    guide = [r[0].value for r in book["Petunjuk"].iter_rows()]
    assert all(label in guide for label in HEADER)


def test_the_csv_template_has_the_same_header():
    text = template_csv().decode("utf-8-sig")
    assert text.splitlines() == [",".join(f'"{h}"' if "," in h else h for h in HEADER)]


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("accessibility", "Terbuka", "open"),
        ("accessibility", " OPEN ", "open"),
        ("accessibility", "tertutup", "closed"),
        ("periodicity", "Tahunan", "annual"),
        ("periodicity", "annual", "annual"),
        ("periodicity", "Kuartalan", "quarterly"),
        ("periodicity", "Triwulanan", "quarterly"),
        ("periodicity", "semi-annual", "semester"),
        ("level", "Desa/Kelurahan", "village"),
        ("data_type", "keuangan", "financial"),
    ],
)
def test_choice_cells_accept_indonesian_and_english_words(name, raw, value):
    assert parse_choice(name, raw) == value


@given(name=st.sampled_from(sorted(CHOICE_WORDS)), raw=st.text(max_size=30))
def test_a_choice_cell_either_parses_or_raises_the_domain_error(name, raw):
    try:
        value = parse_choice(name, raw)
    except CellError as exc:
        assert isinstance(exc, DomainError) and exc.message
    else:
        assert value in CHOICE_WORDS[name]


@given(raw=st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans()))
def test_a_yes_no_cell_either_parses_or_raises_the_domain_error(raw):
    try:
        assert parse_yes_no(raw) in (True, False)
    except CellError as exc:
        assert "Ya or Tidak" in exc.message


def test_numbers_typed_as_numbers_in_excel_read_as_their_text(walidata, decree, health):
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["Kode", "Nama Data", "OPD", "Satuan", "Periodisitas",
                           "Tingkat Penyajian", "Sifat Data", "Indikator Komposit"])  # fmt: skip
    sheet.write_row(1, 0, [101, "Jumlah bidan", "1.02.01", "orang", "Tahunan", "Desa",
                           "Terbuka", True])  # fmt: skip
    book.close()
    data_list_import(actor=walidata, decree=decree, data=buffer.getvalue(), filename="a.xlsx")
    item = DataItem.objects.get(decree=decree)
    assert (item.code, item.is_composite) == ("101", True)


def _refusal(walidata, decree, data: bytes, filename: str) -> str:
    with pytest.raises(DomainError) as info:
        data_list_import(actor=walidata, decree=decree, data=data, filename=filename)
    assert not DataItem.objects.exists()
    return info.value.message


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "daftar.pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "daftar.xlsx"),
        (b"Kode,Nama Data\nA,B\n", "daftar.xlsx"),
        (_zip(["word/document.xml", "[Content_Types].xml"]), "daftar.xlsx"),
        (b"\x00\x01\x02binary", "daftar.csv"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_spreadsheet(walidata, decree, data, filename):
    assert "not a spreadsheet" in _refusal(walidata, decree, data, filename)


def test_it_refuses_an_old_xls_workbook_with_advice(walidata, decree):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert "Save it as .xlsx" in _refusal(walidata, decree, data, "daftar.xls")


def test_it_refuses_a_damaged_xlsx(walidata, decree):
    data = _zip(["xl/workbook.xml", "[Content_Types].xml"])
    assert "could not be read" in _refusal(walidata, decree, data, "daftar.xlsx")


def test_it_refuses_an_empty_file(walidata, decree):
    assert "empty" in _refusal(walidata, decree, b"", "daftar.csv")


def test_it_refuses_a_file_over_the_upload_limit(walidata, decree, health, settings):
    data = template_csv(rows=[row(f"A{i}") for i in range(50)])
    settings.MAX_UPLOAD_BYTES = len(data) - 1
    assert "larger than" in _refusal(walidata, decree, data, "daftar.csv")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_refuses_a_template_without_data_rows(walidata, decree, fmt):
    data = template_xlsx() if fmt == "xlsx" else template_csv()
    assert "no data rows" in _refusal(walidata, decree, data, f"daftar.{fmt}")


def test_it_refuses_a_sheet_without_a_header_row(walidata, decree):
    data = b"satu,dua,tiga\n1,2,3\n"
    assert "No header row" in _refusal(walidata, decree, data, "daftar.csv")


def test_a_column_named_twice_is_refused(walidata, decree):
    header = ["Kode", "Nama Data", "Satuan", "Satuan", "Kode Produsen Data", "Periodisitas",
              "Tingkat Penyajian", "Sifat Data"]  # fmt: skip
    data = (",".join(header) + "\nA,B,c,d,1.02.01,Tahunan,Desa,Terbuka\n").encode()
    assert '"Satuan" appears twice' in _refusal(walidata, decree, data, "daftar.csv")


def test_a_utf8_csv_with_a_bom_and_semicolons_reads_like_any_other():
    text = ";".join(HEADER) + "\n" + ";".join(row("A1", {"Nama Data": "Luas kebun kopi (ha)"}))
    table = read_table(("\ufeff" + text).encode("utf-8"), "x.csv")
    assert table.columns["code"] == 0
    assert table.rows == [(2, row("A1", {"Nama Data": "Luas kebun kopi (ha)"}))]
