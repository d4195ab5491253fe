"""Settings part: security (applied at the end of settings.py).

OWASP ASVS level 2 is the yardstick: security headers on every answer (a Content-Security-Policy
that lets no inline or foreign script run), cookies that travel only over TLS when the site is
served over TLS, login throttling and lock-out (django-axes), a password policy and an idle
session expiry. `satudata check` (core/checks.py) refuses the settings that would undo these.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import environ
from csp.constants import NONE, SELF

SELF_ONLY = [SELF]

# Every source is this site; nothing is fetched from another host (no CDN, no font service).
# Scripts: files under /static only, no inline code and no eval. Vega would compile its
# expressions with `new Function`; the pages draw charts with vega-embed's `ast: true`, which
# evaluates them with the CSP-safe interpreter bundled in vega-embed instead.
# Styles: 'unsafe-inline' stays for style-src only. vega-embed and its tooltip inject a <style>
# element, and the progress bars set their width in a style attribute; CSS cannot run code, so
# this does not reopen script injection (script-src is what stops it).
CSP_DIRECTIVES: dict[str, list[str]] = {
    "default-src": SELF_ONLY,
    "script-src": SELF_ONLY,
    "style-src": [SELF, "'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "font-src": SELF_ONLY,
    "connect-src": SELF_ONLY,
    "manifest-src": SELF_ONLY,
    "frame-src": [NONE],
    "object-src": [NONE],
    "base-uri": SELF_ONLY,
    "form-action": SELF_ONLY,
    "frame-ancestors": [NONE],
}

# At least 10 characters, not one of the 20 000 most common passwords, not only digits, not
# like the user's own name or e-mail (ASVS 2.1).
PASSWORD_MIN_LENGTH = 10
PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def apply(s: dict[str, Any]) -> None:
    """Change the settings namespace `s` for this concern."""
    env = environ.Env()
    # SECURE_COOKIES=true says the site is served over TLS (directly or by the reverse proxy).
    tls = bool(s["SESSION_COOKIE_SECURE"])

    s["INSTALLED_APPS"] += ["csp", "axes"]
    middleware: list[str] = s["MIDDLEWARE"]
    # The policy is added to every answer, also to those of the middleware after it (413, 429).
    middleware.insert(
        middleware.index("django.middleware.security.SecurityMiddleware") + 1,
        "csp.middleware.CSPMiddleware",
    )
    # Last, as django-axes requires: it turns a locked-out login into the lock-out page.
    middleware.append("axes.middleware.AxesMiddleware")

    s["CONTENT_SECURITY_POLICY"] = {"DIRECTIVES": CSP_DIRECTIVES}

    # Headers of Django's SecurityMiddleware. HSTS is sent only on requests that came over TLS
    # (Django checks request.is_secure()), so the embedded http default never sends it.
    s["SECURE_HSTS_SECONDS"] = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if tls else 0)
    s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    s["SECURE_HSTS_PRELOAD"] = env.bool("SECURE_HSTS_PRELOAD", default=False)
    s["SECURE_SSL_REDIRECT"] = env.bool("SECURE_SSL_REDIRECT", default=False)
    s["SECURE_CONTENT_TYPE_NOSNIFF"] = True
    # Workspace addresses (/app/publications/12/edit/) never leave for another site.
    s["SECURE_REFERRER_POLICY"] = "same-origin"
    s["SECURE_CROSS_ORIGIN_OPENER_POLICY"] = "same-origin"
    s["X_FRAME_OPTIONS"] = "DENY"

    # Cookies: HttpOnly session, both cookies only over TLS when the site is served over it.
    # The CSRF cookie stays readable by script: the autosaving editors send it as X-CSRFToken
    # where the page holds no form token (Django: HttpOnly there adds no protection).
    s["SESSION_COOKIE_HTTPONLY"] = True
    s["SESSION_COOKIE_SECURE"] = tls
    s["CSRF_COOKIE_SECURE"] = tls
    s["SESSION_COOKIE_SAMESITE"] = "Lax"
    s["CSRF_COOKIE_SAMESITE"] = "Lax"
    # Idle expiry: a session unused for SESSION_IDLE_HOURS ends (ASVS 3.3.2: at most 12 h);
    # use pushes the expiry on (core.middleware.SessionRefreshMiddleware, at most once every
    # SESSION_REFRESH_SECONDS: not a session write on every page view), so a working day is
    # never interrupted.
    s["SESSION_COOKIE_AGE"] = int(
        timedelta(hours=env.float("SESSION_IDLE_HOURS", default=8)).total_seconds()
    )
    s["SESSION_SAVE_EVERY_REQUEST"] = False
    s["SESSION_REFRESH_SECONDS"] = env.int("SESSION_REFRESH_SECONDS", default=300)
    middleware.insert(
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "satudata.core.middleware.SessionRefreshMiddleware",
    )
    s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] = False

    s["AUTH_PASSWORD_VALIDATORS"] = PASSWORD_VALIDATORS

    # Login throttling (django-axes): LOGIN_FAILURE_LIMIT failures for one username from one
    # address lock that pair out for LOGIN_LOCKOUT_MINUTES. The attempts are rows in the
    # database, so every app server of a scale-out counts the same failures. An administrator
    # unlocks at once with `satudata axes_reset_username USERNAME`.
    s["AUTHENTICATION_BACKENDS"] = [
        "satudata.core.lockout.LockoutBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    s["AXES_ENABLED"] = env.bool("LOGIN_LOCKOUT", default=True)
    s["AXES_FAILURE_LIMIT"] = env.int("LOGIN_FAILURE_LIMIT", default=5)
    s["AXES_COOLOFF_TIME"] = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
    s["AXES_LOCKOUT_PARAMETERS"] = [["username", "ip_address"]]
    s["AXES_RESET_ON_SUCCESS"] = True
    s["AXES_HANDLER"] = "axes.handlers.database.AxesDatabaseHandler"
    # The same client address as the API's rate limits (X-Forwarded-For only BEHIND_PROXY).
    s["AXES_CLIENT_IP_CALLABLE"] = "satudata.core.clients.client_ip"
    s["AXES_LOCKOUT_CALLABLE"] = "satudata.core.lockout.lockout_response"
    s["AXES_VERBOSE"] = False
