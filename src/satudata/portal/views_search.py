"""The public search page (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


search = _being_built
