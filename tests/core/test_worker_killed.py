"""A worker killed in the middle of a job: the job is picked up again and completes once.

django-tasks-db leaves a killed worker's job RUNNING for ever; `satudata worker` queues such
jobs again (when it starts, and every minute while it runs), and the job's own domain row keeps
a second run from repeating its side effect.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from satudata.core import jobs
from tests.core.worker_killed_tasks import notify_once

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "satudata"]


# --- The requeue rule, in this process ---------------------------------------------------------


def _running(worker_ids: list[str], started: dt.datetime | None = None) -> DBTaskResult:
    result = notify_once.enqueue(1, "token")
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = worker_ids
    row.started_at = started or timezone.now()
    row.save()
    return row


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _here(pid: int) -> str:
    return jobs.worker_id_new().rsplit(":", 2)[0] + f":{pid}:abcdefgh"


def _status(row: DBTaskResult) -> str:
    row.refresh_from_db()
    return row.status


@pytest.mark.django_db
def test_a_job_of_a_dead_worker_on_this_host_is_queued_again_at_once():
    lost = _running([_here(_dead_pid())])
    mine = _running([jobs.worker_id_new()])  # this process: alive
    assert jobs.jobs_requeue_abandoned() == {"requeued": 1, "failed": 0}
    assert (_status(lost), _status(mine)) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    assert DBTaskResult.objects.ready().get() == lost


@pytest.mark.django_db
def test_a_killed_child_not_yet_reaped_counts_as_dead():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        row = _running([_here(child.pid)])
        assert jobs.jobs_requeue_abandoned()["requeued"] == 0
        os.kill(child.pid, signal.SIGKILL)
        stat = Path(f"/proc/{child.pid}/stat")
        deadline = time.monotonic() + 10
        while stat.exists() and b") Z" not in stat.read_bytes():  # until it is a zombie
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert jobs.jobs_requeue_abandoned()["requeued"] == 1
        assert _status(row) == TaskResultStatus.READY
    finally:
        child.kill()
        child.wait()


@pytest.mark.django_db
def test_a_job_of_another_host_is_queued_again_only_once_it_is_old(settings):
    settings.JOBS_ABANDONED_AFTER_SECONDS = 3600
    now = timezone.now()
    old = _running(["other-host:4026531836:1234:abcdefgh"], now - dt.timedelta(hours=2))
    young = _running(["other-host:4026531836:1235:abcdefgh"], now - dt.timedelta(minutes=5))
    assert jobs.jobs_requeue_abandoned(now=now) == {"requeued": 1, "failed": 0}
    assert (_status(old), _status(young)) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@pytest.mark.django_db
def test_a_job_that_lost_its_worker_three_times_fails_with_a_reason(settings):
    settings.JOBS_MAX_ATTEMPTS = 3
    row = _running([_here(_dead_pid()), _here(_dead_pid()), _here(_dead_pid())])
    assert jobs.jobs_requeue_abandoned() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and row.finished_at is not None
    assert row.exception_class_path == jobs.WORKER_LOST
    assert "stopped 3 times" in row.traceback


# --- The real thing: `satudata worker` processes killed with SIGKILL ------------------------------


class Installation:
    """An embedded installation in a temporary folder, shared by subprocesses (SQLite file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.control = folder / "control"
        self.control.mkdir()
        self.env = {
            **os.environ,
            "DATA_DIR": str(folder),
            "SATUDATA_TEST_JOB_DIR": str(self.control),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        for name in ("DATABASE_URL", "REDIS_URL"):
            self.env.pop(name, None)
        self.workers: list[subprocess.Popen] = []

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*CLI, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def worker(self) -> subprocess.Popen:
        log = (self.folder / f"worker-{len(self.workers)}.log").open("w")
        process = subprocess.Popen(
            [*CLI, "worker", "--interval", "0.05", "--recover-interval", "0.2"],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        return process

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.folder / "satudata.sqlite3", timeout=20) as db:
            return db.execute(sql).fetchall()

    def job(self) -> tuple[str, list[str], object]:
        [(status, worker_ids, value)] = self.query(
            "SELECT status, worker_ids, return_value FROM django_tasks_database_dbtaskresult"
        )
        return status, json.loads(worker_ids), json.loads(value) if value else None

    def log(self, number: int) -> str:
        return (self.folder / f"worker-{number}.log").read_text()

    def notifications(self) -> int:
        return self.query("SELECT count(*) FROM notifications_notification")[0][0]

    def wait_for(self, what, condition) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text() for p in self.folder.glob("worker-*.log"))
                pytest.fail(f"waited in vain for {what}; workers said:\n{logs}")
            time.sleep(0.02)


@pytest.fixture
def installation(tmp_path):
    place = Installation(tmp_path)
    place.run("migrate", "-v", "0")
    yield place
    for process in place.workers:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


SETUP = """
from satudata.accounts.models import User
from tests.core.worker_killed_tasks import notify_once
user = User.objects.create(username="penerima")
print(notify_once.enqueue(user.pk, "laporan-2025").id)
"""


def test_a_job_whose_worker_is_killed_twice_completes_once(installation):
    place = installation
    (place.control / "hold-before").touch()
    (place.control / "hold-after").touch()
    place.run("shell", "-c", SETUP)

    # 1. Killed before the side effect: the job stays RUNNING, nothing was sent.
    first = place.worker()
    place.wait_for("the job to start", lambda: (place.control / f"started-{first.pid}").exists())
    first.send_signal(signal.SIGKILL)
    first.wait()
    status, worker_ids, _ = place.job()
    assert status == "RUNNING" and len(worker_ids) == 1
    assert place.notifications() == 0

    # 2. The next worker queues it again when it starts and runs it: this time it is killed
    # after the side effect was committed, before the job could say it finished.
    (place.control / "hold-before").unlink()
    second = place.worker()
    place.wait_for("the side effect", lambda: (place.control / f"notified-{second.pid}").exists())
    third = place.worker()  # idle beside it: the job is RUNNING on a live worker
    # Once it logs its start it has looked for lost jobs: what it finds later, it finds running.
    place.wait_for("the third worker", lambda: "Starting worker" in place.log(2))
    second.send_signal(signal.SIGKILL)
    second.wait()
    assert place.notifications() == 1

    # 3. The running worker notices the dead one and runs the job again: it finds the
    # notification already there and finishes without sending a second one.
    (place.control / "hold-after").unlink()
    place.wait_for("the job to finish", lambda: place.job()[0] == "SUCCESSFUL")
    status, worker_ids, value = place.job()
    assert value == "already"
    assert place.notifications() == 1
    pids = [int(w.split(":")[-2]) for w in worker_ids]
    assert pids == [first.pid, second.pid, third.pid]


@pytest.mark.django_db
def test_a_job_of_a_worker_that_lost_its_database_is_queued_again_though_its_process_lives():
    mine = jobs.worker_id_new()  # this process, alive, but its db_worker run was cut off
    row = _running([mine])
    assert jobs.jobs_requeue_abandoned()["requeued"] == 0
    assert jobs.jobs_requeue_abandoned(lost=frozenset({mine})) == {"requeued": 1, "failed": 0}
    assert _status(row) == TaskResultStatus.READY
