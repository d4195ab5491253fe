"""SOP step 1: the fill check. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def step1(request: HttpRequest) -> HttpResponse:
    return HttpResponse("step1")


@login_required
def step1_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("export")


@login_required
def step1_cells(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    return HttpResponse("cells")
