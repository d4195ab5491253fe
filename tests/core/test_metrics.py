"""/metrics: Prometheus counters for requests, jobs and imports, for administrators or a token."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from satudata.catalog.imports import HEADER, data_list_import
from satudata.catalog.services import breakdown_ensure, regions_load
from satudata.core.jobs import run_ready_jobs
from satudata.publications.tasks import send_post
from satudata.values.imports import values_import
from tests.catalog.test_import_service import csv_bytes, row
from tests.factories import SYSTEM, DataItemFactory

pytestmark = pytest.mark.urls("tests.core.observability_urls")

TOKEN = "prometheus-scrape-token-0123456789"
SEND_POST = "satudata.publications.tasks.send_post"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client: Client, **headers: str) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.content.decode())
        for s in family.samples
    }


def test_administrators_and_the_token_read_it_everyone_else_gets_404(
    client, login, admin_user, walidata, operator, supervisor, token
):
    assert client.get("/metrics").status_code == 404
    for user in (walidata, operator, supervisor):
        assert login(user).get("/metrics").status_code == 404, user.role
    for wrong in ("Bearer nope", f"Basic {TOKEN}", TOKEN, "Bearer "):
        assert client.get("/metrics", HTTP_AUTHORIZATION=wrong).status_code == 404, wrong
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404
    assert "satudata_http_requests_total" in str(scrape(login(admin_user)))
    assert scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def test_without_a_configured_token_no_bearer_opens_it(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_requests_are_counted_by_route_name_and_status_never_by_raw_path(client, db, token):
    ok = sample("satudata_http_requests_total", method="GET", view="healthz", status="200")
    timed = sample("satudata_http_request_duration_seconds_count", method="GET", view="healthz")
    dataset = sample(
        "satudata_http_requests_total", method="GET", view="dataset-detail", status="404"
    )
    unmatched = sample("satudata_http_requests_total", method="GET", view="unmatched", status="404")
    client.get("/healthz")
    client.get("/healthz")
    client.get("/dataset/tidak-ada-98765/")
    client.get("/zz-tidak-ada-98765/xyz/")
    assert (
        sample("satudata_http_requests_total", method="GET", view="healthz", status="200") == ok + 2
    )
    assert (
        sample("satudata_http_request_duration_seconds_count", method="GET", view="healthz")
        == timed + 2
    )
    # A missing dataset counts under its route; a path no route knows, under "unmatched".
    assert (
        sample("satudata_http_requests_total", method="GET", view="dataset-detail", status="404")
        == dataset + 1
    )
    assert (
        sample("satudata_http_requests_total", method="GET", view="unmatched", status="404")
        == unmatched + 1
    )
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "tidak-ada-98765" not in text


def test_job_outcomes_and_the_queue_are_exposed(client, db, token):
    done = sample("satudata_jobs_finished_total", task=SEND_POST, outcome="successful")
    failed = sample("satudata_jobs_finished_total", task=SEND_POST, outcome="failed")
    send_post.enqueue(999_999)  # no such post: nothing to do, success
    send_post.enqueue("not-a-number")  # a malformed argument: the job fails
    assert run_ready_jobs() == 2
    send_post.enqueue(999_998)  # waits for a worker
    assert sample("satudata_jobs_finished_total", task=SEND_POST, outcome="successful") == done + 1
    assert sample("satudata_jobs_finished_total", task=SEND_POST, outcome="failed") == failed + 1
    assert sample("satudata_job_duration_seconds_count", task=SEND_POST) >= 2
    metrics = scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    # Read from the database at scrape time: the same figures on every host.
    assert metrics[("satudata_jobs", (("state", "failed"),))] == 1
    assert metrics[("satudata_jobs", (("state", "successful"),))] == 1
    assert metrics[("satudata_jobs", (("state", "ready"),))] == 1
    assert metrics[("satudata_jobs_oldest_ready_seconds", ())] >= 0


@pytest.fixture
def district_item(db, decree, health):
    regions_load(actor=SYSTEM, root="35.09")
    sex = breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )
    return DataItemFactory(
        decree=decree,
        agency=health,
        name="Jumlah Bayi Diimunisasi",
        periodicity="annual",
        level="district",
        breakdowns=[sex],
    )


def test_imports_are_counted_once_they_are_saved(
    walidata, operator, decree, district_item, django_capture_on_commit_callbacks
):
    values = sample("satudata_imports_total", kind="values")
    cells = sample("satudata_import_rows_total", kind="values")
    lists = sample("satudata_imports_total", kind="data_list")
    data = (
        "kode_data;periode;kode_wilayah;rincian;nilai;status\n"
        f"{district_item.code};2025;35.09.01;Jenis kelamin=L;12;Tetap\n"
        f"{district_item.code};2025;35.09.01;Jenis kelamin=P;13;Tetap\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert values_import(actor=operator, data=data, filename="nilai.csv").saved == 2
    assert sample("satudata_imports_total", kind="values") == values + 1
    assert sample("satudata_import_rows_total", kind="values") == cells + 2

    sheet = csv_bytes(HEADER, [row("DD-7001"), row("DD-7002")])
    with django_capture_on_commit_callbacks(execute=True):
        data_list_import(actor=walidata, decree=decree, data=sheet, dry_run=True)
    assert sample("satudata_imports_total", kind="data_list") == lists  # a dry run saves nothing
    with django_capture_on_commit_callbacks(execute=True):
        data_list_import(actor=walidata, decree=decree, data=sheet)
    assert sample("satudata_imports_total", kind="data_list") == lists + 1


def test_with_a_multiprocess_folder_the_counters_of_every_process_add_up(
    client, db, token, tmp_path, monkeypatch
):
    """gunicorn's workers are separate processes: each writes its counters to the folder."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    script = (
        "import django; django.setup()\n"
        "from satudata.core import metrics\n"
        "metrics.REQUESTS.labels(method='GET', view='portal-home', status='200').inc(3)\n"
    )
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "satudata.settings",
        "DATA_DIR": str(tmp_path / "data"),
    }
    for _worker in range(2):
        subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    metrics = scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    key = (
        "satudata_http_requests_total",
        (("method", "GET"), ("status", "200"), ("view", "portal-home")),
    )
    assert metrics[key] == 6
    assert ("satudata_jobs_oldest_ready_seconds", ()) in metrics
