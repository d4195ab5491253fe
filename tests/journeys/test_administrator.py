"""The administrator at 2 a.m.: who changed a value, a failed job retried, /healthz, the backup.

The operator's change is made here through the value grid, and the failed job is a real one run
by the server's worker; the administrator then works only through the browser, except for the
backup, which is a command on the server, as it is in production.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from satudata.demo.users import DEMO_PASSWORD
from tests.journeys.conftest import OFFICE, assert_accessible, log_in, new_page, shot, tab_to

pytestmark = pytest.mark.browser

ADMIN = "admin"
# Dinas Sosial's operator: the operator's own journey types in Dinas Kesehatan's grids, so
# neither run sees the other's change in its audit rows.
OPERATOR = "operator.dinsos"
# A yearly item of Dinas Sosial with its 2025 values filled in the demo: elderly people served,
# for the regency by sex (two cells, so the grid is quick to check).
ITEM = "1.06.01.005"
PERIOD = "2025"
CELL = "Kabupaten Jember Perempuan"  # the grid input's accessible name
CELL_IN_LOG = "Kabupaten Jember (35.09) · Perempuan"  # how the audit entry names that cell
JOB_URL = "/app/jobs/"
AUDIT_URL = "/app/audit/"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
JOB_FAILS_WITHIN_MS = 30_000


def today_on_the_server() -> str:
    """The server's today (it counts days in its own time zone, Asia/Jakarta unless set)."""
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "Asia/Jakarta"))
    return dt.datetime.now(zone).date().isoformat()


def fail_a_job(server: Any, argument: str) -> str:
    """Queue a send_post job the worker cannot run (its argument is no post id); its id.

    Through the product's own queue on the server, as a job with a corrupt argument would
    arrive: the worker claims it, the task raises, the row is FAILED with its traceback.
    """
    output = server.manage(
        "shell",
        "-c",
        "from satudata.publications.tasks import send_post; "
        f"print(send_post.enqueue({argument!r}).id)",
    )
    return UUID.findall(output)[-1]


def wait_for_row(page: Any, row: str, text: str = "") -> Any:
    """Reload the jobs page until the row (with that text, if given) is listed."""
    waited = 0
    while True:
        page.goto(JOB_URL)
        found = page.locator(f"#{row}")
        if found.count() and text in found.inner_text():
            return found
        if waited > JOB_FAILS_WITHIN_MS:
            raise AssertionError(f"{row} never showed {text!r} at {JOB_URL}")
        page.wait_for_timeout(500)
        waited += 500


def failed_count(page: Any) -> int:
    return int(page.locator(".stat.closed .num").inner_text().replace(",", ""))


# ---------------------------------------------------------------- who changed the value


def test_the_administrator_finds_who_changed_a_value_and_what_it_was_before(browser, server):
    # The operator corrects one cell of last year's grid.
    operator = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(operator, OPERATOR)
    operator.goto(f"/app/values/?year={PERIOD}")
    operator.locator("tr", has_text=ITEM).locator(f"a[href$='/{PERIOD}/']").first.click()
    operator.wait_for_load_state()
    assert_accessible(operator)
    cell = operator.get_by_label(CELL, exact=True)
    # Shown the Indonesian way whatever the language ("2.118"); the log keeps plain numbers.
    shown = cell.input_value()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", shown), shown
    before = shown.replace(".", "")
    after = str(int(before) + 7)
    cell.fill(after)
    operator.get_by_role("button", name="Save", exact=True).click()
    operator.wait_for_load_state()
    assert "1 changed" in operator.inner_text("main")
    assert operator.get_by_label(CELL, exact=True).input_value().replace(".", "") == after
    operator.context.close()

    # At night the administrator looks for it: this operator, today, this item and period.
    page = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(page, ADMIN)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Audit log").click()
    page.wait_for_load_state()
    assert_accessible(page)
    today = today_on_the_server()
    page.get_by_label("Actor (username)").fill(OPERATOR)
    page.get_by_label("Object type").select_option(label="fill state")
    page.get_by_label("From", exact=True).fill(today)
    page.get_by_label("To", exact=True).fill(today)
    page.get_by_label("Object contains").fill(f"{ITEM} {PERIOD}")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert f"actor={OPERATOR}" in page.url and f"date_from={today}" in page.url
    rows = page.locator("table.audit-table tbody tr")
    assert rows.count() >= 1
    # Only what was asked for: every row is this operator's, on this item's 2025 values.
    for text in rows.all_inner_texts():
        cells = text.split("\t")
        assert cells[1].strip() == OPERATOR and f"{ITEM} {PERIOD}" in cells[3], text
    newest = rows.first
    assert "Values saved" in newest.inner_text()
    assert_accessible(page)
    shot(page, "admin-log-audit")

    newest.locator("td.audit-time a").click()
    page.wait_for_load_state()
    entry_url = page.url
    meta = dict(
        zip(
            page.locator("dl.meta dt").all_inner_texts(),
            page.locator("dl.meta dd").all_inner_texts(),
            strict=True,
        )
    )
    assert meta["Actor"] == OPERATOR
    change = page.locator("table.audit-changes tbody tr", has_text=CELL_IN_LOG)
    assert change.count() == 1
    assert change.locator("td.audit-before").inner_text() == before
    assert change.locator("td.audit-after").inner_text() == after
    assert_accessible(page)
    shot(page, "admin-entri-audit")

    # From the entry, the whole history of that object (this item's 2025 fill state).
    page.get_by_role("link", name="History of this object").click()
    page.wait_for_load_state()
    assert "target_id=" in page.url
    links = page.locator("table.audit-table td.audit-time a")
    assert entry_url.endswith(links.first.get_attribute("href"))
    assert_accessible(page)
    page.context.close()


# ---------------------------------------------------------------- the failed job


def test_the_administrator_sees_a_failed_job_with_its_error_and_retries_it(office, server):
    argument = f"bukan-nomor-{uuid.uuid4().hex[:8]}"
    job = fail_a_job(server, argument)
    page = office
    log_in(page, ADMIN)
    row = wait_for_row(page, f"job-{job}")
    assert f'"{argument}"' in row.inner_text()
    assert "ValueError" in row.locator(".jobs-error").inner_text()
    assert "1 attempt" in row.inner_text()
    # The traceback is one click away for whoever has to fix the cause.
    row.locator("summary").click()
    assert "Traceback" in row.locator("pre").inner_text()
    failed_before = failed_count(page)
    assert failed_before >= 1
    assert_accessible(page)
    shot(page, "admin-pekerjaan-gagal")

    row.get_by_role("button", name="Retry").click()
    page.wait_for_load_state()
    message = page.locator("main").inner_text()
    queued = re.search(r"queued again as job (" + UUID.pattern + ")", message)
    assert queued, message
    retry = queued.group(1)
    assert retry != job
    # The worker runs the retry; its argument is still no post, so it fails the same way: the
    # failed job says so, and the retry is listed in its turn with its own button.
    row = wait_for_row(page, f"job-{job}", "Retried: failed")
    assert retry in row.inner_text()
    assert row.get_by_role("button", name="Retry").count() == 0
    again = page.locator(f"#job-{retry}")
    assert "ValueError" in again.locator(".jobs-error").inner_text()
    assert again.get_by_role("button", name="Retry").count() == 1
    assert failed_count(page) == failed_before + 1
    assert_accessible(page)
    shot(page, "admin-pekerjaan-diulang")

    # A second retry of the same job (a double click, a second administrator) queues nothing.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    page.request.post(
        f"{JOB_URL}{job}/retry/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": server.url + JOB_URL},
        max_redirects=0,
    )
    page.goto(JOB_URL)
    assert "already retried" in page.locator("main").inner_text()
    assert failed_count(page) == failed_before + 1
    assert_accessible(page)


# ---------------------------------------------------------------- health and backup


def test_healthz_answers_in_the_browser_and_agrees_with_the_jobs_page(office, server):
    page = office
    response = page.goto("/healthz")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    health = response.json()
    assert health["status"] == "ok"
    for part in ("database", "cache", "storage", "queue"):
        assert health[part]["status"] == "ok", health[part]
        assert health[part]["required"] is True
    # The browser shows the same JSON text (no page of ours to check with axe: it is data).
    assert json.loads(page.locator("pre").first.inner_text())["status"] == "ok"
    log_in(page, ADMIN)
    page.goto(JOB_URL)
    assert failed_count(page) == health["queue"]["failed"]
    assert_accessible(page)


def test_last_night_s_backup_restores_into_a_new_installation(server, tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()  # an existing folder gets a dated archive; any other path names the file
    server.manage("backup", "--output", str(folder))
    archives = list(folder.glob("satudata-backup-*.tar.gz"))
    assert len(archives) == 1
    assert archives[0].stat().st_size > 100_000

    # Restored with the one documented command into a new installation: its own DATA_DIR
    # and empty database, never the running server the other journeys use. (`restore --check`
    # and refusals of damaged archives are tested in tests/core/test_backup*.py.)
    fresh = tmp_path / "pulih"
    fresh.mkdir()
    env = {**server.env, "DATA_DIR": str(fresh)}

    def satudata(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "satudata", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout

    satudata("restore", str(archives[0]))
    known = satudata(
        "shell",
        "-c",
        "import json; from satudata.catalog.models import DataItem; "
        "from django.contrib.auth import get_user_model; "
        "print(json.dumps({'items': DataItem.objects.count(), 'operator': "
        f"get_user_model().objects.get(username={OPERATOR!r}).get_full_name()}}))",
    )
    restored = json.loads(known.strip().splitlines()[-1])
    assert restored["operator"] == "Fitri Handayani"
    assert restored["items"] > 100


# ---------------------------------------------------------------- refusals and wrong input


@pytest.mark.parametrize("username", [OPERATOR, "bps"])
def test_an_operator_and_the_supervisor_are_refused_the_jobs_and_the_log(browser, server, username):
    page = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(page, username)
    menu = page.get_by_role("navigation", name="Main menu")
    assert menu.get_by_role("link", name="Background jobs").count() == 0
    assert menu.get_by_role("link", name="Audit log").count() == 0
    for url in (JOB_URL, AUDIT_URL, f"{AUDIT_URL}1/", f"{AUDIT_URL}?actor={ADMIN}"):
        response = page.goto(url)
        assert response.status == 403, url
        assert page.locator("h1").inner_text() == "Not allowed"
        assert "Your role does not allow this page" in page.locator("main").inner_text()
        assert page.locator("table").count() == 0
        assert_accessible(page)
    page.context.close()


def test_wrong_addresses_and_filters_get_a_clear_answer_and_keep_what_was_typed(office, server):
    page = office
    log_in(page, ADMIN)
    for url in (f"{JOB_URL}abc/retry/", f"{AUDIT_URL}abc/", f"{AUDIT_URL}999999999/"):
        response = page.goto(url)
        assert response.status == 404, url
        assert page.locator("h1").inner_text() == "Not found"
        assert_accessible(page)
    # A retry of a job that does not exist (an old bookmark, another administrator cleaned up).
    page.goto(JOB_URL)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"{JOB_URL}{uuid.uuid4()}/retry/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": server.url + JOB_URL},
        max_redirects=0,
    )
    assert response.status == 302  # back to the list, which says why
    page.goto(JOB_URL)
    assert "This job no longer exists." in page.locator("main").inner_text()
    assert_accessible(page)

    # A date that is no date, typed into the address: said beside the field, nothing listed.
    response = page.goto(f"{AUDIT_URL}?date_from=notadate&actor={OPERATOR}")
    assert response.status == 200
    assert "Enter a valid date." in page.locator(".field-error").inner_text()
    assert page.locator("table.audit-table").count() == 0
    assert page.get_by_label("Actor (username)").input_value() == OPERATOR
    assert_accessible(page)

    # Dates the wrong way round: refused, and everything typed is still there to correct.
    page.goto(AUDIT_URL)
    page.get_by_label("Actor (username)").fill(OPERATOR)
    page.get_by_label("From", exact=True).fill("2026-11-25")
    page.get_by_label("To", exact=True).fill("2026-11-01")
    page.get_by_label("Object contains").fill(ITEM)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "The end date is before the start date." in page.locator("[role=alert]").inner_text()
    assert page.get_by_label("Actor (username)").input_value() == OPERATOR
    assert page.get_by_label("From", exact=True).input_value() == "2026-11-25"
    assert page.get_by_label("To", exact=True).input_value() == "2026-11-01"
    assert page.get_by_label("Object contains").input_value() == ITEM
    assert page.locator("table.audit-table").count() == 0
    assert_accessible(page)
    shot(page, "admin-filter-salah")


# ---------------------------------------------------------------- keyboard only


def test_the_administrator_retries_a_job_and_finds_it_in_the_log_with_the_keyboard_alone(
    browser, server
):
    job = fail_a_job(server, f"papan-ketik-{uuid.uuid4().hex[:8]}")
    page = new_page(browser, server, viewport=OFFICE, language="en")
    page.goto("/app/account/login/")
    tab_to(page, "[name=username]")
    page.keyboard.type(ADMIN)
    tab_to(page, "[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "login" not in page.url

    # The menu's "Background jobs", then the Retry button in this job's row.
    tab_to(page, f"a[href='{JOB_URL}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wait_for_row(page, f"job-{job}")
    assert_accessible(page)
    tab_to(page, f"#job-{job} button", stops=400)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    queued = re.search(r"queued again as job (" + UUID.pattern + ")", page.inner_text("main"))
    assert queued, page.inner_text("main")
    assert_accessible(page)

    # The menu's "Audit log"; the job's id typed into "Object id"; Enter; the entry.
    tab_to(page, f"a[href='{AUDIT_URL}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    tab_to(page, "[name=target_id]")
    page.keyboard.type(job)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"target_id={job}" in page.url
    assert_accessible(page)
    tab_to(page, "main table a[href^='/app/audit/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith("Job retried")
    main = page.locator("main").inner_text()
    assert ADMIN in page.locator("dl.meta dd").nth(1).inner_text()
    assert queued.group(1) in main and "ValueError" in main
    assert_accessible(page)
    page.context.close()
