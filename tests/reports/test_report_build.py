"""The report's job and files: progress recorded, PDF/XLSX/DOCX that open, finalising freezes."""

from __future__ import annotations

import io
import json
import re

import pytest
import typst
from django.utils import timezone, translation

from satudata.core.errors import DomainError, InvalidTransition
from satudata.core.jobs import run_ready_jobs
from satudata.reports.document import build_document
from satudata.reports.models import JobState, Report, ReportState
from satudata.reports.render_pdf import TEMPLATE
from satudata.reports.services import (
    report_create,
    report_finalise,
    report_generate,
    report_narrative_save,
)
from tests.reports.test_report_figures import CLOSED_NAME, _fill, build_world


@pytest.fixture
def world(decree, health, education):
    return build_world(decree=decree, health=health, education=education)


def _made(walidata, period, capture) -> Report:
    with capture(execute=True):
        report = report_create(actor=walidata, period=period)
    assert run_ready_jobs() == 1
    report.refresh_from_db()
    return report


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _page_count(pdf: bytes) -> int:
    return int(re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf).group(1))


def _pdf_headings(report: Report) -> list[str]:
    document = build_document(report.data, report.narrative)
    from satudata.reports.charts import to_svg
    from satudata.reports.render_pdf import logo_svg

    payload = {
        **document,
        "svgs": {k: to_svg(s) for k, s in document["charts"].items()},
        "logo_svg": logo_svg(document["letterhead"]["logo"]),
    }
    found = typst.query(
        str(TEMPLATE),
        "heading",
        field="body",
        sys_inputs={"doc": json.dumps(payload)},
    )
    return [h.get("text", "") for h in json.loads(found)]


def test_the_job_gathers_the_figures_renders_three_files_and_records_progress(
    world, walidata, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(actor=walidata, period=str(world.year))
    report.refresh_from_db()
    assert report.job_state == JobState.QUEUED
    assert report.data == {}

    assert run_ready_jobs() == 1
    report.refresh_from_db()
    assert report.job_state == JobState.DONE
    assert report.job_percent == 100
    assert report.job_error == ""
    assert report.data["summary"]["fill"]["scheduled"] == 7

    pdf = _read(report.pdf)
    assert pdf.startswith(b"%PDF")
    assert _page_count(pdf) >= 5
    headings = _pdf_headings(report)
    assert "Dinas Kesehatan" in headings and "Dinas Pendidikan" in headings

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_read(report.xlsx)))
    from satudata.reports.tables import report_tables

    assert len(book.sheetnames) == len(report_tables(report.data))
    cells = [c for row in book.worksheets[2].iter_rows(values_only=True) for c in row]
    assert "Dinas Pendidikan" in cells

    import docx

    document = docx.Document(io.BytesIO(_read(report.docx)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Dinas Kesehatan" in text
    assert CLOSED_NAME not in text
    assert len(document.tables) > 5


def test_finalising_freezes_figures_files_and_checksums(
    world, walidata, django_capture_on_commit_callbacks
):
    report = _made(walidata, str(world.year), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        report_narrative_save(
            actor=walidata, report=report, narrative="Keterisian membaik.\n\nPerlu perhatian."
        )
    run_ready_jobs()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_finalise(actor=walidata, report=report)
    assert run_ready_jobs() == 1
    report.refresh_from_db()
    assert report.state == ReportState.FINAL
    assert report.job_state == JobState.DONE
    assert report.data["narrative"].startswith("Keterisian membaik.")
    frozen = {
        "data": json.dumps(report.data, sort_keys=True),
        "sums": (report.data_sha256, report.pdf_sha256, report.xlsx_sha256, report.docx_sha256),
        "files": tuple(_read(getattr(report, k)) for k in ("pdf", "xlsx", "docx")),
    }
    assert all(frozen["sums"])

    # The records change afterwards: the missing quarter is filled.
    _fill(world.b, f"{world.year}-Q3", timezone.localdate())
    with pytest.raises(InvalidTransition):
        report_generate(actor=walidata, report=report)
    with pytest.raises(InvalidTransition):
        report_narrative_save(actor=walidata, report=report, narrative="Lain.")
    run_ready_jobs()

    report.refresh_from_db()
    assert json.dumps(report.data, sort_keys=True) == frozen["data"]
    assert (
        report.data_sha256,
        report.pdf_sha256,
        report.xlsx_sha256,
        report.docx_sha256,
    ) == frozen["sums"]
    assert tuple(_read(getattr(report, k)) for k in ("pdf", "xlsx", "docx")) == frozen["files"]

    # A new draft for the same period sees the change; the final one stays as it was.
    draft = _made(walidata, str(world.year), django_capture_on_commit_callbacks)
    education = next(a for a in draft.data["agencies"] if a["name"] == "Dinas Pendidikan")
    assert education["fill"]["missing"] == 1


def test_a_draft_gathers_again_on_demand_and_refuses_a_second_draft(
    world, walidata, django_capture_on_commit_callbacks
):
    report = _made(walidata, str(world.year), django_capture_on_commit_callbacks)
    with translation.override("en"), pytest.raises(DomainError, match="already exists"):
        report_create(actor=walidata, period=str(world.year))
    _fill(world.b, f"{world.year}-Q3", timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        report_generate(actor=walidata, report=report)
    run_ready_jobs()
    report.refresh_from_db()
    education = next(a for a in report.data["agencies"] if a["name"] == "Dinas Pendidikan")
    assert education["fill"]["missing"] == 1


def test_finalising_needs_gathered_figures(walidata):
    report = Report.objects.create(period="2025")
    with translation.override("en"), pytest.raises(DomainError, match="Generate the report"):
        report_finalise(actor=walidata, report=report)


def test_a_superseded_job_does_nothing(world, walidata, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_create(actor=walidata, period=str(world.year))
    # Walidata asks again before the first job ran: only the newest token builds.
    Report.objects.filter(pk=report.pk).update(job_token="other")
    run_ready_jobs()
    report.refresh_from_db()
    assert report.job_state == JobState.QUEUED
    assert not report.pdf


def test_an_empty_period_renders_a_report_that_says_so(
    walidata, django_capture_on_commit_callbacks
):
    report = _made(walidata, "2024-Q1", django_capture_on_commit_callbacks)

    assert report.job_state == JobState.DONE, report.job_error
    assert report.data["empty"] is True
    assert _read(report.pdf).startswith(b"%PDF")
    document = build_document(report.data, "", language="en")
    summary = next(s for s in document["sections"] if s["title"] == "Summary")
    assert summary["blocks"][0]["text"].startswith("No data was recorded for this period")


def test_producers_may_not_make_reports(operator):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_create(actor=operator, period="2025")


def test_a_narrative_saved_while_the_files_render_is_rendered_again(
    world, walidata, monkeypatch, django_capture_on_commit_callbacks
):
    report = _made(walidata, str(world.year), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        report_generate(actor=walidata, report=report)
    from satudata.reports import document

    real = document.build_document

    def walidata_types_meanwhile(data, narrative):
        # Walidata saves her text while this job renders (it read the narrative already).
        with django_capture_on_commit_callbacks(execute=True):
            report_narrative_save(actor=walidata, report=report, narrative="Ditulis sementara.")
        monkeypatch.setattr(document, "build_document", real)
        return real(data, narrative)

    monkeypatch.setattr(document, "build_document", walidata_types_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_ready_jobs() == 1  # rendered without the text, and queued once more
    report.refresh_from_db()
    assert report.job_state == JobState.QUEUED
    assert run_ready_jobs() == 1
    report.refresh_from_db()
    assert report.job_state == JobState.DONE
    import docx  # python-docx reads the file as Word would

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(_read(report.docx))).paragraphs)
    assert "Ditulis sementara." in text
