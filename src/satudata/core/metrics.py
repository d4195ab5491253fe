"""Prometheus metrics: requests and latencies, job outcomes, imports, and the queue's state.

Counters live in this process (or, when PROMETHEUS_MULTIPROC_DIR is set, in files shared by
all gunicorn workers and `satudata worker` processes of one host). The queue's depth and the
stored job outcomes are read from the database at scrape time, so they are the same whichever
host is scraped.

Labels stay few: a request is labelled by its route's name (never its raw path, which holds
ids and search words) and its status; a job by its task's path.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django_tasks_db.compat import task_finished, task_started
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from satudata.accounts.permissions import user_role
from satudata.accounts.roles import Role
from satudata.core import logging as request_logging

REQUESTS = Counter(
    "satudata_http_requests",
    "HTTP requests answered, by method, route name and status.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "satudata_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route name.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
JOBS = Counter(
    "satudata_jobs_finished",
    "Background jobs finished in this process, by task and outcome (successful, failed).",
    ["task", "outcome"],
)
JOB_DURATION = Histogram(
    "satudata_job_duration_seconds",
    "Time a background job ran, by task.",
    ["task"],
    buckets=(0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0),
)
IMPORTS = Counter(
    "satudata_imports",
    "Spreadsheet imports saved, by kind (values, data_list).",
    ["kind"],
)
IMPORT_ROWS = Counter(
    "satudata_import_rows",
    "Rows saved by imports, by kind (values: cells saved; data_list: rows read).",
    ["kind"],
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def multiprocess_mode() -> bool:
    """True when counters are shared through files (gunicorn with several workers)."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def route_label(request: HttpRequest) -> str:
    """The request's route name ("publications:detail"), never its raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


class MetricsMiddleware:
    """Counts every request and its latency by method, route name and status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        view = route_label(request)
        REQUESTS.labels(method=method, view=view, status=str(response.status_code)).inc()
        LATENCY.labels(method=method, view=view).observe(time.perf_counter() - started)
        return response


def import_counted(kind: str, *, rows: int) -> None:
    """An import saved `rows` rows: counted once its transaction commits.

    A rolled-back import (refused, or a dry run) counts nothing, because Django drops the
    callbacks of a transaction that does not commit.
    """

    def count() -> None:
        IMPORTS.labels(kind=kind).inc()
        IMPORT_ROWS.labels(kind=kind).inc(max(rows, 0))

    transaction.on_commit(count)


def _task_label(task_result: Any) -> str:
    try:
        return str(task_result.task.module_path)
    except Exception:  # a task whose code is gone still counts, under one label
        return "unknown"


def _job_started(sender: Any, task_result: Any, **kwargs: Any) -> None:
    # Log lines written while the job runs carry its task and id, as requests carry theirs.
    request_logging.bind_job(task=_task_label(task_result), job_id=str(task_result.id))


def _job_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    task = _task_label(task_result)
    JOBS.labels(task=task, outcome=str(task_result.status).lower()).inc()
    started, finished = task_result.started_at, task_result.finished_at
    if started and finished:
        JOB_DURATION.labels(task=task).observe(max((finished - started).total_seconds(), 0.0))
    request_logging.unbind_job()


task_started.connect(_job_started, dispatch_uid="satudata.core.metrics.job_started")
task_finished.connect(_job_finished, dispatch_uid="satudata.core.metrics.job_finished")


class QueueCollector(Collector):
    """The queue as the database holds it: jobs by state, the oldest wait, the worker's beat."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from satudata.core.health import job_state_counts, oldest_ready_seconds, worker_evidence

        states = GaugeMetricFamily(
            "satudata_jobs", "Background jobs stored, by state (all hosts).", labels=["state"]
        )
        for state, count in sorted(job_state_counts().items()):
            states.add_metric([state.lower()], count)
        yield states
        yield GaugeMetricFamily(
            "satudata_jobs_oldest_ready_seconds",
            "How long the oldest job ready to run has waited (0 when none waits).",
            value=oldest_ready_seconds() or 0.0,
        )
        beat = worker_evidence().get("heartbeat_seconds")
        if beat is not None:
            yield GaugeMetricFamily(
                "satudata_worker_heartbeat_age_seconds",
                "Seconds since a background worker last reported itself alive.",
                value=beat,
            )


class _ThisProcess(Collector):
    """The default registry's metrics, for the one-process (no multiprocess dir) mode."""

    def collect(self) -> Iterator[Any]:
        yield from REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    """A registry for one scrape: this host's counters plus the queue read from the database."""
    registry = CollectorRegistry()
    if multiprocess_mode():
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(QueueCollector())
    return registry


def may_read_metrics(request: HttpRequest) -> bool:
    """An administrator's session, or the configured token as `Authorization: Bearer ...`."""
    if user_role(getattr(request, "user", None)) == Role.ADMIN:
        return True
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not given.startswith("Bearer "):
        return False
    return hmac.compare_digest(given.removeprefix("Bearer ").strip().encode(), token.encode())


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format; 404 to anyone else, so the endpoint is not revealed."""
    if request.method not in ("GET", "HEAD") or not may_read_metrics(request):
        raise Http404
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
