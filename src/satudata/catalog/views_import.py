"""Upload of a decree's data list from a spreadsheet, and its template. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def data_list_import(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("import")


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("template")
