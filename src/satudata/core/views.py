"""Health check, home page, language switch."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from satudata.accounts.permissions import user_role
from satudata.accounts.roles import AGENCY_ROLES, Role
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import items_of_agency_for, items_visible_to
from satudata.schedule.selectors import accessibility_counts


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:  # the point is to report, not to raise
        db = {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
        status = 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": db,
            "elapsed_ms": round((time.perf_counter() - started) * 1000, 2),
        },
        status=status,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what is theirs to do."""
    user = request.user
    role = user_role(user)
    context: dict = {"user_role_label": Role(role).label if role else ""}
    if role in AGENCY_ROLES:
        own = items_of_agency_for(user)
        context["own_items"] = own.count()
        context["own_counts"] = accessibility_counts(own)
    else:
        visible = items_visible_to(user)
        context["all_items"] = visible.count()
        context["all_counts"] = accessibility_counts(visible)
    context["latest_items"] = (
        items_visible_to(user).select_related("agency", "decree").order_by("-updated_at")[:8]
        if DataItem.objects.exists()
        else []
    )
    return render(request, "core/home.html", context)
