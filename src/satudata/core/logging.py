"""Structured logs: one JSON object per line, each tied to the request that caused it.

Many hosts write logs that one collector reads; a line the collector can parse without rules,
and one request id that follows a request from the reverse proxy through every log line of
every host, are what let an administrator find "what happened to this user at 10:02".

Logs never hold passwords, tokens or personal data: the request's path is logged without its
query string (signed links and search terms live there), the user by id only, never by name or
address, and messages are scrubbed of anything that looks like a credential.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand us (nginx's $request_id is 32 hex digits; others use UUIDs). Anything
# else is replaced, so a client cannot write line breaks or megabytes into the logs.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

# The request a log line belongs to; threads and async tasks each see their own.
_request_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "satudata_request", default=None
)

# Fields a line may carry besides the standard ones: an allow-list, so that a careless
# `extra={...}` cannot leak a password into the logs.
EXTRA_FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "user_id",
    "task",
    "job_id",
)

_SECRETS = [
    (
        re.compile(
            r"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|"
            r"app[_-]?password|authorization|sessionid|csrftoken)(\s*[=:]\s*|\"\s*:\s*\")"
            r"(bearer\s+)?[^\s&\"',;]+"
        ),
        r"\1\2\3***",
    ),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"), "Bearer ***"),
]


def scrub(text: str) -> str:
    """The text with anything shaped like a credential replaced by ***."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it is sane, else a new one."""
    if header and _SANE_REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request this code runs for (None outside a request)."""
    context = _request_context.get()
    return context.get("request_id") if context else None


def bind_job(*, task: str, job_id: str) -> None:
    """Log lines written from now on in this thread belong to this background job."""
    _request_context.set({"task": task, "job_id": job_id})


def unbind_job() -> None:
    """The job is done: later lines belong to no job."""
    _request_context.set(None)


class RequestContextFilter(logging.Filter):
    """Stamps every record with the current request's id, method, path and user id."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _request_context.get()
        if context:
            for key, value in context.items():
                if not hasattr(record, key):
                    setattr(record, key, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for key in EXTRA_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        elif record.stack_info:
            line["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The embedded default's readable line, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = scrub(super().format(record))
        request_id = getattr(record, "request_id", None)
        return f"{text} [{request_id}]" if request_id else text


request_logger = logging.getLogger("satudata.request")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID or a new one) and logs it once done.

    The id is sent back in the response's X-Request-ID, so a user's error page and the
    administrator's log line can be matched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        context: dict[str, Any] = {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
        }
        token = _request_context.set(context)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                context["user_id"] = user.pk
            response[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            return response
        finally:
            _request_context.reset(token)
