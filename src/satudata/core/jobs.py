"""Background jobs: queue after commit, run by `satudata worker` (django-tasks, database queue).

Services never run slow or outside work (posting to a social network, building a report) in
the request: they record what must happen on a row of their own (the domain's job record, with
its state, error and attempts) and queue a task naming that row. The task reloads the row and
does the work once; a second run of the same task finds the row done and does nothing, so a
retried or twice-delivered job never repeats a side effect.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS


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
