"""`satudata check` refuses insecure production settings with a clear list, and warns about
weaker ones. The settings are changed in-process (pytest-django's `settings`) and the checks
run as `satudata check` runs them; one end-to-end run goes through the real command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import Error, run_checks

from satudata.core.checks import production_settings

PRODUCTION = {
    "SECRET_KEY_FROM_ENV": True,
    "SECRET_KEY": "k" * 60,
    "ALLOWED_HOSTS_FROM_ENV": True,
    "ALLOWED_HOSTS": ["data.jemberkab.go.id"],
    "SITE_URL": "https://data.jemberkab.go.id",
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "CREDENTIALS_KEY": "c" * 60,
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "DEBUG": False,
}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return settings


def _ids() -> set[str]:
    return {message.id for message in production_settings(None)}


def test_sound_production_settings_pass_without_a_word(production):
    assert _ids() == set()


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"DEBUG": True}, "satudata.E001"),
        ({"SECRET_KEY_FROM_ENV": False}, "satudata.E002"),
        ({"SECRET_KEY": "short"}, "satudata.E002"),
        ({"ALLOWED_HOSTS": ["*"]}, "satudata.E003"),
        ({"SESSION_COOKIE_SECURE": False}, "satudata.E004"),
        ({"CSRF_COOKIE_SECURE": False}, "satudata.E004"),
        ({"CONTENT_SECURITY_POLICY": None}, "satudata.E005"),
        ({"X_FRAME_OPTIONS": "SAMEORIGIN"}, "satudata.E007"),
        ({"AXES_ENABLED": False}, "satudata.E008"),
        ({"SESSION_COOKIE_AGE": 30 * 24 * 3600}, "satudata.E010"),
        (
            {
                "MIDDLEWARE": [
                    m
                    for m in settings.MIDDLEWARE
                    if m != "satudata.core.middleware.SessionRefreshMiddleware"
                ]
            },
            "satudata.E010",
        ),
        ({"SESSION_COOKIE_HTTPONLY": False}, "satudata.E011"),
    ],
)
def test_an_insecure_setting_is_refused(production, change, refusal):
    for name, value in change.items():
        setattr(production, name, value)
    messages = production_settings(None)
    assert refusal in {m.id for m in messages}
    refused = next(m for m in messages if m.id == refusal)
    assert isinstance(refused, Error) and refused.msg and refused.hint


@pytest.mark.parametrize("source", ["'unsafe-inline'", "'unsafe-eval'", "https:"])
def test_a_policy_that_lets_injected_script_run_is_refused(production, source):
    policy = production.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "script-src": ["'self'", source]}
    production.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    assert "satudata.E006" in _ids()


def test_a_short_password_minimum_is_refused(production):
    production.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 8},
        }
    ]
    assert "satudata.E009" in _ids()


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        ({"CREDENTIALS_KEY": "k" * 60}, "satudata.W001"),
        ({"SECURE_HSTS_SECONDS": 0}, "satudata.W002"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "satudata.W005"),
    ],
)
def test_a_weaker_setting_is_a_warning_not_a_refusal(production, change, warning):
    for name, value in change.items():
        setattr(production, name, value)
    messages = production_settings(None)
    assert {m.id for m in messages} == {warning}
    assert not any(m.is_serious() for m in messages)


def test_plain_http_on_a_public_host_is_a_warning(production):
    production.SITE_URL = "http://data.jemberkab.go.id"
    production.SESSION_COOKIE_SECURE = production.CSRF_COOKIE_SECURE = False
    production.SECURE_HSTS_SECONDS = 0
    assert _ids() == {"satudata.W003"}


def test_sqlite_under_many_workers_is_a_warning(production, monkeypatch):
    monkeypatch.setenv("WEB_WORKERS", "8")
    sqlite = production.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    assert ("satudata.W004" in _ids()) == sqlite


def test_the_checks_run_only_with_deploy(production):
    production.DEBUG = True
    assert "satudata.E001" not in {m.id for m in run_checks(include_deployment_checks=False)}
    assert "satudata.E001" in {m.id for m in run_checks(include_deployment_checks=True)}


def _satudata(*args: str, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    return subprocess.run(
        [sys.executable, "-m", "satudata", *args],
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_satudata_check_deploy_lists_every_refusal_at_once(tmp_path):
    result = _satudata(
        "check",
        "--deploy",
        DATA_DIR=str(tmp_path),
        DEBUG="true",
        SITE_URL="https://data.jemberkab.go.id",
        LOGIN_LOCKOUT="false",
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    for refusal in ("E001", "E002", "E003", "E004", "E008"):
        assert f"satudata.{refusal}" in out
    assert "DEBUG is on" in out and "Login throttling is off" in out
