"""Structured logs: one JSON object per line with the request's id; no secrets, no names."""

from __future__ import annotations

import io
import json
import logging

import pytest

from satudata.conf import observability
from satudata.core.jobs import run_ready_jobs
from satudata.core.logging import (
    JsonFormatter,
    PlainFormatter,
    RequestContextFilter,
    request_id_from,
    scrub,
)
from satudata.publications.tasks import send_post
from tests.factories import PASSWORD

pytestmark = pytest.mark.urls("tests.core.observability_urls")


@pytest.fixture
def lines():
    """The JSON lines the production handler writes while the test runs, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(old_level)


def _request_lines(read, path):
    return [
        line for line in read() if line["logger"] == "satudata.request" and line["path"] == path
    ]


def test_each_request_is_one_json_line_with_the_proxys_request_id(client, db, lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c1e7b")
    assert response["X-Request-ID"] == "nginx-4f2a9c1e7b"
    (line,) = _request_lines(lines, "/healthz")
    assert line["request_id"] == "nginx-4f2a9c1e7b"
    assert (line["level"], line["method"], line["status"]) == ("INFO", "GET", 200)
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert "user_id" not in line


@pytest.mark.parametrize(
    "incoming", ["", "short", "bad id with spaces", "x" * 200, "abc\ndef-ghijk", "<script>1234"]
)
def test_an_insane_incoming_request_id_is_replaced(client, db, incoming):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)
    given = response["X-Request-ID"]
    assert given != incoming and len(given) == 32 and int(given, 16) >= 0


def test_without_an_incoming_id_each_request_gets_its_own(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second and len(first) == 32


def test_lines_written_by_a_view_carry_the_request_id_and_no_secret(client, db, lines):
    response = client.get("/test-log-line/?token=abc-query-secret&q=Nama+Orang")
    request_id = response["X-Request-ID"]
    written = [line for line in lines() if line["logger"] == "satudata.tests.view"]
    assert [line["level"] for line in written] == ["WARNING", "ERROR"]
    assert all(line["request_id"] == request_id for line in written)
    assert all(line["path"] == "/test-log-line/" for line in written)
    assert "Traceback" in written[1]["exception"]
    text = "\n".join(json.dumps(line) for line in lines())
    for secret in ("hunter2", "abcdefghijkl", "s3cr3t-value", "abc-query-secret", "Nama"):
        assert secret not in text, secret


def test_a_signed_in_user_is_logged_by_id_only_and_the_password_never(client, operator, lines):
    response = client.post(
        "/app/account/login/", {"username": operator.username, "password": PASSWORD}
    )
    assert response.status_code in (200, 302)
    client.get("/healthz")
    (line,) = _request_lines(lines, "/healthz")
    assert line["user_id"] == operator.pk
    text = "\n".join(json.dumps(line) for line in lines())
    assert PASSWORD not in text
    assert operator.username not in text


def test_a_jobs_lines_carry_its_task_and_id(db, lines):
    result = send_post.enqueue(999_999)
    run_ready_jobs()
    tagged = [line for line in lines() if line.get("job_id") == str(result.id)]
    assert tagged and all(
        line["task"] == "satudata.publications.tasks.send_post" for line in tagged
    )


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("login failed password=rahasia123", "rahasia123"),
        ('{"app_password": "abcd EFGH", "user": "x"}', "abcd"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
        ("GET /x?access_token=EAAB123456&fields=id", "EAAB123456"),
        ("api_key: 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
    ],
)
def test_credentials_are_scrubbed_from_messages(text, hidden):
    assert hidden not in scrub(text)
    assert "***" in scrub(text)


def test_an_ordinary_message_is_left_alone():
    text = "Posted 3 of 5 posts to Facebook for publication 17"
    assert scrub(text) == text


def test_plain_lines_end_with_the_request_id():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.request_id = "req-12345678"
    assert PlainFormatter().format(record).endswith("INFO x hello [req-12345678]")


def _namespace(**values):
    return {
        "LOGGING": {
            "version": 1,
            "formatters": {},
            "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
            "loggers": {},
        },
        "MIDDLEWARE": ["django.middleware.security.SecurityMiddleware"],
        **values,
    }


@pytest.mark.parametrize(
    ("values", "env", "expected"),
    [
        ({"SECRET_KEY_FROM_ENV": True, "DEBUG": False}, {}, "json"),
        ({"SECRET_KEY_FROM_ENV": False, "DEBUG": False}, {}, "plain"),
        ({"SECRET_KEY_FROM_ENV": True, "DEBUG": True}, {}, "plain"),
        ({"SECRET_KEY_FROM_ENV": False}, {"LOG_FORMAT": "json"}, "json"),
        ({"SECRET_KEY_FROM_ENV": True}, {"LOG_FORMAT": "plain"}, "plain"),
        ({"SECRET_KEY_FROM_ENV": True}, {"LOG_FORMAT": "yaml"}, "json"),
    ],
)
def test_json_is_the_production_default_and_log_format_chooses(monkeypatch, values, env, expected):
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    namespace = _namespace(**values)
    observability.apply(namespace)
    assert namespace["LOG_FORMAT"] == expected
    assert namespace["LOGGING"]["handlers"]["console"]["formatter"] == expected
    assert namespace["LOGGING"]["handlers"]["console"]["filters"] == ["request"]
    # Outermost, so every answer is counted and carries its id; applied twice, still once.
    observability.apply(namespace)
    assert namespace["MIDDLEWARE"] == [
        "satudata.core.logging.RequestIdMiddleware",
        "satudata.core.metrics.MetricsMiddleware",
        "django.middleware.security.SecurityMiddleware",
    ]
    assert namespace["LOGGING"]["handlers"]["console"]["filters"] == ["request"]


def test_request_ids_from_a_proxy_are_kept_when_sane():
    assert request_id_from("0f3c2b1a9d8e7f6a5b4c3d2e1f0a9b8c") == "0f3c2b1a9d8e7f6a5b4c3d2e1f0a9b8c"
    assert request_id_from("550e8400-e29b-41d4-a716-446655440000").startswith("550e8400")
