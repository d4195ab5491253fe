"""Maps DomainError to an HTTP answer: JSON for API clients, a page for people."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from satudata.core.errors import DomainError


class DomainErrorMiddleware:
    """Turns a DomainError raised by a service into a 4xx with its message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {"error": exception.message, "errors": exception.errors}, status=exception.status
            )
        return render(
            request, "core/domain_error.html", {"error": exception}, status=exception.status
        )


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office PCs
    in Indonesia run an English Windows: the product must still open in Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class UploadLimitMiddleware:
    """Refuse a request body larger than MAX_UPLOAD_BYTES before Django reads it.

    Django streams large uploads to a temporary file before any form sees them; a 2 GB upload
    on a slow office line would fill the disk and then be refused anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Multipart framing adds a little to the file itself.
        if length > settings.MAX_UPLOAD_BYTES + 64 * 1024:
            limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            message = _("The upload is too large: at most %(mb)s MB is accepted.") % {
                "mb": limit_mb
            }
            if request.path.startswith("/api/"):
                return JsonResponse({"error": message}, status=413)
            return render(
                request, "core/domain_error.html", {"error": DomainError(message)}, status=413
            )
        return self.get_response(request)


class SessionRefreshMiddleware:
    """Push a signed-in session's idle expiry on, at most once every few minutes.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would write a row on
    every page view, which SQLite's single writer and the page budgets cannot afford; idle
    expiry at a granularity of SESSION_REFRESH_SECONDS is as good for an 8-hour limit.
    """

    KEY = "_refreshed"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(timezone.now().timestamp())
            every = getattr(settings, "SESSION_REFRESH_SECONDS", 300)
            if now - int(session.get(self.KEY, 0)) >= every:
                session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)
