"""Notifications and reminders. (Being built.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("notifications")


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    return HttpResponse("reminders")
