"""The data-list import service: all or nothing, matched by code, audited, no per-row queries.

The row builders at the top are shared by the other test_import_* modules.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from satudata.audit.models import AuditEntry
from satudata.catalog.imports import HEADER, data_list_import
from satudata.catalog.imports_template import template_csv, template_xlsx
from satudata.catalog.models import DataItem, Topic
from satudata.catalog.services import breakdown_ensure
from satudata.core.errors import DomainError, NotAllowed
from tests.factories import SYSTEM, AgencyFactory, DataItemFactory, TopicFactory

BASE = {
    "Nama Data": "Jumlah tenaga kesehatan",
    "Kode Produsen Data": "1.02.01",
    "Satuan": "orang",
    "Periodisitas": "Tahunan",
    "Tingkat Penyajian": "Kecamatan",
    "Sifat Data": "Terbuka",
}


def row(code: str, cells: dict[str, str] | None = None) -> list[str]:
    """A template row: the base values, the code, and the given cells (by header label)."""
    values = {**BASE, "Kode": code, **(cells or {})}
    unknown = set(values) - set(HEADER)
    assert not unknown, unknown
    return [values.get(label, "") for label in HEADER]


def csv_bytes(
    header: list[str], rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English messages; the Indonesian catalog may translate them later.
    with translation.override("en"):
        yield


@pytest.fixture
def sex(db):
    return breakdown_ensure(
        actor=SYSTEM, name="Jenis Kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )


@pytest.fixture
def age(db):
    return breakdown_ensure(
        actor=SYSTEM, name="Kelompok Umur", slug="kelompok-umur", categories=["0-14", "15+"]
    )


def _import(actor, decree, rows, fmt="csv", **kwargs):
    data = template_csv(rows=rows) if fmt == "csv" else template_xlsx(rows=rows)
    return data_list_import(actor=actor, decree=decree, data=data, filename=f"dl.{fmt}", **kwargs)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_template_creates_items_with_their_fields_and_breakdowns(
    walidata, decree, health, education, sex, age, fmt
):
    rows = [
        row(
            "DD-001",
            {
                "Rincian": "Jenis Kelamin; kelompok-umur",
                "Topik": "Kesehatan",
                "Jenis Data": "Geospasial",
                "Indikator/Variabel": "Variabel",
                "Definisi": "Banyaknya tenaga kesehatan.",
                "Tag": "nakes; puskesmas",
                "Tautan Portal SDI": "https://data.go.id/dataset/nakes",
                "Indikator Komposit": "Ya",
                "Konsep": "Tenaga kesehatan menurut UU 36/2014.",
            },
        ),
        row(
            "DD-002",
            {
                "Nama Data": "Jumlah pasien HIV",
                "Sifat Data": "closed",
                "Dasar Hukum Sifat Data": "UU 14/2008 pasal 17 huruf h",
                "Periodisitas": "Kuartalan",
                "Tingkat Penyajian": "Kabupaten",
            },
        ),
        row("DD-003", {"Kode Produsen Data": "dinas pendidikan", "Periodisitas": "monthly"}),
    ]
    summary = _import(walidata, decree, rows, fmt)

    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    first = DataItem.objects.get(decree=decree, code="DD-001")
    assert first.agency == health
    assert set(first.breakdowns.all()) == {sex, age}
    assert first.topic.name == "Kesehatan"
    assert (first.data_type, first.kind) == ("geospatial", "variable")
    assert first.tags == "nakes, puskesmas"
    assert first.sdi_url == "https://data.go.id/dataset/nakes"
    assert first.is_composite is True
    assert first.concept.startswith("Tenaga kesehatan")
    closed = DataItem.objects.get(decree=decree, code="DD-002")
    assert (closed.accessibility, closed.periodicity, closed.level) == (
        "closed",
        "quarterly",
        "regency",
    )
    assert closed.breakdowns.count() == 0
    third = DataItem.objects.get(decree=decree, code="DD-003")
    assert (third.agency, third.periodicity) == (education, "monthly")
    assert summary.topics_created == ("Kesehatan",)


def test_every_created_item_is_audited_and_the_decree_gets_one_import_entry(
    walidata, decree, health, sex
):
    _import(walidata, decree, [row("A1", {"Rincian": "Jenis Kelamin"}), row("A2")])
    entries = AuditEntry.objects.filter(action="item_create", target_type="catalog.dataitem")
    assert entries.count() == 2
    a1 = DataItem.objects.get(code="A1")
    entry = entries.get(target_id=str(a1.pk))
    assert entry.actor == walidata
    assert entry.before is None
    assert entry.after["breakdowns"] == [sex.pk]
    assert entry.after["code"] == "A1"
    summary = AuditEntry.objects.get(action="data_list_import")
    assert summary.target_id == str(decree.pk)
    assert summary.after["created"] == 2


def test_an_error_in_one_row_saves_nothing_and_names_the_row_and_column(walidata, decree, health):
    rows = [row("A1"), row("A2"), row("A3", {"Kode Produsen Data": "9.99"})]
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as info:
        _import(walidata, decree, rows)
    assert not DataItem.objects.exists()
    assert AuditEntry.objects.count() == before
    [problem] = info.value.errors
    assert (problem.row, problem.column) == (4, "Kode Produsen Data")
    assert str(problem) == (
        'Row 4, column "Kode Produsen Data": No agency has the code or name "9.99". '
        'Use a code from the sheet "Produsen Data".'
    )
    assert "Nothing was imported" in info.value.message


def test_it_collects_every_error_of_the_file_at_once(walidata, decree, health, sex):
    rows = [
        row("B1", {"Rincian": "Jenis Kelamin; Agama"}),
        row("B2", {"Periodisitas": "Dua tahunan"}),
        row("B3", {"Satuan": ""}),
        row("B4", {"Sifat Data": "Terbatas"}),
        row("B1"),
        row("B6", {"Satuan": "x" * 101}),
        row("B7", {"Tautan Portal Daerah": "data jember"}),
        row("B8", {"Indikator Komposit": "mungkin"}),
    ]
    with pytest.raises(DomainError) as info:
        _import(walidata, decree, rows)
    found = {(p.row, p.column) for p in info.value.errors}
    assert found == {
        (2, "Rincian"),
        (3, "Periodisitas"),
        (4, "Satuan"),
        (5, "Dasar Hukum Sifat Data"),
        (6, "Kode"),
        (7, "Satuan"),
        (8, "Tautan Portal Daerah"),
        (9, "Indikator Komposit"),
    }
    messages = {p.row: p.message for p in info.value.errors}
    assert 'No breakdown is named "Agama"' in messages[2]
    assert "Tahunan, Semesteran, Triwulanan, Bulanan" in messages[3]
    assert "also on row 2" in messages[6]
    assert "101 characters; at most 100" in messages[7]
    assert "8 errors" in info.value.message
    assert not DataItem.objects.exists()


def test_reimporting_the_same_file_changes_nothing_and_writes_no_audit_rows(
    walidata, decree, health, sex
):
    rows = [row(f"C{i}", {"Rincian": "Jenis Kelamin", "Topik": "Kesehatan"}) for i in range(5)]
    _import(walidata, decree, rows, "xlsx")
    stamps = dict(DataItem.objects.values_list("code", "updated_at"))
    audit_rows = AuditEntry.objects.count()

    summary = _import(walidata, decree, rows, "xlsx")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)
    assert AuditEntry.objects.count() == audit_rows
    assert dict(DataItem.objects.values_list("code", "updated_at")) == stamps


def test_a_changed_row_updates_its_item_with_before_and_after_in_the_audit(
    walidata, decree, health, sex
):
    _import(walidata, decree, [row("D1"), row("D2"), row("D3")])
    changed = [
        row("D1", {"Satuan": "jiwa"}),
        row("D2", {"Sifat Data": "Terbatas", "Dasar Hukum Sifat Data": "Perbup 5/2024"}),
        row("D3", {"Rincian": "Jenis Kelamin"}),
    ]
    summary = _import(walidata, decree, changed)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 3, 0)
    d1 = DataItem.objects.get(code="D1")
    assert d1.unit == "jiwa"
    update = AuditEntry.objects.get(action="item_update", target_id=str(d1.pk))
    assert (update.before["unit"], update.after["unit"]) == ("orang", "jiwa")
    d2 = DataItem.objects.get(code="D2")
    assert AuditEntry.objects.filter(action="item_classify", target_id=str(d2.pk)).exists()
    d3 = DataItem.objects.get(code="D3")
    assert list(d3.breakdowns.all()) == [sex]
    entry = AuditEntry.objects.get(action="item_update", target_id=str(d3.pk))
    assert (entry.before["breakdowns"], entry.after["breakdowns"]) == ([], [sex.pk])


def test_items_absent_from_the_file_are_kept_and_counted(walidata, decree, health):
    DataItemFactory(decree=decree, agency=health, code="OLD-1")
    DataItemFactory(decree=decree, agency=health, code="OLD-2")
    summary = _import(walidata, decree, [row("NEW-1")])
    assert (summary.created, summary.absent) == (1, 2)
    assert summary.absent_codes == ("OLD-1", "OLD-2")
    assert DataItem.objects.filter(decree=decree).count() == 3


def test_items_of_another_decree_with_the_same_code_are_not_touched(walidata, decree, health):
    other = DataItemFactory(agency=health, code="E1", unit="unit")
    _import(walidata, decree, [row("E1")])
    other.refresh_from_db()
    assert other.unit == "unit"
    assert DataItem.objects.filter(code="E1").count() == 2


def test_a_column_left_out_of_the_file_keeps_what_the_items_have(walidata, decree, health):
    topic = TopicFactory(name="Kesehatan", slug="kesehatan")
    DataItemFactory(
        decree=decree, agency=health, code="F1", name="Jumlah tenaga kesehatan", unit="orang",
        topic=topic, concept="Konsep lama", definition="Definisi uji.",
    )  # fmt: skip
    header = ["Kode", "Nama Data", "Kode Produsen Data", "Satuan", "Periodisitas",
              "Tingkat Penyajian", "Sifat Data"]  # fmt: skip
    data = csv_bytes(header, [["F1", "Jumlah tenaga kesehatan", "1.02.01", "jiwa", "Tahunan",
                               "Kecamatan", "Terbuka"]])  # fmt: skip
    summary = data_list_import(actor=walidata, decree=decree, data=data, filename="x.csv")
    item = DataItem.objects.get(code="F1")
    assert summary.updated == 1
    assert (item.unit, item.concept, item.topic) == ("jiwa", "Konsep lama", topic)


def test_headers_are_matched_tolerantly_and_unknown_columns_ignored(walidata, decree, health):
    header = ["No", " KODE ", "nama indikator", "OPD", "satuan", "Periodisitas (Tahunan/...)",
              "Tingkat  Penyajian", "SIFAT DATA", "Catatan internal"]  # fmt: skip
    rows = [["1", "G1", "Angka kematian ibu", "Dinas Kesehatan", "per 100.000", "annual",
             "Kabupaten", "open", "abaikan"]]  # fmt: skip
    data = csv_bytes(header, rows, delimiter=";", encoding="cp1252")
    data_list_import(actor=walidata, decree=decree, data=data, filename="x.csv")
    item = DataItem.objects.get(code="G1")
    assert (item.name, item.agency, item.unit, item.level) == (
        "Angka kematian ibu",
        health,
        "per 100.000",
        "regency",
    )


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_numbers(
    walidata, decree, health
):
    text = (
        "DAFTAR DATA STATISTIK SEKTORAL\n\n"
        + ",".join(HEADER)
        + "\n"
        + ",".join(row("H1", {"Sifat Data": "rahasia negara"}))
        + "\n"
    )
    with pytest.raises(DomainError) as info:
        data_list_import(actor=walidata, decree=decree, data=text.encode(), filename="x.csv")
    assert [(p.row, p.column) for p in info.value.errors] == [(4, "Sifat Data")]


def test_a_missing_required_column_is_one_clear_error(walidata, decree, health):
    header = ["Kode", "Nama Data", "Kode Produsen Data", "Periodisitas", "Tingkat Penyajian"]
    data = csv_bytes(header, [["I1", "x", "1.02.01", "Tahunan", "Desa"]])
    with pytest.raises(DomainError) as info:
        data_list_import(actor=walidata, decree=decree, data=data, filename="x.csv")
    assert "lacks required columns: Satuan, Sifat Data" in info.value.message
    assert info.value.errors == []


def test_a_dry_run_reports_the_changes_and_saves_nothing(walidata, decree, health):
    before = AuditEntry.objects.count()
    summary = _import(walidata, decree, [row("J1", {"Topik": "Baru"}), row("J2")], dry_run=True)
    assert (summary.created, summary.dry_run) == (2, True)
    assert not DataItem.objects.exists()
    assert not Topic.objects.filter(name="Baru").exists()
    assert AuditEntry.objects.count() == before


def test_an_inactive_agency_is_refused_for_a_new_item(walidata, decree):
    AgencyFactory(code="9.01", name="Dinas Lama", is_active=False)
    with pytest.raises(DomainError) as info:
        _import(walidata, decree, [row("K1", {"Kode Produsen Data": "9.01"})])
    assert "inactive" in info.value.errors[0].message


@pytest.mark.parametrize("persona", ["operator", "head", "supervisor", "other_operator"])
def test_only_walidata_and_admin_may_import(request, decree, health, persona):
    with pytest.raises(NotAllowed):
        _import(request.getfixturevalue(persona), decree, [row("L1")])
    assert not DataItem.objects.exists()


def test_an_administrator_may_import(admin_user, decree, health):
    assert _import(admin_user, decree, [row("L2")]).created == 1


def test_the_import_runs_no_query_per_row(walidata, decree, health, sex):
    def queries(n: int, prefix: str) -> int:
        rows = [
            row(f"{prefix}{i}", {"Rincian": "Jenis Kelamin", "Topik": "Tema"}) for i in range(n)
        ]
        with CaptureQueriesContext(connection) as ctx:
            _import(walidata, decree, rows)
        return len(ctx.captured_queries)

    queries(3, "M")  # creates the topic; the imports below create none
    small = queries(3, "N")
    large = queries(60, "P")
    # Inserts go in batches (SQLite allows ~20 rows of 45 columns per statement), never per row.
    assert large <= small + 60 // 10
    updated = [row(f"P{i}", {"Satuan": "jiwa"}) for i in range(60)]
    with CaptureQueriesContext(connection) as ctx:
        _import(walidata, decree, updated)
    # A constant few more: the portal refreshes the datasets and search index of the codes.
    assert len(ctx.captured_queries) <= small + 8
