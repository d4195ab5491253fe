"""Settings part: observability (applied at the end of settings.py).

- Logs: LOG_FORMAT=json (one JSON object per line, the production default) or plain (the
  embedded default); every line of a request carries its X-Request-ID.
- Metrics: /metrics in the Prometheus format for administrators or `Authorization: Bearer
  METRICS_TOKEN`; with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR to an empty
  folder (prometheus-client reads it from the environment itself).
- Health: /healthz; see satudata.core.health for the worker settings.
"""

from __future__ import annotations

from typing import Any

import environ

WORKER_REQUIRED_MODES = ("auto", "always", "never")


def apply(s: dict[str, Any]) -> None:
    """Change the settings namespace `s` for this concern."""
    env = environ.Env()
    # Jobs a dead worker left running (core.jobs): when another host's claim counts as lost,
    # how many lost runs fail a job for good, and how often a worker looks.
    s["JOBS_ABANDONED_AFTER_SECONDS"] = env.int("JOBS_ABANDONED_AFTER_SECONDS", default=3600)
    s["JOBS_MAX_ATTEMPTS"] = env.int("JOBS_MAX_ATTEMPTS", default=3)
    s["JOBS_RECOVER_INTERVAL_SECONDS"] = env.float("JOBS_RECOVER_INTERVAL_SECONDS", default=60)
    # Production (SECRET_KEY from the environment, no DEBUG) feeds a log collector.
    production = s.get("SECRET_KEY_FROM_ENV", False) and not s.get("DEBUG", False)
    log_format = env.str("LOG_FORMAT", default="json" if production else "plain").lower()
    s["LOG_FORMAT"] = log_format if log_format in ("json", "plain") else "json"

    logging = s["LOGGING"]
    logging.setdefault("formatters", {}).update(
        {
            "json": {"()": "satudata.core.logging.JsonFormatter"},
            "plain": {"()": "satudata.core.logging.PlainFormatter"},
        }
    )
    logging.setdefault("filters", {})["request"] = {
        "()": "satudata.core.logging.RequestContextFilter"
    }
    console = logging.setdefault("handlers", {}).setdefault(
        "console", {"class": "logging.StreamHandler"}
    )
    console["formatter"] = s["LOG_FORMAT"]
    console.setdefault("filters", [])
    if "request" not in console["filters"]:
        console["filters"].append("request")
    # Django logs each 4xx itself; our request line (satudata.request, INFO) already says it,
    # with its id. Errors (5xx) keep Django's line with the traceback.
    logging.setdefault("loggers", {}).setdefault("django.request", {"level": "ERROR"})

    middleware: list[str] = s["MIDDLEWARE"]
    for name in (
        "satudata.core.metrics.MetricsMiddleware",
        "satudata.core.logging.RequestIdMiddleware",
    ):
        if name not in middleware:
            # Outermost, so they see every answer, static files and redirects included.
            middleware.insert(0, name)

    s["METRICS_TOKEN"] = env.str("METRICS_TOKEN", default="")

    # A load balancer probes each host over plain HTTP on the private network: /healthz must
    # answer there rather than redirect to https (SECURE_SSL_REDIRECT).
    exempt = list(s.get("SECURE_REDIRECT_EXEMPT", []))
    if r"^healthz$" not in exempt:
        exempt.append(r"^healthz$")
    s["SECURE_REDIRECT_EXEMPT"] = exempt

    mode = env.str("HEALTH_WORKER_REQUIRED", default="auto").lower()
    s["HEALTH_WORKER_REQUIRED"] = mode if mode in WORKER_REQUIRED_MODES else "auto"
    s["HEALTH_QUEUE_MAX_WAIT_SECONDS"] = env.float("HEALTH_QUEUE_MAX_WAIT_SECONDS", default=300.0)
    s["WORKER_HEARTBEAT_SECONDS"] = env.float("WORKER_HEARTBEAT_SECONDS", default=15.0)
    # Parts reported but not required for a 200 (database, cache, storage, queue, worker).
    s["HEALTH_OPTIONAL"] = env.list("HEALTH_OPTIONAL", default=[])
