"""Health check, home page, language switch."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action, Role
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import items_of_agency_for, items_visible_to
from satudata.core.health import health_report
from satudata.publications.selectors import agency_steps_due, publications_waiting_for
from satudata.schedule.fill_check import (
    FillFilters,
    agency_due,
    counts_by_agency,
    fill_states_ensure,
    fill_states_for,
    percents_of,
    totals_of,
)
from satudata.schedule.selectors import accessibility_counts


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when every required part answers, 503 otherwise (core.health)."""
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what is theirs to do."""
    user = request.user
    role = user_role(user)
    context: dict = {"user_role_label": Role(role).label if role else ""}
    today = timezone.localdate()
    if role in AGENCY_ROLES:
        own = items_of_agency_for(user)
        context["own_items"] = own.count()
        context["own_counts"] = accessibility_counts(own)
        # What is due: this month, overdue, next; then the agency's fill summary. Last year's
        # schedule matters too: its annual data falls due in this year's first months.
        for year in (today.year - 1, today.year):
            fill_states_ensure(year)
        context["due"] = agency_due(agency_id=user.agency_id, today=today)
        # Publications (SOP steps 4-6): what waits for this person, and the agency's late steps.
        context["publications_waiting"] = list(
            publications_waiting_for(user).select_related("assignee")[:10]
        )
        context["publication_steps_due"] = agency_steps_due(user.agency_id)
    else:
        visible = items_visible_to(user)
        context["all_items"] = visible.count()
        context["all_counts"] = accessibility_counts(visible)
    if can(user, Action.FILL_CHECK_VIEW):
        context["fill"] = _year_fill(user, today.year)
    context["latest_items"] = (
        items_visible_to(user)
        .select_related("agency", "decree")
        # Only what the table shows: a row holds long BPS metadata texts.
        .only(
            "pk",
            "code",
            "name",
            "accessibility",
            "updated_at",
            "agency__short_name",
            "decree__year",
        )
        .order_by("-updated_at")[:8]
        if DataItem.objects.exists()
        else []
    )
    return render(request, "core/home.html", context)


def _year_fill(user: Any, year: int) -> dict[str, Any] | None:
    """The year's headline fill counts for the walidata's home (None without a decree)."""
    decree = fill_states_ensure(year)
    if decree is None:
        return None
    states = fill_states_for(user=user, decree=decree, filters=FillFilters(year=year))
    total = totals_of(counts_by_agency(states))
    return {"year": year, "total": total, "percents": percents_of(total)}
