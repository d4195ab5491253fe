"""The report pages: who sees them, making a draft, the status endpoint, downloads."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from satudata.core.jobs import run_ready_jobs
from satudata.reports.models import Report, ReportState


@pytest.mark.parametrize("persona", ["walidata", "supervisor", "admin_user"])
def test_walidata_supervisor_and_admin_see_the_report_list(persona, request, login):
    client = login(request.getfixturevalue(persona), language="en")
    response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    assert b"Dissemination reports" in response.content


@pytest.mark.parametrize("persona", ["head", "operator"])
def test_producers_get_403_on_every_report_page(persona, request, login):
    client = login(request.getfixturevalue(persona))
    report = Report.objects.create(period="2025")
    for url in (
        reverse("reports:list"),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:status", args=[report.pk]),
        reverse("reports:letterhead"),
    ):
        assert client.get(url).status_code == 403, url


def test_the_supervisor_reads_but_cannot_make_a_draft(supervisor, login):
    client = login(supervisor, language="en")
    assert b"New draft for a period" not in client.get(reverse("reports:list")).content
    assert client.post(reverse("reports:list"), {"period": "2025"}).status_code == 403
    assert not Report.objects.exists()


def test_walidata_makes_a_draft_and_follows_its_progress(
    walidata, login, django_capture_on_commit_callbacks
):
    client = login(walidata, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:list"), {"period": "2025-Q2"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])

    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert b'http-equiv="refresh"' in page.content  # reloads without JavaScript while it runs
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["active"] is True and status["percent"] == 0

    run_ready_jobs()
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status == {
        "state": "draft",
        "job_state": "done",
        "percent": 100,
        "message": "",
        "error": "",
        "active": False,
        "has_files": True,
    }
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert b"No data was recorded for this period" in page.content
    download = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_future_period_is_refused_next_to_the_field(walidata, login):
    client = login(walidata, language="en")
    future = f"{timezone.localdate().year + 1}-Q1"
    response = client.post(reverse("reports:list"), {"period": future})
    assert response.status_code == 200
    assert b"has not begun yet" in response.content
    assert f'value="{future}"'.encode() in response.content  # what was typed is kept
    assert not Report.objects.exists()


def test_narrative_and_finalise_through_the_page(
    walidata, login, django_capture_on_commit_callbacks
):
    client = login(walidata, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:list"), {"period": "2025"})
    run_ready_jobs()
    report = Report.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:narrative", args=[report.pk]), {"narrative": "Catatan."})
    run_ready_jobs()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:finalise", args=[report.pk]))
    run_ready_jobs()
    report.refresh_from_db()
    assert report.state == ReportState.FINAL
    assert report.narrative == "Catatan."
    page = client.get(reverse("reports:detail", args=[report.pk]))
    assert report.pdf_sha256.encode() in page.content
    assert b"Save the narrative" not in page.content
