"""Two app servers, one worker, behind nginx, on PostgreSQL, Redis and S3: nothing is per host.

Each test sends its requests through nginx and names the app server it means (nginx's log says
which one answered), so "through the other server" is checked, not hoped for. See stack.py for
the setup; it takes about 20 s to start and is shared by the tests of this module.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.deploy.stack import ADMIN_PASSWORD, BUCKET, REDIS_DB, Stack, missing_pieces

pytestmark = pytest.mark.deploy

JOB_SECONDS = 60


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    missing = missing_pieces()
    if missing:
        pytest.skip(f"production setup skipped: {'; '.join(missing)}")
    running = Stack(folder=tmp_path_factory.mktemp("deploy"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


def _csrf(session: Any) -> str:
    return session.cookies["csrftoken"]


def _sign_in(stack: Stack, port: int) -> Any:
    """A browser session of the administrator, signed in through the app server on `port`."""
    session = stack.client()
    page = stack.send_to(port, session, "GET", "/app/account/login/")
    assert page.status_code == 200
    response = stack.send_to(
        port,
        session,
        "POST",
        "/app/account/login/",
        data={
            "username": "admin",
            "password": ADMIN_PASSWORD,
            "csrfmiddlewaretoken": _csrf(session),
        },
    )
    assert response.status_code == 302, response.text[-2000:]
    return session


def test_a_user_signed_in_through_one_app_server_stays_signed_in_through_the_other(stack):
    first, second = stack.app_ports
    session = _sign_in(stack, first)

    home = stack.send_to(second, session, "GET", "/app/")
    assert home.status_code == 200
    assert 'action="/app/account/logout/"' in home.text

    # Signing out through the second server ends the session on the first one too.
    out = stack.send_to(
        second,
        session,
        "POST",
        "/app/account/logout/",
        data={"csrfmiddlewaretoken": _csrf(session)},
    )
    assert out.status_code == 302
    again = stack.send_to(first, session, "GET", "/app/")
    assert again.status_code == 302
    assert "/app/account/login/" in again.headers["Location"]


def test_sessions_are_read_through_redis(stack):
    import redis

    _sign_in(stack, stack.app_ports[0])
    client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    keys = list(client.scan_iter(f"{stack.cache_prefix}:*django.contrib.sessions.cached_db*"))
    assert keys


def test_a_file_uploaded_through_one_app_server_downloads_through_the_other(stack):
    first, second = stack.app_ports
    session = _sign_in(stack, first)
    pdf = b"%PDF-1.4\n" + secrets.token_bytes(3000) + b"\n%%EOF\n"

    response = stack.send_to(
        first,
        session,
        "POST",
        "/app/decrees/new/",
        data={
            "number": "188/DEPLOY/2026",
            "title": "Daftar Data Kabupaten Jember 2026",
            "decree_date": "2026-01-05",
            "year": "2026",
            "note": "",
            "csrfmiddlewaretoken": _csrf(session),
        },
        files={"document": ("sk-daftar-data.pdf", pdf, "application/pdf")},
    )
    assert response.status_code == 302, response.text[-2000:]
    decree = int(re.search(r"/decrees/(\d+)/", response.headers["Location"]).group(1))

    download = stack.send_to(second, session, "GET", f"/app/decrees/{decree}/document.pdf")
    assert download.status_code == 200
    assert download.content == pdf

    # The file lives in the bucket, private, and on neither host's disk.
    s3 = stack.s3()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="decrees/")["Contents"]]
    assert len(keys) == 1
    assert s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == pdf
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]  # no grant to AllUsers or AuthenticatedUsers
    assert not [p for p in stack.folder.rglob("*.pdf")]

    # Nobody reads it without signing in.
    anonymous, _ = stack.send(stack.client(), "GET", f"/app/decrees/{decree}/document.pdf")
    assert anonymous.status_code == 302
    assert "/app/account/login/" in anonymous.headers["Location"]


def test_a_job_queued_through_one_app_server_runs_once_on_the_worker(stack):
    first, second = stack.app_ports
    session = _sign_in(stack, first)
    page = stack.send_to(first, session, "GET", "/app/reports/")
    period = re.search(r'name="period"[^>]*value="([^"]+)"', page.text).group(1)

    response = stack.send_to(
        first,
        session,
        "POST",
        "/app/reports/",
        data={"period": period, "csrfmiddlewaretoken": _csrf(session)},
    )
    assert response.status_code == 302, response.text[-2000:]
    report = int(re.search(r"/reports/(\d+)/", response.headers["Location"]).group(1))

    deadline = time.monotonic() + JOB_SECONDS
    while True:
        status, _ = stack.send(session, "GET", f"/app/reports/{report}/status.json")
        state = status.json()
        if not state["active"]:
            break
        assert time.monotonic() < deadline, f"the job did not finish: {state}"
        time.sleep(0.3)
    assert state["job_state"] == "done", (state, stack.log_of("worker")[-3000:])

    jobs = stack.query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
        "%.build_report",
    )
    assert len(jobs) == 1
    assert jobs[0][0] == "SUCCESSFUL"
    assert len(jobs[0][1]) == 1  # claimed by one worker, once

    # The worker wrote the files to the bucket; the other app server serves them.
    listed = stack.s3().list_objects_v2(Bucket=BUCKET, Prefix=f"reports/{report}/")["Contents"]
    assert {o["Key"].rsplit(".", 1)[1] for o in listed} == {"pdf", "xlsx", "docx"}
    pdf = stack.send_to(second, session, "GET", f"/app/reports/{report}/download/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_api_rate_limit_counts_requests_to_both_app_servers(stack):
    # API_RATE_LIMIT is 10 per hour here: an hour's window does not roll over mid-test.
    anonymous = stack.client()
    answered = dict.fromkeys(stack.app_ports, 0)
    for _ in range(25):
        response, port = stack.send(anonymous, "GET", "/api/3/action/status_show")
        if response.status_code == 429:
            break
        assert response.status_code == 200
        answered[port] += 1
    else:
        pytest.fail(f"no request was refused: {answered}")

    # Round robin: each server answered 5; alone, neither would have refused before its 10th.
    assert sum(answered.values()) == 10
    assert sorted(answered.values()) == [5, 5]
    assert answered[port] < 10
