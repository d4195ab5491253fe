"""SOP step 2: the data list grouped by accessibility. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def step2(request: HttpRequest) -> HttpResponse:
    return HttpResponse("step2")


@login_required
def step2_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("export")
