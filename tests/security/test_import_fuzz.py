"""The spreadsheet and CSV importers under malformed, truncated, huge and hostile files.

Whatever the file (a data list for catalog.imports, values for values.imports), the import
ends in one of two ways: saved whole, or refused with a clear message (DomainError) and
nothing saved. Never another exception, never a hang, never part of a file saved.
"""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest
import xlsxwriter
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satudata.accounts.roles import Role
from satudata.catalog.imports import data_list_import, item_rows
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.models import DataItem
from satudata.catalog.services import regions_load
from satudata.core.errors import DomainError
from satudata.core.tabular import MAX_UNPACKED_BYTES
from satudata.schedule.periods import Period
from satudata.values.imports import values_import
from satudata.values.models import Observation
from satudata.values.spreadsheets import item_sheets
from satudata.values.spreadsheets import template_csv as values_csv
from satudata.values.spreadsheets import template_xlsx as values_xlsx
from tests.factories import SYSTEM, DataItemFactory, UserFactory

FUZZ = settings(
    max_examples=25,
    deadline=5000,  # a hang shows as a deadline error
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
HOSTILE_TEXT = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        '+HYPERLINK("http://evil.example")',
        "-2+3",
        "@SUM(1,1)",
        "\t=1+1",
        "\x00",
        "\u202e\u0000\ufeff",
        "'; DROP TABLE values_observation; --",
        "9" * 400,
        "1e999",
        "NaN",
        "-0",
    ]
) | st.text(max_size=60)


@pytest.fixture
def world(db, health, decree):
    regions_load(actor=SYSTEM, root="35.09")
    item = DataItemFactory(
        decree=decree, agency=health, code="DD-9001", name="Jumlah Puskesmas", level="regency"
    )
    operator = UserFactory(username="op-fuzz", role=Role.PRODUCER_OPERATOR, agency=health)
    return item, operator


def _period() -> Period:
    return Period.parse(str(timezone.localdate().year - 1))


def _values_template(item, fmt: str) -> bytes:
    period = _period()
    sheets = item_sheets([item], period)
    if fmt == "csv":
        return values_csv(period=period, sheets=sheets)
    return values_xlsx(agency=item.agency, period=period, sheets=sheets)


def _import_values(operator, data: bytes, filename: str) -> bool:
    """True when saved; False when refused with a message. Anything else fails the test."""
    before = Observation.objects.count()
    try:
        values_import(actor=operator, data=data, filename=filename)
    except DomainError as refusal:
        assert str(refusal.message).strip()
        assert Observation.objects.count() == before, "a refused file saved values"
        return False
    return True


def _import_list(actor, decree, data: bytes, filename: str) -> bool:
    before = list(DataItem.objects.order_by("pk").values_list("pk", "code", "name"))
    try:
        data_list_import(actor=actor, decree=decree, data=data, filename=filename)
    except DomainError as refusal:
        assert str(refusal.message).strip()
        after = list(DataItem.objects.order_by("pk").values_list("pk", "code", "name"))
        assert after == before, "a refused data list changed items"
        return False
    return True


def _mutate(data: bytes, cut: int, flips: list[tuple[int, int]]) -> bytes:
    raw = bytearray(data[: max(0, len(data) - cut)] if cut else data)
    for at, value in flips:
        if raw:
            raw[at % len(raw)] = value
    return bytes(raw)


MUTATION = st.tuples(
    st.integers(min_value=0, max_value=4000),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=6),
)


# --- malformed and truncated ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_truncated_or_damaged_values_files_are_refused_whole(world, fmt):
    item, operator = world
    template = _values_template(item, fmt)

    @FUZZ
    @given(MUTATION)
    def upload(mutation):
        _import_values(operator, _mutate(template, *mutation), f"nilai.{fmt}")

    upload()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_truncated_or_damaged_data_lists_are_refused_whole(world, walidata, decree, fmt):
    item, _operator = world
    rows = item_rows([item])
    template = template_xlsx(rows=rows) if fmt == "xlsx" else template_csv(rows=rows)

    @FUZZ
    @given(MUTATION)
    def upload(mutation):
        _import_list(walidata, decree, _mutate(template, *mutation), f"daftar.{fmt}")

    upload()


def test_random_bytes_are_refused_by_both_importers(world, walidata, decree):
    _item, operator = world

    @FUZZ
    @given(st.binary(max_size=3000), st.sampled_from(["x.xlsx", "x.csv", "x", "x.pdf"]))
    def upload(data, name):
        _import_values(operator, data, name)
        _import_list(walidata, decree, data, name)

    upload()


# --- hostile cell contents -----------------------------------------------------------------


def test_hostile_text_in_every_cell_of_a_values_csv_is_refused_or_kept_as_text(world):
    item, operator = world
    lines = _values_template(item, "csv").decode("utf-8-sig").splitlines()
    header = lines[0]

    @FUZZ
    @given(st.lists(HOSTILE_TEXT, min_size=9, max_size=9))
    def upload(cells):
        row = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
        _import_values(operator, f"{header}\r\n{row}\r\n".encode(), "nilai.csv")

    upload()


def test_hostile_text_in_a_data_list_row_is_stored_as_text_never_run(world, walidata, decree):
    item, _operator = world
    rows = item_rows([item])

    @FUZZ
    @given(HOSTILE_TEXT)
    def upload(text):
        row = list(rows[0])
        row[1] = text  # the data's name
        if _import_list(walidata, decree, template_csv(rows=[row]), "daftar.csv"):
            stored = DataItem.objects.get(decree=decree, code=item.code).name
            assert stored == " ".join(text.split())  # the same text, tidied, not a result

    upload()


def test_a_formula_typed_in_a_values_workbook_is_not_run_on_the_server(world):
    item, operator = world
    period = _period()
    data = _values_template(item, "xlsx")
    # A workbook whose value cell holds a formula, as a spreadsheet program saves it.
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[item.code]
    sheet["C13"] = '=WEBSERVICE("http://evil.example/")'
    out = io.BytesIO()
    book.save(out)
    # Either refused (no number in the cell) or saved without reaching the network: the
    # server only ever reads the cached value, never evaluates the formula.
    _import_values(operator, out.getvalue(), "nilai.xlsx")
    assert not Observation.objects.filter(item=item, period=period.key, note__contains="evil")


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ("kode_data;periode\r\n".encode("utf-16"), "UTF-16"),
        (b"\xff\xfe\x00\x00garbage", "UTF-32 mark"),
        ("kode_data,periode\r\nDD-9001,2025\r\n".encode("cp1252") + b"\x81\x8d", "bad cp1252"),
        (b"kode_data,periode\r\n\x00\x00\x00", "NUL bytes"),
        (b"\xef\xbb\xbf" + b'"' * 5000, "unbalanced quotes"),
        (b"a," * 200_000, "one huge row"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_wrong_encodings_and_odd_csv_are_refused_clearly(world, walidata, decree, data, label):
    _item, operator = world
    assert not _import_values(operator, data, "nilai.csv")
    assert not _import_list(walidata, decree, data, "daftar.csv")


# --- huge and bombs ------------------------------------------------------------------------


def _zip_bomb(inflated: int) -> bytes:
    """A valid-looking workbook whose sheet XML inflates to `inflated` bytes of blanks."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Data").write_string(0, 0, "x")
    book.close()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
        # Written in chunks: the bomb is built in a moment and a few hundred kB.
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            chunk = b" " * (1 << 20)
            for _ in range(inflated // len(chunk)):
                part.write(chunk)
            part.write(b"<sheetData/></worksheet>")
    return out.getvalue()


def _sparse_bomb() -> bytes:
    """A few kB naming a cell at XFD1048576: a dense grid of 17 billion cells to read."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Data")
    sheet.write_string(0, 0, "x")
    sheet.write_string(1_048_575, 16_383, "z")
    book.close()
    return buffer.getvalue()


@pytest.mark.parametrize("bomb", ["zip", "sparse"])
def test_workbook_bombs_are_refused_quickly_by_both_importers(world, walidata, decree, bomb):
    _item, operator = world
    data = _zip_bomb(MAX_UNPACKED_BYTES + (8 << 20)) if bomb == "zip" else _sparse_bomb()
    assert len(data) < 2 * 1024 * 1024  # small to upload, huge to read
    started = time.monotonic()
    assert not _import_values(operator, data, "nilai.xlsx")
    assert not _import_list(walidata, decree, data, "daftar.xlsx")
    assert time.monotonic() - started < 10


def test_a_file_over_the_upload_limit_is_refused_before_reading(world, walidata, decree, settings):
    _item, operator = world
    settings.MAX_UPLOAD_BYTES = 1024
    data = b"kode_data,periode\r\n" + b"DD-9001,2025\r\n" * 200
    assert not _import_values(operator, data, "nilai.csv")
    assert not _import_list(walidata, decree, data, "daftar.csv")


def test_a_part_whose_size_lies_is_refused(world):
    _item, operator = world
    template = _values_template(world[0], "xlsx")
    # The sheet's declared size is cut to 10 bytes: reading it past that is a lie.
    source = zipfile.ZipFile(io.BytesIO(template))
    info = source.getinfo("xl/worksheets/sheet2.xml")
    raw = bytearray(template)
    for offset in (info.header_offset + 22, template.rfind(b"xl/worksheets/sheet2.xml") - 46 + 24):
        raw[offset : offset + 4] = (10).to_bytes(4, "little")
    assert not _import_values(operator, bytes(raw), "nilai.xlsx")


def test_exported_text_that_would_run_round_trips_through_the_csv_import(world, walidata, decree):
    item, _operator = world
    DataItem.objects.filter(pk=item.pk).update(name="=Jumlah (dihitung) +1")
    item.refresh_from_db()
    exported = template_csv(rows=item_rows([item]))
    assert b"'=Jumlah" in exported  # neutralised in the file
    _import_list(walidata, decree, exported, "daftar.csv")
    item.refresh_from_db()
    assert item.name == "=Jumlah (dihitung) +1"  # and read back as it was
