"""Upload of a filled values template: all cells or none, errors located, a second upload idle."""

from __future__ import annotations

import html
import io
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, NotAllowed
from satudata.schedule.models import FillState
from satudata.schedule.services import period_lock
from satudata.values import services
from satudata.values.imports import values_import
from satudata.values.models import Observation, ObservationRevision
from satudata.values.services import CellValue, observations_save
from tests.factories import DataItemFactory

FIRST_DATA_ROW = 13  # block (9 rows), a blank row, the hidden key row, one header row


def _template(client, agency, period: str, fmt: str = "xlsx") -> bytes:
    url = reverse("values-template", kwargs={"agency_pk": agency.pk, "period": period, "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def _fill(data: bytes, edits: dict[str, dict[str, object]]) -> bytes:
    """The workbook with cells typed in, per sheet: {"Sheet": {"C13": 5}}."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet, cells in edits.items():
        for ref, value in cells.items():
            book[sheet][ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_all(data: bytes, item, rows: int = 31, columns: str = "CD", start: int = 1) -> bytes:
    cells = {
        f"{col}{FIRST_DATA_ROW + r}": start + r * len(columns) + i
        for r in range(rows)
        for i, col in enumerate(columns)
    }
    return _fill(data, {item.code: cells})


def _upload(client, data: bytes, name: str = "nilai.xlsx"):
    return client.post(reverse("values-upload"), {"file": SimpleUploadedFile(name, data)})


def _problems(exc: pytest.ExceptionInfo[DomainError]) -> list[str]:
    # A problem names its sheet, row and column when it is read: in English, as the text.
    with _english():
        return [str(p) for p in exc.value.errors]


@pytest.fixture
def second_item(district_item):
    """Health's annual item for the whole regency, no breakdown: one cell a period."""
    return DataItemFactory(
        decree=district_item.decree,
        agency=district_item.agency,
        code="DD-9001",
        name="Jumlah Puskesmas",
        periodicity="annual",
        level="regency",
    )


def test_a_filled_template_round_trips_into_stored_values(login, operator, health, district_item):
    client = login(operator, language="en")
    data = _fill_all(_template(client, health, "2025"), district_item)
    response = _upload(client, data)
    assert response.status_code == 200
    assert Observation.objects.filter(item=district_item, period="2025").count() == 62
    first = Observation.objects.get(
        item=district_item, region_id="35.09.01", breakdown_key="jenis-kelamin=P"
    )
    assert first.value == Decimal(2) and first.updated_by == operator
    assert "62 cells saved, 1 item now complete" in response.content.decode()


def test_the_summary_names_the_regions_still_missing(operator, health, district_item):
    client_data = _fill_all(_template_as(operator, health), district_item, rows=30)
    summary = values_import(actor=operator, data=client_data, filename="nilai.xlsx")
    assert summary.saved == 60
    [outcome] = summary.items
    assert outcome.missing_regions == ["Sumberjambe"]
    assert (outcome.filled, outcome.required, outcome.status) == (60, 62, "partial")
    with _english():
        assert summary.text() == (
            "60 cells saved, 0 items now complete, 1 still partly filled (Sumberjambe missing)"
        )


def test_text_with_a_percent_sign_is_refused_naming_sheet_row_and_column(
    operator, health, district_item, second_item
):
    data = _fill_all(_template_as(operator, health), district_item)
    data = _fill(data, {district_item.code: {"C17": "12,5%"}, second_item.code: {"C13": 7}})
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert _problems(exc) == [
        f'Sheet {district_item.code}, row 17, column C: "12,5%" is text, not a number: type 12,5 '
        "without the % sign."
    ]
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.filter(action="observations_save").exists()


def test_the_upload_page_lists_every_error_and_saves_nothing(
    login, operator, health, district_item
):
    client = login(operator, language="en")
    data = _fill(
        _template(client, health, "2025"),
        {district_item.code: {"C13": "abc", "D14": "1,5", "A15": "35.09.99", "C15": 4}},
    )
    response = _upload(client, data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "The file has 2 errors. Nothing was saved." in page
    assert "is not a number" in page
    assert 'No region has the code "35.09.99"' in page
    assert not Observation.objects.exists()


def test_a_region_at_another_level_is_refused(operator, health, district_item):
    data = _fill(_template_as(operator, health), {district_item.code: {"A13": "35.09.01.2001"}})
    data = _fill(data, {district_item.code: {"C13": 5}})
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=operator, data=data, filename="nilai.xlsx")
    [problem] = _problems(exc)
    assert problem.startswith(f"Sheet {district_item.code}, row 13, column A: 35.09.01.2001")
    assert "is not a region at the level of" in problem


def test_a_closed_period_is_refused(walidata, operator, health, district_item):
    data = _fill_all(_template_as(operator, health), district_item)
    period_lock(actor=walidata, period="2025")
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert _problems(exc) == [
        f"Sheet {district_item.code}, row 5, column B: The period 2025 is closed for entry by "
        "the walidata. Ask the walidata if a value must still change."
    ]
    assert not Observation.objects.exists()


def test_a_period_not_started_is_refused(operator, health, district_item):
    data = _fill_all(_template_as(operator, health, "2027"), district_item)
    with pytest.raises(DomainError):
        values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert not Observation.objects.exists()


def test_another_agencys_file_is_refused(login, operator, other_operator, health, district_item):
    data = _fill_all(_template_as(operator, health), district_item)
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=other_operator, data=data, filename="nilai.xlsx")
    [problem] = _problems(exc)
    assert f"You may not enter values of {district_item.code}" in problem
    assert not Observation.objects.exists()


def test_another_agencys_closed_item_is_an_unknown_code(
    operator, other_operator, health, jember, decree
):
    closed = DataItemFactory(
        decree=decree, agency=health, code="DD-RAHASIA", level="regency", accessibility="closed"
    )
    data = _fill(_template_as(operator, health), {closed.code: {"C13": 1}})
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=other_operator, data=data, filename="nilai.xlsx")
    [problem] = _problems(exc)
    assert 'No data item has the code "DD-RAHASIA"' in problem
    assert "Dinas Kesehatan" not in problem


def test_the_second_upload_of_the_same_file_changes_nothing(operator, health, district_item):
    data = _fill_all(_template_as(operator, health), district_item)
    values_import(actor=operator, data=data, filename="nilai.xlsx")
    audits = AuditEntry.objects.count()
    stamps = list(Observation.objects.order_by("pk").values_list("updated_at", flat=True))
    again = values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert (again.saved, again.unchanged) == (0, 62)
    assert AuditEntry.objects.count() == audits
    assert list(Observation.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert not ObservationRevision.objects.exists()


def test_a_changed_cell_keeps_a_revision_and_empty_cells_keep_stored_values(
    operator, health, district_item
):
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[
            CellValue("35.09.01", "jenis-kelamin=L", Decimal("5"), note="cek"),
            CellValue("35.09.02", "jenis-kelamin=L", Decimal("6")),
        ],
    )
    data = _fill(_template_as(operator, health), {district_item.code: {"C13": 5.5, "C14": None}})
    summary = values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert summary.saved == 1
    kept = Observation.objects.get(region_id="35.09.02", breakdown_key="jenis-kelamin=L")
    assert kept.value == Decimal(6)
    changed = Observation.objects.get(region_id="35.09.01", breakdown_key="jenis-kelamin=L")
    assert (changed.value, changed.note) == (Decimal("5.5"), "cek")
    assert ObservationRevision.objects.get().previous_value == Decimal(5)


def test_status_and_source_of_a_sheet_apply_to_its_cells(operator, health, district_item):
    data = _fill(
        _template_as(operator, health),
        {district_item.code: {"B8": "Tetap", "B9": "Dinkes 2025", "C13": 1}},
    )
    values_import(actor=operator, data=data, filename="nilai.xlsx")
    obs = Observation.objects.get()
    assert (obs.status, obs.source) == ("final", "Dinkes 2025")


def test_a_failure_in_the_last_item_undoes_the_first(operator, health, district_item, second_item):
    data = _fill_all(_template_as(operator, health), district_item)
    data = _fill(data, {second_item.code: {"C13": 3}})

    def may_edit(user, item):
        # The save's own check refuses the second item (the file's checks passed it).
        return item.code != second_item.code

    with mock.patch.object(services, "can_edit_values", may_edit), pytest.raises(NotAllowed):
        values_import(actor=operator, data=data, filename="nilai.xlsx")
    assert not Observation.objects.exists()
    assert not FillState.objects.filter(item=district_item, version__gt=0).exists()
    assert not AuditEntry.objects.filter(action="observations_save").exists()


# --- CSV ----------------------------------------------------------------------------------


def _csv(rows: list[str]) -> bytes:
    header = "kode_data,periode,kode_wilayah,nama_wilayah,rincian,nilai,status,catatan,sumber"
    return ("\n".join([header, *rows]) + "\n").encode()


def test_a_filled_csv_template_round_trips(login, operator, health, district_item):
    client = login(operator)
    text = _template(client, health, "2025", "csv").decode("utf-8-sig")
    lines = text.splitlines()
    filled = [lines[0]]
    for n, line in enumerate(lines[1:], start=1):
        parts = line.split(",")
        parts[5] = f'"{n},5"' if n % 2 else str(n * 1000)
        filled.append(",".join(parts))
    summary = values_import(
        actor=operator, data="\n".join(filled).encode("utf-8-sig"), filename="x.csv"
    )
    assert summary.saved == 62
    assert Observation.objects.get(region_id="35.09.01", breakdown_key="jenis-kelamin=L").value == (
        Decimal("1.5")
    )
    assert Observation.objects.get(region_id="35.09.01", breakdown_key="jenis-kelamin=P").value == (
        Decimal(2000)
    )


def test_a_csv_accepts_readable_breakdowns_and_semicolons(operator, district_item):
    code = district_item.code
    data = (
        "kode_data;periode;kode_wilayah;rincian;nilai;status\n"
        f"{code};2025;35.09.01;Jenis kelamin=l;1.234,5;Tetap\n"
    ).encode()
    values_import(actor=operator, data=data, filename="x.csv")
    obs = Observation.objects.get()
    assert (obs.breakdown_key, obs.value, obs.status) == (
        "jenis-kelamin=L",
        Decimal("1234.5"),
        "final",
    )


def test_a_duplicate_cell_is_refused_naming_both_rows(operator, district_item):
    code = district_item.code
    data = _csv(
        [
            f"{code},2025,35.09.01,,jenis-kelamin=L,1,,,",
            f"{code},2025,35.09.02,,jenis-kelamin=L,2,,,",
            f"{code},2025,35.09.01,,jenis-kelamin=L,3,,,",
        ]
    )
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=operator, data=data, filename="x.csv")
    with _english():
        problems = _problems(exc)
    assert problems == [
        "Row 4, column nilai: This cell (35.09.01, jenis-kelamin=L) is also given in row 2. "
        "Keep one of the two."
    ]
    assert not Observation.objects.exists()


def test_csv_errors_name_row_and_column(operator, district_item, regency_item):
    code = district_item.code
    data = _csv(
        [
            f"{code},2025,35.09.77,,jenis-kelamin=L,1,,,",
            f"{code},2025,35.09.01,,jenis-kelamin=X,1,,,",
            f"{regency_item.code},2025,35.09,,,1,,,",
            "TIDAK-ADA,2025,35.09,,,1,,,",
            f"{code},2025,35.09.03,,jenis-kelamin=L,12%,,,",
            f"{code},2025,35.09.04,,jenis-kelamin=L,1,Final?,,",
        ]
    )
    with _english(), pytest.raises(DomainError) as exc:
        values_import(actor=operator, data=data, filename="x.csv")
    places = [(p.row, p.column) for p in exc.value.errors]
    assert places == [
        (2, "kode_wilayah"),
        (3, "rincian"),
        (4, "periode"),
        (5, "kode_data"),
        (6, "nilai"),
        (7, "status"),
    ]
    assert "which is quarterly" in exc.value.errors[2].message
    assert not Observation.objects.exists()


def test_a_file_that_is_no_spreadsheet_is_refused(operator):
    with pytest.raises(DomainError):
        values_import(actor=operator, data=b"%PDF-1.4 ...", filename="x.pdf")
    with pytest.raises(DomainError):
        values_import(actor=operator, data=b"a,b\n1,2\n", filename="x.csv")


def test_an_oversized_upload_is_refused_before_reading(login, operator, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = _upload(login(operator), b"x" * 200, "big.csv")
    assert response.status_code == 400
    assert not Observation.objects.exists()


def test_the_supervisor_may_not_upload(login, supervisor):
    assert login(supervisor).get(reverse("values-upload")).status_code == 403


# --- Command line -------------------------------------------------------------------------


def test_the_command_saves_a_file_and_prints_the_summary(operator, health, district_item, tmp_path):
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(_fill_all(_template_as(operator, health), district_item, rows=30))
    out = io.StringIO()
    with _english():
        call_command("import_values", str(path), stdout=out)
    assert "60 cells saved" in out.getvalue()
    assert "Sumberjambe" in out.getvalue()
    entry = AuditEntry.objects.filter(action="observations_save").get()
    assert entry.actor_label.startswith("cli:")


def test_the_command_prints_the_errors_and_fails(operator, health, district_item, tmp_path):
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(_fill(_template_as(operator, health), {district_item.code: {"C17": "x%"}}))
    err = io.StringIO()
    with _english(), pytest.raises(CommandError):
        call_command("import_values", str(path), stderr=err)
    assert f"Sheet {district_item.code}, row 17, column C" in err.getvalue()
    assert not Observation.objects.exists()


# --- Helpers ------------------------------------------------------------------------------


def _template_as(user, agency, period: str = "2025") -> bytes:
    from satudata.schedule.periods import Period
    from satudata.values.spreadsheets import item_sheets, template_items, template_xlsx

    the_period = Period.parse(period)
    sheets = item_sheets(template_items(agency, the_period), the_period)
    return template_xlsx(agency=agency, period=the_period, sheets=sheets)


def _english():
    from django.utils import translation

    return translation.override("en")


def test_the_command_changes_stored_values_keeping_revisions(
    operator, health, district_item, tmp_path
):
    observations_save(
        actor=operator,
        item=district_item,
        period="2025",
        cells=[CellValue("35.09.01", "jenis-kelamin=L", Decimal("5"))],
    )
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(_fill(_template_as(operator, health), {district_item.code: {"C13": 7.25}}))
    call_command("import_values", str(path), stdout=io.StringIO())
    obs = Observation.objects.get()
    assert (obs.value, obs.updated_by) == (Decimal("7.25"), None)
    revision = ObservationRevision.objects.get()
    assert (revision.previous_value, revision.new_value) == (Decimal(5), Decimal("7.25"))
    assert revision.changed_by_label.startswith("cli:")
