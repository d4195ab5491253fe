"""The release schedule pages. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def schedule_rules(request: HttpRequest) -> HttpResponse:
    return HttpResponse("rules")


@login_required
def item_schedule(request: HttpRequest, item_pk: int) -> HttpResponse:
    return HttpResponse("item")


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    return HttpResponse("calendar")


@login_required
def calendar_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("export")
