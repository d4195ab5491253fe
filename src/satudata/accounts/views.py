"""Agencies and users pages. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("agencies")


user_list = agency_create = agency_edit = user_create = user_edit = agency_list
