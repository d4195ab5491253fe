"""SOP step 2 exports: XLSX (summary + one sheet per class) and CSV, with the page's filters."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from satudata.catalog.choices import Accessibility
from satudata.schedule.exports import ITEM_COLUMNS
from tests.factories import DataItemFactory

OPEN, LIMITED, CLOSED = Accessibility.OPEN, Accessibility.LIMITED, Accessibility.CLOSED


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Autouse runs before the persona fixtures: users are made and logged in with a cheap hash
    # (the real one costs about a second per login on a busy machine).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def data_list(decree, health, education):
    """Health: 2 open, 1 limited, 1 closed; education: 1 open, 1 closed."""
    rows = [
        (health, "KES-01", "Jumlah Puskesmas", OPEN),
        (health, "KES-02", '=HYPERLINK("http://x")', OPEN),  # a formula must stay text
        (health, "KES-03", "Kasus TBC", LIMITED),
        (health, "KES-04", "Pasien HIV", CLOSED),
        (education, "PDK-01", "Jumlah Sekolah", OPEN),
        (education, "PDK-02", "Data Siswa Disabilitas", CLOSED),
    ]
    return [
        DataItemFactory(decree=decree, agency=agency, code=code, name=name, accessibility=cls)
        for agency, code, name, cls in rows
    ]


def _workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def _sheet_rows(book, name: str) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def test_the_xlsx_has_a_summary_and_one_sheet_per_class(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="daftar-data-aksesibilitas-2026.xlsx"' in response["Content-Disposition"]
    book = _workbook(response)
    assert book.sheetnames == ["Ringkasan", "Terbuka", "Terbatas", "Tertutup"]

    header, *rows = _sheet_rows(book, "Terbuka")
    assert header == ("No", *ITEM_COLUMNS)
    assert [r[1] for r in rows] == ["KES-01", "KES-02", "PDK-01"]
    assert rows[1][2] == '=HYPERLINK("http://x")'
    assert {r[8] for r in rows} == {"Terbuka"}
    header, *rows = _sheet_rows(book, "Terbatas")
    assert [(r[1], r[5], r[6], r[8]) for r in rows] == [
        ("KES-03", "Tahunan", "Kecamatan", "Terbatas")
    ]
    assert rows[0][9].startswith("UU 14/2008")
    header, *rows = _sheet_rows(book, "Tertutup")
    assert [(r[1], r[3]) for r in rows] == [
        ("KES-04", "Dinas Kesehatan"),
        ("PDK-02", "Dinas Pendidikan"),
    ]

    summary = _sheet_rows(book, "Ringkasan")
    table = summary[
        summary.index(("No", "Produsen Data", "Terbuka", "Terbatas", "Tertutup", "Jumlah")) + 1 :
    ]
    assert table[0] == (1, "Dinas Kesehatan", 2, 1, 1, 4)
    assert table[1] == (2, "Dinas Pendidikan", 1, 0, 1, 2)
    assert table[2][1:] == ("Jumlah", 3, 1, 2, 6)


def test_the_csv_has_the_header_and_one_row_per_item(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="daftar-data-aksesibilitas-2026.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(ITEM_COLUMNS)
    body = rows[1:]
    assert len(body) == len(data_list)
    sifat = ITEM_COLUMNS.index("Sifat Data")
    assert [(r[0], r[sifat]) for r in body] == [
        ("KES-01", "Terbuka"),
        ("KES-02", "Terbuka"),
        ("PDK-01", "Terbuka"),
        ("KES-03", "Terbatas"),
        ("KES-04", "Tertutup"),
        ("PDK-02", "Tertutup"),
    ]
    # A spreadsheet would run a cell starting with "=": the CSV defuses it.
    assert body[1][1] == '\'=HYPERLINK("http://x")'


def test_the_exports_take_the_pages_filters(login, walidata, data_list, education):
    client = login(walidata)
    params = {"agency": education.pk, "accessibility": "closed"}
    rows = list(
        csv.reader(
            io.StringIO(client.get("/app/step-2/export.csv", params).content.decode("utf-8-sig"))
        )
    )
    assert [r[0] for r in rows[1:]] == ["PDK-02"]
    book = _workbook(client.get("/app/step-2/export.xlsx", params))
    assert len(_sheet_rows(book, "Terbuka")) == 1  # the header only
    assert [r[1] for r in _sheet_rows(book, "Tertutup")[1:]] == ["PDK-02"]
    assert any("Dinas Pendidikan" in (r[0] or "") for r in _sheet_rows(book, "Ringkasan")[:5])


def test_it_refuses_an_unknown_format(login, walidata, data_list):
    assert login(walidata).get("/app/step-2/export.pdf").status_code == 404


def test_it_refuses_an_export_with_bad_filters(login, walidata, data_list):
    response = login(walidata).get("/app/step-2/export.csv", {"periodicity": "daily"})
    assert response.status_code == 400
    assert "periodicity" in response.content.decode().lower()


def test_the_supervisor_may_export_the_list(login, supervisor, data_list):
    response = login(supervisor).get("/app/step-2/export.csv")
    assert response.status_code == 200
    assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 7


def test_it_has_nothing_to_export_before_a_decree_exists(login, walidata):
    assert login(walidata).get("/app/step-2/export.xlsx").status_code == 404
