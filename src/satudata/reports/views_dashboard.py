"""Placeholder page, replaced by the full implementation."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.core.errors import NotAllowed


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.DASHBOARD_VIEW):
        raise NotAllowed("dashboard")
    return HttpResponse("")
