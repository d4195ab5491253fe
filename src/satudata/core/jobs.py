"""Background jobs: queue after commit, run by `satudata worker` (django-tasks, database queue).

Services never run slow or outside work (posting to a social network, building a report) in
the request: they record what must happen on a row of their own (the domain's job record, with
its state, error and attempts) and queue a task naming that row. The task reloads the row and
does the work once; a second run of the same task finds the row done and does nothing, so a
retried or twice-delivered job never repeats a side effect.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS

from satudata.core.repeating import Repeating


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (a rolled-back service queues nothing)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def run_ready_jobs(*, max_tasks: int | None = None) -> int:
    """Run every queued job in this process and return how many ran (tests, batch runs).

    The worker's own claim-and-run steps, without its loop's connection recycling, so a test can
    drain the queue inside its own transaction.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    ran = 0
    while max_tasks is None or ran < max_tasks:
        with exclusive_transaction(DBTaskResult.objects.db):
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                break
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


# --- Jobs left RUNNING by a worker that died ------------------------------------------------
#
# django-tasks-db marks a job RUNNING when a worker claims it and never looks at it again: a
# worker killed in the middle (SIGKILL, out of memory, a host lost) leaves the job RUNNING for
# ever. `satudata worker` names itself host:namespace:pid:random and, when it starts and every
# minute, puts such jobs back in the queue: at once when their worker was on this host and its
# process is gone, after JOBS_ABANDONED_AFTER_SECONDS when it was on another host (no process to
# look at there). A job run again must not repeat its side effect: each one keeps its own state on a
# domain row (see above), so the second run finishes what the first did not, or does nothing.

logger = logging.getLogger(__name__)

WORKER_LOST = "satudata.core.jobs.WorkerLost"


class WorkerLost(Exception):
    """The worker running a job stopped (killed or crashed) before the job finished."""


def _place() -> str:
    """This host and process namespace: two containers may share a host name, not pids."""
    host = socket.gethostname().replace(":", "-")[:32] or "host"
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{host}:{namespace}"


def worker_id_new() -> str:
    """A worker's id saying where it runs (host:namespace:pid:random, at most 64 characters)."""
    return f"{_place()}:{os.getpid()}:{get_random_string(8)}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # a killed child its parent has not reaped yet still answers kill(0): a zombie
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def worker_alive(worker_id: str) -> bool | None:
    """Whether a worker of this host is still running; None when it ran elsewhere (unknown)."""
    place = worker_id.rpartition(":")[0]  # without the random part
    place, _, pid_text = place.rpartition(":")
    if not pid_text.isdigit() or place != _place():
        return None
    return _process_alive(int(pid_text))


def jobs_requeue_abandoned(
    *, now: dt.datetime | None = None, lost: frozenset[str] = frozenset()
) -> dict[str, int]:
    """Queue again the RUNNING jobs whose worker is gone; fail those that lost too many.

    `lost` names worker ids known gone although their process lives on (a worker that lost its
    database mid-job and started over under a new id). Returns {"requeued": n, "failed": m}.
    Safe to run from many workers at once: a row changes only if it is still the same RUNNING
    claim it was when read.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale_after = dt.timedelta(seconds=getattr(settings, "JOBS_ABANDONED_AFTER_SECONDS", 3600))
    max_attempts = getattr(settings, "JOBS_MAX_ATTEMPTS", 3)
    outcome = {"requeued": 0, "failed": 0}
    running = DBTaskResult.objects.running().values_list("pk", "worker_ids", "started_at")
    for pk, worker_ids, started_at in list(running):
        last = worker_ids[-1] if worker_ids else ""
        alive = False if last in lost else worker_alive(last) if last else None
        if alive is None:
            alive = started_at is not None and now - started_at < stale_after
        if alive:
            continue
        same_claim = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING)
        same_claim = same_claim.filter(started_at=started_at)
        if len(worker_ids) >= max_attempts:
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=(
                    f"{WORKER_LOST}: the worker running this job stopped {len(worker_ids)} "
                    f"times before it finished (last: {last}); it is not run again by itself."
                ),
            )
            key = "failed"
        else:
            changed = same_claim.update(status=TaskResultStatus.READY)
            key = "requeued"
        if changed:
            outcome[key] += 1
            logger.warning("job %s of lost worker %s: %s", pk, last, key)
    return outcome


def database_wait(*, longest: float = 10.0) -> None:
    """Block until the database answers again, trying at growing intervals (worker outages)."""
    from django.db import Error as DatabaseError

    pause = 0.5
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except DatabaseError:
            time.sleep(pause)
            pause = min(pause * 2, longest)


# Each app's own repair of the rows a dead worker left half-done (e.g. a post left "posting"):
# callables taking `now` and returning how many rows they repaired, registered in AppConfig.ready.
RECOVERY_SWEEPS: list[Any] = []


def recovery_sweep_register(sweep: Any) -> None:
    if sweep not in RECOVERY_SWEEPS:
        RECOVERY_SWEEPS.append(sweep)


def jobs_recover(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Requeue abandoned jobs, then run every app's sweep; the counts of each."""
    now = now or timezone.now()
    outcome = jobs_requeue_abandoned(now=now)
    for sweep in RECOVERY_SWEEPS:
        outcome[sweep.__name__] = sweep(now=now)
    return outcome


class JobRecovery(Repeating):
    """A daemon thread of `satudata worker` requeueing abandoned jobs every few seconds."""

    name = "job-recovery"

    def __init__(self, interval: float | None = None) -> None:
        super().__init__(interval or getattr(settings, "JOBS_RECOVER_INTERVAL_SECONDS", 60))

    def tick(self) -> None:
        try:
            jobs_recover()
        finally:
            connection.close()  # this thread's own connection

    def failed(self) -> None:  # a database outage must not kill the worker: next round
        logger.exception("requeueing abandoned jobs failed")
