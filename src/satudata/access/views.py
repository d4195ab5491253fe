"""Access requests for limited data: public form, review, time-limited download (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


request_create = _being_built

request_sent = _being_built

grant_download = _being_built

request_list = _being_built

request_detail = _being_built

request_decide = _being_built
