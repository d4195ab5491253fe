"""Production checks run by `satudata check` (Django's `check --deploy`).

Errors (satudata.E...) refuse: a server started with these settings would be unsafe, and
`satudata check` exits non-zero listing every one of them. Warnings (satudata.W...) are advice
printed beside them: the settings work, but are weaker or slower than they should be.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# django-csp's policy values that would let injected script run.
UNSAFE_SCRIPT_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")
# ASVS 3.3.2 (level 2): a session ends after at most 12 hours without use.
MAX_SESSION_SECONDS = 12 * 3600
MIN_PASSWORD_LENGTH = 10
# `satudata serve` runs WEB_WORKERS processes; SQLite has one writer for all of them.
SQLITE_MAX_WORKERS = 2


@register(Tags.security, deploy=True)
def production_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Every refusal and warning about production settings, in one list."""
    return [
        *_debug_and_secrets(),
        *_tls(),
        *_browser_policy(),
        *_logins_and_sessions(),
        *_runtime(),
    ]


def _debug_and_secrets() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.DEBUG:
        found.append(
            Error(
                "DEBUG is on: error pages would show code, settings and SQL to anyone.",
                hint="Unset DEBUG (or DEBUG=false).",
                id="satudata.E001",
            )
        )
    if not settings.SECRET_KEY_FROM_ENV or len(settings.SECRET_KEY) < 50:
        found.append(
            Error(
                "SECRET_KEY is not set in the environment (or is shorter than 50 characters).",
                hint="Set SECRET_KEY to one long random value shared by every host.",
                id="satudata.E002",
            )
        )
    if (
        not settings.ALLOWED_HOSTS_FROM_ENV
        or not settings.ALLOWED_HOSTS
        or "*" in settings.ALLOWED_HOSTS
    ):
        found.append(
            Error(
                "ALLOWED_HOSTS is not set to the site's host names.",
                hint="Set ALLOWED_HOSTS, e.g. ALLOWED_HOSTS=data.jemberkab.go.id",
                id="satudata.E003",
            )
        )
    if settings.CREDENTIALS_KEY == settings.SECRET_KEY:
        found.append(
            Warning(
                "CREDENTIALS_KEY is the SECRET_KEY: the channels' stored passwords and tokens "
                "are encrypted with the key that also signs sessions, and changing SECRET_KEY "
                "makes them unreadable.",
                hint="Set CREDENTIALS_KEY to its own long random value (then re-enter the "
                "channels' credentials once).",
                id="satudata.W001",
            )
        )
    return found


def _tls() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    site = urlsplit(settings.SITE_URL)
    if site.scheme == "https" and not (
        settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    ):
        found.append(
            Error(
                "SITE_URL is https but the session and CSRF cookies may travel over plain http.",
                hint="Set SECURE_COOKIES=true (it also turns HSTS on).",
                id="satudata.E004",
            )
        )
    if settings.SESSION_COOKIE_SECURE and not settings.SECURE_HSTS_SECONDS:
        found.append(
            Warning(
                "The site is served over TLS but sends no Strict-Transport-Security header.",
                hint="Unset SECURE_HSTS_SECONDS (one year by default) or give it a value.",
                id="satudata.W002",
            )
        )
    if site.scheme != "https" and site.hostname not in ("127.0.0.1", "localhost", "::1"):
        found.append(
            Warning(
                "SITE_URL is not https: passwords and sessions would cross the network "
                "unencrypted.",
                hint="Serve the site over TLS (reverse proxy), set SITE_URL=https://... and "
                "SECURE_COOKIES=true.",
                id="satudata.W003",
            )
        )
    return found


def _browser_policy() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES", {})
    scripts = directives.get("script-src") or directives.get("default-src") or []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or not scripts:
        found.append(
            Error(
                "No Content-Security-Policy is sent.",
                hint="Keep csp.middleware.CSPMiddleware and the policy of conf/security.py.",
                id="satudata.E005",
            )
        )
    elif unsafe := [source for source in scripts if source in UNSAFE_SCRIPT_SOURCES]:
        found.append(
            Error(
                f"The Content-Security-Policy lets injected script run ({', '.join(unsafe)}).",
                hint="script-src must list 'self' only.",
                id="satudata.E006",
            )
        )
    if settings.X_FRAME_OPTIONS != "DENY" or "frame-ancestors" not in directives:
        found.append(
            Error(
                "Pages may be framed by another site (clickjacking).",
                hint="Keep X_FRAME_OPTIONS=DENY and frame-ancestors 'none'.",
                id="satudata.E007",
            )
        )
    return found


def _logins_and_sessions() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if not getattr(settings, "AXES_ENABLED", False) or "axes.middleware.AxesMiddleware" not in (
        settings.MIDDLEWARE
    ):
        found.append(
            Error(
                "Login throttling is off: passwords could be guessed without limit.",
                hint="Unset LOGIN_LOCKOUT (django-axes stays on).",
                id="satudata.E008",
            )
        )
    if _min_password_length() < MIN_PASSWORD_LENGTH:
        found.append(
            Error(
                f"Passwords shorter than {MIN_PASSWORD_LENGTH} characters are accepted.",
                hint="Keep the password validators of conf/security.py.",
                id="satudata.E009",
            )
        )
    # The idle limit holds when use pushes the expiry on: on every request, or every few
    # minutes through SessionRefreshMiddleware.
    refreshed = settings.SESSION_SAVE_EVERY_REQUEST or (
        "satudata.core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    )
    if settings.SESSION_COOKIE_AGE > MAX_SESSION_SECONDS or (
        not refreshed and not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    ):
        found.append(
            Error(
                "Sessions may stay open for more than 12 hours without use.",
                hint="Set SESSION_IDLE_HOURS to 12 or less.",
                id="satudata.E010",
            )
        )
    if not settings.SESSION_COOKIE_HTTPONLY:
        found.append(
            Error(
                "The session cookie is readable by script.",
                hint="Keep SESSION_COOKIE_HTTPONLY on.",
                id="satudata.E011",
            )
        )
    return found


def _min_password_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith(".MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 0


def _runtime() -> list[CheckMessage]:
    found: list[CheckMessage] = []
    sqlite = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    try:
        workers = int(os.environ.get("WEB_WORKERS", SQLITE_MAX_WORKERS))
    except ValueError:
        workers = SQLITE_MAX_WORKERS
    if sqlite and workers > SQLITE_MAX_WORKERS:
        found.append(
            Warning(
                f"SQLite with {workers} web workers: every write waits for the one writer.",
                hint="Use PostgreSQL (DATABASE_URL) for more than "
                f"{SQLITE_MAX_WORKERS} workers or more than one host.",
                id="satudata.W004",
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        found.append(
            Warning(
                "E-mail is only printed to the console: password resets and reminders are "
                "never delivered.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@mail.jemberkab.go.id:587",
                id="satudata.W005",
            )
        )
    return found
