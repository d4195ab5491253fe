"""Exported spreadsheets never run what users typed (formula or CSV injection).

The world's agency, item, note and source are typed by a hostile user as formulas. Every
exporter (portal downloads, granted files, steps 1 and 2, the release calendar, the data list
and values templates, the report's workbook) must write them so that no spreadsheet program
runs them: XLSX cells are text (never formula cells), CSV cells start with an apostrophe.
Numbers stay numbers, negative ones too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from satudata.access.writers import csv_chunks as grant_csv
from satudata.access.writers import xlsx_file as grant_xlsx
from satudata.catalog.imports import item_rows
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.services import regions_load
from satudata.core.spreadsheet_safety import csv_cell, csv_restore, would_run
from satudata.portal.services import datasets_publish
from satudata.reports.gather import gather
from satudata.reports.render_xlsx import render_xlsx
from satudata.schedule.periods import Period
from satudata.schedule.services import fill_states_sync
from satudata.values.models import Observation
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, AgencyFactory, DataItemFactory, DecreeFactory

AGENCY = '=HYPERLINK("http://evil.example/a","Dinas")'
ITEM = "+cmd|' /C calc'!A0"
NOTE = '=SUM(1+1)*cmd|"/C calc"!A0'
SOURCE = "-2+3+cmd|' /C notepad'!A0"
HOSTILE = (AGENCY, ITEM, NOTE, SOURCE)
VALUE = Decimal("-12.5")
YEAR = timezone.localdate().year - 1


@pytest.fixture
def world(db):
    regions_load(actor=SYSTEM, root="35.09")
    agency = AgencyFactory(code="9.99.01", name=AGENCY, short_name="Jahat")
    decree = DecreeFactory(year=YEAR)
    item = DataItemFactory(decree=decree, agency=agency, name=ITEM, level="regency")
    observations_save(
        actor=SYSTEM,
        item=item,
        period=str(YEAR),
        cells=[CellValue("35.09", "", VALUE, status="final", note=NOTE, source=SOURCE)],
        at=timezone.now() - dt.timedelta(days=3),
    )
    fill_states_sync(year=YEAR)
    dataset = datasets_publish(actor=SYSTEM, items=[item]).datasets[0]
    return agency, item, dataset


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_safe_xlsx(data: bytes, *, expect: tuple[str, ...], number: float | None = None):
    cells = _xlsx_cells(data)
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    texts = {c.value for c in cells if c.data_type == "s"}
    for text in expect:
        assert any(text in t for t in texts if isinstance(t, str)), f"{text!r} not written as text"
    if number is not None:
        assert number in {c.value for c in cells if c.data_type == "n"}


def assert_safe_csv(data: bytes, *, expect: tuple[str, ...], number: str | None = None):
    text = data.decode("utf-8-sig")
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]
    running = [c for c in cells if would_run(c)]
    assert not running, f"cells a spreadsheet would run: {running}"
    for hostile in expect:
        assert csv_cell(hostile) in cells or any(csv_cell(hostile) in c for c in cells), hostile
    if number is not None:
        assert number in cells  # a number is not prefixed


# --- the rules themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),
        ("+62", "+62"),
        ("-1.234,5", "-1.234,5"),
        ("1e-5", "1e-5"),
        ("Jember", "Jember"),
        ("", ""),
        (-3, -3),
        (None, None),
    ],
)
def test_a_csv_cell_is_neutralised_only_when_it_would_run(cell, written):
    assert csv_cell(cell) == written
    if isinstance(cell, str):
        assert csv_restore(csv_cell(cell)) == cell


# --- every exporter ------------------------------------------------------------------------


def test_portal_downloads_write_typed_text_as_text(world, client):
    _agency, _item, dataset = world
    for fmt in ("csv", "xlsx"):
        url = reverse("dataset-download", kwargs={"slug": dataset.slug, "fmt": fmt})
        response = client.get(url)
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            assert_safe_csv(data, expect=(NOTE, SOURCE), number="-12.5")
        else:
            assert_safe_xlsx(data, expect=(NOTE, SOURCE, ITEM), number=-12.5)


def test_granted_files_write_typed_text_as_text(world):
    _agency, item, _dataset = world
    rows = Observation.objects.filter(item=item)
    assert_safe_csv("".join(grant_csv(rows)).encode(), expect=(ITEM, NOTE), number="-12.5")
    with grant_xlsx(rows, title=ITEM) as out:
        assert_safe_xlsx(out.read(), expect=(ITEM, NOTE), number=-12.5)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("step2-export", f"?year={YEAR}"),
        ("step1-export", f"?year={YEAR}"),
        ("schedule-calendar-export", f"?year={YEAR}"),
    ],
)
def test_step_and_schedule_exports_write_typed_text_as_text(world, walidata, login, name, query):
    client = login(walidata)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(name, kwargs={"fmt": fmt}) + query)
        assert response.status_code == 200, (name, fmt)
        data = b"".join(response.streaming_content) if response.streaming else response.content
        if fmt == "csv":
            assert_safe_csv(data, expect=(ITEM,))
        else:
            assert_safe_xlsx(data, expect=(ITEM,))


def test_data_list_templates_write_typed_text_as_text(world):
    _agency, item, _dataset = world
    rows = item_rows([item])
    assert_safe_csv(template_csv(rows=rows), expect=(ITEM,))
    assert_safe_xlsx(template_xlsx(rows=rows), expect=(ITEM, AGENCY))


def test_values_templates_write_typed_text_as_text(world, walidata, login):
    agency, _item, _dataset = world
    client = login(walidata)
    for fmt in ("csv", "xlsx"):
        kwargs = {"agency_pk": agency.pk, "period": str(YEAR), "fmt": fmt}
        response = client.get(reverse("values-template", kwargs=kwargs))
        assert response.status_code == 200
        if fmt == "csv":
            # The template writes decimals the Indonesian way (comma), still a number.
            assert_safe_csv(response.content, expect=(NOTE, SOURCE), number="-12,5")
        else:
            assert_safe_xlsx(response.content, expect=(ITEM,), number=-12.5)


def test_the_report_workbook_writes_typed_text_as_text(world):
    data = gather(period=Period.parse(str(YEAR)), progress=lambda percent, message: None)
    assert_safe_xlsx(render_xlsx(data), expect=(AGENCY,))
