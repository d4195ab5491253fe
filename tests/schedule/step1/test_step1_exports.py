"""Step-1 exports: XLSX (summary by agency and the list) and CSV, with the page's filters."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl

from satudata.schedule.exports_fill import LIST_COLUMNS


def test_the_xlsx_has_a_summary_by_agency_and_the_list(login, walidata, schedule):
    response = login(walidata).get("/app/step-1/export.xlsx", {"year": schedule.year})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'keterisian-data-{schedule.year}.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Ringkasan", "Keterisian"]
    summary = [r for r in book["Ringkasan"].iter_rows(values_only=True) if r[1]]
    by_name = {r[1]: r for r in summary}
    assert by_name["Dinas Kesehatan"][2] == 6  # scheduled
    assert by_name["Dinas Pendidikan"][2] == 4
    assert by_name["Jumlah"][2] == 10
    assert by_name["Dinas Kesehatan"][-1] == 3  # overdue
    rows = list(book["Keterisian"].iter_rows(values_only=True))
    assert rows[0] == ("No", *LIST_COLUMNS)
    assert len(rows) == 11
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Kode"] == "KES-03"
    assert first["Status Keterisian"] == "Belum terisi"
    assert first["Terlambat (hari)"] == 40
    assert first["Sifat Data"] == "Tertutup"
    assert first["Jatuh Tempo"].date() == schedule.today - dt.timedelta(days=40)


def test_the_csv_is_utf8_with_a_bom_and_follows_the_filters(login, walidata, schedule):
    response = login(walidata).get(
        "/app/step-1/export.csv", {"year": schedule.year, "status": "overdue"}
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(LIST_COLUMNS)
    assert [(r[1], r[6]) for r in rows[1:]] == [
        ("KES-03", "Belum terisi"),
        ("PDK-01", "Belum terisi"),
        ("KES-02", "Terisi sebagian"),
        ("KES-01", "Belum terisi"),
    ]
    assert rows[3][7:] == ["61", "62", "5"]


def test_an_export_in_an_unknown_format_is_a_404(login, walidata, schedule):
    assert login(walidata).get("/app/step-1/export.pdf").status_code == 404


def test_an_export_with_bad_filters_is_a_400(login, walidata, schedule):
    response = login(walidata).get("/app/step-1/export.csv", {"period": "2025-Q7"})
    assert response.status_code == 400


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(login, walidata, schedule):
    from satudata.catalog.services import item_update

    item_update(actor=walidata, item=schedule.schools, name="=HYPERLINK(1)")
    body = login(walidata).get("/app/step-1/export.csv", {"year": schedule.year}).content
    assert "'=HYPERLINK(1)" in body.decode("utf-8-sig")
