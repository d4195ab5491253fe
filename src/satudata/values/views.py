"""Entering values in a grid. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def value_home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("values")


@login_required
def value_grid(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    return HttpResponse("grid")


@login_required
def value_history(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    return HttpResponse("history")
