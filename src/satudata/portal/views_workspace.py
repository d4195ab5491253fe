"""Walidata's publishing workspace (SOP step 3) (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


dataset_list = _being_built

dataset_publish = _being_built

dataset_withdraw = _being_built
