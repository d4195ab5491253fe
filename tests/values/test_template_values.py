"""The values template an operator downloads for his agency and a period (XLSX and CSV)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from satudata.values.services import CellValue, observations_save
from satudata.values.spreadsheets import KEY_MARK, KEY_SHEET, sheet_names
from tests.factories import DataItemFactory


@pytest.fixture
def plain_item(district_item):
    """A second annual item of Health at the regency level, without breakdowns."""
    return DataItemFactory(
        decree=district_item.decree,
        agency=district_item.agency,
        code="DD-9001",
        name="Jumlah Puskesmas",
        periodicity="annual",
        level="regency",
        unit="unit",
    )


def _url(agency, period: str, fmt: str = "xlsx") -> str:
    return reverse("values-template", kwargs={"agency_pk": agency.pk, "period": period, "fmt": fmt})


def _book(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_xlsx_template_has_one_sheet_per_item_of_the_periods_periodicity(
    login, operator, health, district_item, plain_item, regency_item
):
    response = login(operator).get(_url(health, "2025"))
    assert response.status_code == 200
    book = _book(response)
    # The quarterly item belongs in a quarter's template, not in the annual one.
    assert book.sheetnames == ["Petunjuk", district_item.code, plain_item.code, KEY_SHEET]
    quarter = _book(login(operator).get(_url(health, "2025-Q3")))
    assert quarter.sheetnames == ["Petunjuk", regency_item.code, KEY_SHEET]


def test_an_item_sheet_has_the_header_block_regions_down_and_breakdowns_across(
    login, operator, health, district_item
):
    sheet = _book(login(operator).get(_url(health, "2025")))[district_item.code]
    assert (sheet["A1"].value, sheet["B1"].value) == ("Kode Data", district_item.code)
    assert sheet["B2"].value == "Jumlah Bayi Diimunisasi"
    assert (sheet["A5"].value, sheet["B5"].value) == ("Periode", "2025")
    assert sheet["B6"].value == "Kecamatan"
    # The table: one header row for the one breakdown, then 31 kecamatan.
    assert [sheet.cell(12, c).value for c in range(1, 5)] == [
        "Kode Wilayah",
        "Nama Wilayah",
        "L",
        "P",
    ]
    assert (sheet["A13"].value, sheet["B13"].value) == ("35.09.01", "Jombang")
    assert (sheet["A43"].value, sheet["B43"].value) == ("35.09.31", "Sumberjambe")
    assert sheet["A44"].value is None
    assert sheet.row_dimensions[11].hidden  # the machine keys of the columns


def test_stored_values_are_prefilled_as_numbers(login, operator, health, district_item):
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[CellValue("35.09.01", "jenis-kelamin=P", Decimal("1234.5"))],
    )
    sheet = _book(login(operator).get(_url(health, "2025")))[district_item.code]
    assert sheet["D13"].value == 1234.5
    assert sheet["C13"].value is None
    assert sheet["D13"].number_format == "#,##0.######"


def test_the_key_sheet_names_each_sheets_item_and_period_and_is_hidden(
    login, operator, health, district_item
):
    book = _book(login(operator).get(_url(health, "2025")))
    key = book[KEY_SHEET]
    assert key.sheet_state == "veryHidden"
    assert key.protection.sheet
    assert key["A1"].value == KEY_MARK
    assert [key.cell(3, c).value for c in range(1, 5)] == [
        district_item.code,
        district_item.pk,
        district_item.code,
        "2025",
    ]


def test_two_breakdowns_give_two_header_rows_with_merged_categories(
    login, operator, health, district_item, sex
):
    from satudata.catalog.services import breakdown_ensure
    from tests.factories import SYSTEM

    age = breakdown_ensure(
        actor=SYSTEM, name="Kelompok umur", slug="umur", categories=["0-4", "5-9", "10+"]
    )
    item = DataItemFactory(
        decree=district_item.decree,
        agency=health,
        code="DD-9002",
        periodicity="annual",
        level="district",
        breakdowns=[sex, age],
    )
    sheet = _book(login(operator).get(_url(health, "2025")))[item.code]
    # Sorted by slug: jenis-kelamin above umur.
    assert [sheet.cell(12, c).value for c in range(3, 9)] == ["L", None, None, "P", None, None]
    assert [sheet.cell(13, c).value for c in range(3, 9)] == [
        "0-4",
        "5-9",
        "10+",
        "0-4",
        "5-9",
        "10+",
    ]
    assert "C12:E12" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A14"].value == "35.09.01"


def test_the_csv_template_has_one_row_per_required_cell_with_stored_values(
    login, operator, health, district_item
):
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[CellValue("35.09.31", "jenis-kelamin=L", Decimal("1234.5"), note="cek")],
    )
    response = login(operator).get(_url(health, "2025", "csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "kode_data",
        "periode",
        "kode_wilayah",
        "nama_wilayah",
        "rincian",
        "nilai",
        "status",
        "catatan",
        "sumber",
    ]
    assert len(rows) == 1 + 62
    assert rows[1][:6] == [district_item.code, "2025", "35.09.01", "Jombang", "jenis-kelamin=L", ""]
    filled = [r for r in rows[1:] if r[5]]
    assert filled == [
        [
            district_item.code,
            "2025",
            "35.09.31",
            "Sumberjambe",
            "jenis-kelamin=L",
            "1.234,5",
            "Sementara",
            "cek",
            "",
        ]
    ]


def test_a_producer_gets_a_404_for_another_agencys_template(
    login, other_operator, walidata, health, district_item
):
    assert login(other_operator).get(_url(health, "2025")).status_code == 404
    assert login(walidata).get(_url(health, "2025")).status_code == 200


def test_who_may_not_fill_values_is_refused_and_anonymous_is_sent_to_log_in(
    client, login, supervisor, health, district_item
):
    assert login(supervisor).get(_url(health, "2025")).status_code == 403
    response = client.get(_url(health, "2025"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("period", ["2025-Q5", "25", "2025-13", "abc"])
def test_a_malformed_period_or_format_in_the_url_is_a_404(login, operator, health, period):
    assert login(operator).get(_url(health, period)).status_code == 404
    assert login(operator).get(_url(health, "2025", "pdf")).status_code == 404


def test_sheet_names_are_valid_for_excel_and_unique():
    names = sheet_names(["A/B:C", "x" * 40, "x" * 40, "Petunjuk", "[ok]"])
    assert names[0] == "A-B-C"
    assert len(names[1]) == 31 and len(names[2]) == 31 and names[1] != names[2]
    assert names[3] != "Petunjuk"
    assert names[4] == "-ok-"
    assert len({n.lower() for n in names}) == len(names)


def test_the_upload_page_sends_the_template_form_to_the_template(login, operator, health):
    response = login(operator).get(
        reverse("values-upload"), {"agency": health.pk, "period": "2026-q3", "fmt": "csv"}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(health, "2026-Q3", "csv")
