"""Spreadsheet template and upload of values. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def values_template(request: HttpRequest, agency_pk: int, period: str, fmt: str) -> HttpResponse:
    return HttpResponse("template")


@login_required
def values_upload(request: HttpRequest) -> HttpResponse:
    return HttpResponse("upload")
