"""The SOP and its dissemination cycles (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


sop_detail = _being_built
sop_revise = _being_built
cycle_list = _being_built
cycle_detail = _being_built
