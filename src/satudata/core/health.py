"""Health of the parts a host needs: database, cache, storage, the job queue and its worker.

A load balancer asks /healthz every few seconds and sends users only to hosts answering 200:
200 means every *required* part answered. Each part is reported with its state and how long
it took, so an administrator sees at once which part is slow or down.

The background worker (django-tasks-db) has no heartbeat of its own: `satudata worker` writes
one to the cache every WORKER_HEARTBEAT_SECONDS (shared by all hosts when the cache is Redis),
and a job started recently is proof of life too (read from the database, so it works with the
embedded mode's per-process cache). Whether a silent worker makes the host unhealthy is
HEALTH_WORKER_REQUIRED: "always", "never", or "auto" (the default): only when jobs have been
waiting longer than HEALTH_QUEUE_MAX_WAIT_SECONDS, i.e. when users would notice.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult, get_date_max

from satudata.core.repeating import Repeating

HEARTBEAT_KEY = "satudata:worker-heartbeat"
# Any name will do: asking whether it exists proves the storage answers (and, on S3, that the
# credentials are accepted) without writing a file on every probe.
STORAGE_PROBE = "healthz/probe"


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"status": "ok", **check()}
    except Exception as exc:  # the point is to report, not to raise
        # The class only: a message may hold a host name or a credential.
        result = {"status": "error", "error": exc.__class__.__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    key = f"satudata:healthz:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise LookupError("the cache did not keep a value")
    return {"backend": caches["default"].__class__.__name__}


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _storage() -> dict[str, Any]:
    default_storage.exists(STORAGE_PROBE)
    # A local folder answers "exists" even when nothing can be saved in it (or it is a file).
    if isinstance(default_storage, FileSystemStorage):
        base = _nearest_existing(Path(default_storage.location))
        if not (base.is_dir() and os.access(base, os.W_OK | os.X_OK)):
            raise PermissionError("the storage folder cannot be written")
    return {"backend": default_storage.__class__.__name__}


def job_state_counts() -> dict[str, int]:
    """How many stored jobs are in each state (READY, RUNNING, FAILED, SUCCESSFUL)."""
    rows = DBTaskResult.objects.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def oldest_ready_seconds() -> float | None:
    """How long the longest-waiting job that is due has waited (None when none waits)."""
    first = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if first is None:
        return None
    enqueued, run_after = first
    now = timezone.now()
    # A job queued for later waits from its due time, not from when it was queued.
    since = enqueued if run_after == get_date_max() else max(enqueued, min(run_after, now))
    return round(max((now - since).total_seconds(), 0.0), 1)


def _queue() -> dict[str, Any]:
    counts = job_state_counts()
    oldest = oldest_ready_seconds()
    return {
        "ready": counts.get("READY", 0),
        "running": counts.get("RUNNING", 0),
        "failed": counts.get("FAILED", 0),
        "oldest_ready_seconds": oldest,
        "stale": oldest is not None and oldest > settings.HEALTH_QUEUE_MAX_WAIT_SECONDS,
    }


def heartbeat_beat(worker_id: str) -> None:
    """Record that a worker is alive now (called by `satudata worker` every few seconds)."""
    cache.set(
        HEARTBEAT_KEY,
        {"at": time.time(), "worker_id": worker_id},
        timeout=max(int(settings.WORKER_HEARTBEAT_SECONDS * 4), 1),
    )


class Heartbeat(Repeating):
    """A daemon thread beating for one worker process until stopped."""

    name = "worker-heartbeat"

    def __init__(self, worker_id: str, interval: float | None = None) -> None:
        self.worker_id = worker_id
        super().__init__(interval or settings.WORKER_HEARTBEAT_SECONDS)

    def start(self) -> Heartbeat:
        heartbeat_beat(self.worker_id)  # at once: the worker is alive from its first second
        super().start()
        return self

    def tick(self) -> None:
        # A cache outage raises here and is tried again next round; healthz shows it.
        heartbeat_beat(self.worker_id)


def worker_evidence() -> dict[str, Any]:
    """Seconds since the last heartbeat and since the last job started (None when unknown)."""
    now = time.time()
    evidence: dict[str, Any] = {"heartbeat_seconds": None, "last_job_started_seconds": None}
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:  # the cache's own check reports the outage
        beat = None
    if isinstance(beat, dict) and isinstance(beat.get("at"), int | float):
        evidence["heartbeat_seconds"] = round(max(now - beat["at"], 0.0), 1)
    started = DBTaskResult.objects.order_by().aggregate(last=Max("started_at"))["last"]
    if started is not None:
        evidence["last_job_started_seconds"] = round(
            max((timezone.now() - started).total_seconds(), 0.0), 1
        )
    return evidence


def _worker(queue: dict[str, Any]) -> dict[str, Any]:
    evidence = worker_evidence()
    fresh = settings.WORKER_HEARTBEAT_SECONDS * 3
    alive = any(
        seconds is not None and seconds <= fresh
        for seconds in (evidence["heartbeat_seconds"], evidence["last_job_started_seconds"])
    )
    mode = settings.HEALTH_WORKER_REQUIRED
    required = mode == "always" or (mode == "auto" and bool(queue.get("stale")))
    status = "ok" if alive else ("error" if required else "unknown")
    return {"status": status, "required": required, **evidence}


def health_report() -> tuple[bool, dict[str, Any]]:
    """(healthy, report): healthy when every required part answered."""
    started = time.perf_counter()
    optional = set(settings.HEALTH_OPTIONAL)
    parts: dict[str, dict[str, Any]] = {
        "database": _timed(_database),
        "cache": _timed(_cache),
        "storage": _timed(_storage),
        "queue": _timed(_queue),
    }
    for name, part in parts.items():
        part["required"] = name not in optional
    if parts["queue"]["status"] == "ok":
        worker = _timed(lambda: _worker(parts["queue"]))
        worker.setdefault("required", settings.HEALTH_WORKER_REQUIRED == "always")
    else:  # without the queue nothing can be said of the worker; the queue's failure counts
        worker = {"status": "unknown", "required": False, "ms": 0.0}
    if "worker" in optional:
        worker["required"] = False
    parts["worker"] = worker
    healthy = all(part["status"] == "ok" for part in parts.values() if part["required"])
    report: dict[str, Any] = {
        "status": "ok" if healthy else "error",
        **parts,
        "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    return healthy, report
