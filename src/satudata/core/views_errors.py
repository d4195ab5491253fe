"""The answer to an unexpected error: 503 while the database is unreachable, else 500.

These run while something is broken, so they touch neither the database nor the session
(the page is a self-contained template, both languages on it) and say no more than the user
needs: never the exception, a query or a path.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

# How long a client should wait before trying again (a database restart takes seconds).
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "Basis data sedang tidak dapat dihubungi. Tidak ada yang tersimpan dari permintaan ini: "
    "coba lagi sebentar lagi. / The database cannot be reached right now. Nothing from this "
    "request was saved: try again in a moment."
)
FAILED = (
    "Terjadi kesalahan di server; coba lagi sebentar lagi. / Server error; please try again "
    "in a moment."
)


def _database_down(error: BaseException | None) -> bool:
    # OperationalError: the server went away, is restarting or refused us (SQLite: locked);
    # InterfaceError: a connection already closed under us. Other errors (a constraint, bad
    # SQL) are bugs: a 500.
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: called inside the `except` block, so sys.exc_info() is the error."""
    down = _database_down(sys.exc_info()[1])
    status = 503 if down else 500
    message = UNAVAILABLE if down else FAILED
    if request.path.startswith("/api/3/"):
        kind = "Service Unavailable" if down else "Internal Server Error"
        response: HttpResponse = JsonResponse(
            {"success": False, "error": {"__type": kind, "message": message}}, status=status
        )
    elif request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=status)
    else:
        template = "503.html" if down else "500.html"
        response = HttpResponse(loader.get_template(template).render(), status=status)
    if down:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
