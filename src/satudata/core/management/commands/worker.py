"""`satudata worker`: run background jobs from the database queue (one or many per host)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError

from satudata.core import jobs

logger = logging.getLogger("satudata.worker")


class Command(BaseCommand):
    help = "Run background jobs (posting to channels, reports) until stopped."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--recover-interval",
            type=float,
            default=None,
            help="Seconds between looks for jobs a dead worker left running (default 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Job outcomes are counted (and job log lines tagged) by the signal receivers there.
        from satudata.core import metrics  # noqa: F401
        from satudata.core.health import Heartbeat

        # host:namespace:pid:random, so that a dead worker's jobs can be told and queued again.
        worker_id = jobs.worker_id_new()
        # Jobs a killed worker left RUNNING are queued again, and the rows it left half-done
        # repaired: now, then every minute while running.
        jobs.jobs_recover()
        recovery = (
            None if options["batch"] else jobs.JobRecovery(options["recover_interval"]).start()
        )
        # django-tasks-db has no heartbeat: /healthz reads this one to know a worker is alive.
        heartbeat = None if options["batch"] else Heartbeat(worker_id).start()
        try:
            while True:
                try:
                    call_command(
                        "db_worker",
                        queue_name="*",
                        batch=options["batch"],
                        interval=options["interval"],
                        reload=False,
                        worker_id=worker_id,
                        verbosity=options["verbosity"],
                    )
                    return
                except (OperationalError, InterfaceError) as error:
                    # The database went away (restarted, failed over): django-tasks-db's loop
                    # stops on that. Wait for it, then start again under a new id; the job
                    # this run held (left RUNNING, its result unsaved) is queued again.
                    if options["batch"]:
                        raise
                    logger.warning("database unreachable, the worker waits for it: %s", error)
                    jobs.database_wait()
                    lost = frozenset({worker_id})
                    worker_id = jobs.worker_id_new()
                    jobs.jobs_requeue_abandoned(lost=lost)
                    if heartbeat is not None:
                        heartbeat.worker_id = worker_id
                    logger.warning("database back: the worker goes on as %s", worker_id)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
            if recovery is not None:
                recovery.stop()
