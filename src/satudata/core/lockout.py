"""Login lock-out (django-axes): the backend that refuses a locked-out username and address.

Settings in conf/security.py; `satudata axes_reset_username USERNAME` unlocks at once.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a login over HTTP while its username and client address are locked out.

    django-axes counts failures per request (the client's address). An authentication without a
    request never comes from a visitor: the test client's `login()` or a management command on
    the server itself. Axes would raise for it; it is let through to the password check instead.
    """

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The lock-out page (429) in the user's language: why, for how long, what to do."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        message = gettext("Too many failed log-ins: logging in is locked for now.")
        return JsonResponse({"error": message, **context}, status=429)
    return render(request, "registration/lockout.html", context, status=429)
