"""The release schedule pages: rules and period locks, one item's due dates, the calendar.

Walidata and administrators change the schedule (SCHEDULE_MANAGE); the roles of the fill
check read the rules; anyone who may see an item reads its due dates; the calendar shows the
items each user may see. Writes go through schedule.services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action
from satudata.catalog.choices import Periodicity
from satudata.catalog.models import DataItem
from satudata.catalog.permissions import can_view_item
from satudata.catalog.selectors import items_visible_to
from satudata.core.context_processors import site
from satudata.core.errors import DomainError
from satudata.schedule import services
from satudata.schedule.exports import PERIODICITY_ID
from satudata.schedule.exports_calendar import (
    CalendarHeading,
    calendar_csv,
    calendar_filename,
    calendar_ics,
    calendar_xlsx,
)
from satudata.schedule.forms import (
    CalendarFilterForm,
    DueRulesForm,
    ItemOverrideForm,
    PeriodDueDateForm,
    PeriodLockForm,
)
from satudata.schedule.models import DueOverride, PeriodLock
from satudata.schedule.periods import Period
from satudata.schedule.release_calendar import (
    CalendarFilters,
    by_month,
    calendar_rows,
    default_month,
    item_schedule_rows,
    rule_rows,
    status_counts,
)
from satudata.schedule.rendering_calendar import calendar_rows_html, item_schedule_url_pattern
from satudata.schedule.selectors import decree_years

# Past this many item-periods the calendar shows one month at a time (the exports hold all).
CALENDAR_PAGE_ROWS = 2000

EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "ics": "text/calendar; charset=utf-8",
}


def _may_manage(user: Any) -> bool:
    return can(user, Action.SCHEDULE_MANAGE)


def _forbid_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------- rules and locks


@login_required
@require_http_methods(["GET", "POST"])
def schedule_rules(request: HttpRequest) -> HttpResponse:
    """The due-date rule per periodicity (with an example) and the locked periods."""
    manage = _may_manage(request.user)
    _forbid_unless(manage or can(request.user, Action.FILL_CHECK_VIEW))
    rows = rule_rows()
    current = {row.periodicity: row.days for row in rows}
    rules_form = DueRulesForm(rules=current)
    lock_form = PeriodLockForm()
    if request.method == "POST":
        _forbid_unless(manage)
        action = request.POST.get("action")
        if action == "rules":
            rules_form = DueRulesForm(request.POST, rules=current)
            if rules_form.is_valid():
                changed = [
                    kind
                    for kind in Periodicity
                    if rules_form.cleaned_data[kind.value] != current[kind.value]
                ]
                for kind in changed:
                    services.due_rule_set(
                        actor=request.user,
                        periodicity=kind.value,
                        days_after_period_end=rules_form.cleaned_data[kind.value],
                    )
                if changed:
                    messages.success(request, _("The rules are saved; due dates follow them."))
                else:
                    messages.info(request, _("No rule changed."))
                return redirect("schedule-rules")
        elif action == "lock":
            lock_form = PeriodLockForm(request.POST)
            if lock_form.is_valid():
                try:
                    lock = services.period_lock(
                        actor=request.user,
                        period=lock_form.cleaned_data["period"],
                        reason=lock_form.cleaned_data["reason"],
                    )
                except DomainError as error:
                    lock_form.add_error("period", error.message)
                else:
                    messages.success(
                        request, _("Period %(period)s is locked.") % {"period": lock.period}
                    )
                    return redirect("schedule-rules")
        elif action == "unlock":
            pk = request.POST.get("lock", "")
            lock = get_object_or_404(PeriodLock, pk=int(pk) if pk.isdigit() else 0)
            services.period_unlock(actor=request.user, lock=lock)
            messages.success(
                request, _("Period %(period)s is open again.") % {"period": lock.period}
            )
            return redirect("schedule-rules")
        else:
            return HttpResponse(status=400)
    status = 400 if rules_form.errors or lock_form.errors else 200
    return render(
        request,
        "schedule/schedule_rules.html",
        {
            "rows": rows,
            "rules_form": rules_form,
            "lock_form": lock_form,
            "locks": PeriodLock.objects.select_related("locked_by").order_by("-period"),
            "can_manage": manage,
            "today": timezone.localdate(),
        },
        status=status,
    )


# ---------------------------------------------------------------- one item's due dates


def _year_param(request: HttpRequest, default: int) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 1900 <= int(value) <= 2999:
        return int(value)
    return default


@login_required
@require_http_methods(["GET", "POST"])
def item_schedule(request: HttpRequest, item_pk: int) -> HttpResponse:
    """An item's due dates for a year, with their source; overrides for walidata."""
    item = get_object_or_404(
        items_visible_to(request.user).select_related("agency", "decree"), pk=item_pk
    )
    if not can_view_item(request.user, item):
        raise Http404
    manage = _may_manage(request.user)
    year = _year_param(request, item.decree.year)
    periods = [p.key for p in Period.of_year(year, item.periodicity)]
    item_form = ItemOverrideForm()
    period_form = PeriodDueDateForm(periods=periods)
    if request.method == "POST":
        _forbid_unless(manage)
        action = request.POST.get("action")
        back = f"{reverse('item-schedule', args=[item.pk])}?year={year}"
        if action == "item":
            item_form = ItemOverrideForm(request.POST)
            if item_form.is_valid():
                services.due_override_set(
                    actor=request.user,
                    item=item,
                    days_after_period_end=item_form.cleaned_data["days_after_period_end"],
                    note=item_form.cleaned_data["note"],
                )
                messages.success(request, _("The item's own rule is saved."))
                return redirect(back)
        elif action == "period":
            period_form = PeriodDueDateForm(request.POST, periods=periods)
            if period_form.is_valid():
                data = period_form.cleaned_data
                services.due_override_set(
                    actor=request.user,
                    item=item,
                    period=data["period"],
                    due_date=data["due_date"],
                    note=data["note"],
                )
                messages.success(
                    request,
                    _("%(period)s is now due on %(date)s.")
                    % {"period": data["period"], "date": date_format(data["due_date"])},
                )
                return redirect(back)
        elif action == "remove":
            pk = request.POST.get("override", "")
            override = get_object_or_404(DueOverride, pk=int(pk) if pk.isdigit() else 0, item=item)
            services.due_override_remove(actor=request.user, override=override)
            messages.success(request, _("The override is removed: the rule applies again."))
            return redirect(back)
        else:
            return HttpResponse(status=400)
    rows, item_wide = item_schedule_rows(item, year)
    return render(
        request,
        "schedule/schedule_item.html",
        {
            "item": item,
            "year": year,
            "years": _item_years(item, year),
            "rows": rows,
            "item_wide": item_wide,
            "item_form": item_form,
            "period_form": period_form,
            "can_manage": manage,
        },
        status=400 if item_form.errors or period_form.errors else 200,
    )


def _item_years(item: DataItem, year: int) -> list[int]:
    """Years to offer: from the item's decree year to next year, and the one shown."""
    this_year = timezone.localdate().year
    years = set(range(item.decree.year, max(item.decree.year, this_year) + 2))
    years.add(year)
    return sorted(years)


# ---------------------------------------------------------------- the calendar


def _calendar_filters(request: HttpRequest) -> tuple[CalendarFilterForm, CalendarFilters | None]:
    """The calendar's GET filters; a producer sees his own agency until he chooses another."""
    data = request.GET.copy()
    agency_id = getattr(request.user, "agency_id", None)
    producer = user_role(request.user) in AGENCY_ROLES
    if "agency" not in data and producer and agency_id is not None:
        data["agency"] = str(agency_id)
    if not data.get("year"):
        data["year"] = str(timezone.localdate().year)
    form = CalendarFilterForm(data)
    if not form.is_valid():
        return form, None
    return form, CalendarFilters(
        year=form.cleaned_data["year"],
        agency=form.cleaned_data["agency"],
        periodicity=form.cleaned_data["periodicity"],
    )


def _filters_text(filters: CalendarFilters) -> str:
    parts = []
    if filters.agency is not None:
        parts.append(_("producer: %(v)s") % {"v": filters.agency.name})
    if filters.periodicity:
        parts.append(_("periodicity: %(v)s") % {"v": Periodicity(filters.periodicity).label})
    return "; ".join(parts) if parts else _("none (every producer)")


def _filters_text_id(filters: CalendarFilters) -> str:
    """The filters in the exports' fixed Indonesian."""
    parts = []
    if filters.agency is not None:
        parts.append(f"produsen data: {filters.agency.name}")
    if filters.periodicity:
        parts.append(f"periodisitas: {PERIODICITY_ID[filters.periodicity]}")
    return "; ".join(parts) if parts else "semua produsen data"


def _require_calendar_role(request: HttpRequest) -> None:
    _forbid_unless(can(request.user, Action.ITEM_VIEW))


@login_required
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """The release calendar of a year's periods: by month of due date, with fill status."""
    _require_calendar_role(request)
    form, filters = _calendar_filters(request)
    context: dict[str, Any] = {"form": form, "printed_on": timezone.localdate()}
    if filters is None:
        return render(request, "schedule/calendar.html", context, status=400)
    rows = calendar_rows(user=request.user, filters=filters)
    all_months = by_month(rows)
    selected = request.GET.get("month", "")
    if selected != "all" and selected not in {m.key for m in all_months}:
        # A whole regency's year is 15,000 item-periods: past a page's worth, open on a month.
        fallback = default_month(all_months, timezone.localdate())
        selected = "all" if len(rows) <= CALENDAR_PAGE_ROWS or fallback is None else fallback.key
    months = [
        {
            "first_day": month.first_day,
            "count": len(month.rows),
            "html": calendar_rows_html(month.rows, year=filters.year),
        }
        for month in all_months
        if selected in ("all", month.key)
    ]
    context.update(
        filters=filters,
        filters_text=_filters_text(filters),
        month_links=[
            {"key": m.key, "first_day": m.first_day, "count": len(m.rows)} for m in all_months
        ],
        selected_month=selected,
        months=months,
        total=len(rows),
        counts=status_counts(rows),
        export_query=form.data.urlencode(),
        years=sorted({*decree_years(), timezone.localdate().year}, reverse=True),
    )
    return render(request, "schedule/calendar.html", context)


@login_required
@require_GET
def calendar_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same calendar as XLSX, CSV or ICS (all-day events on the due dates)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _require_calendar_role(request)
    form, filters = _calendar_filters(request)
    if filters is None:
        return HttpResponse(
            _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = calendar_rows(user=request.user, filters=filters)
    heading = CalendarHeading(
        region_name=site(request)["region_name"],
        year=filters.year,
        filters=_filters_text_id(filters),
        made_at=timezone.now(),
    )
    if fmt == "csv":
        body = calendar_csv(rows)
    elif fmt == "xlsx":
        body = calendar_xlsx(heading=heading, rows=rows)
    else:
        body = calendar_ics(
            heading=heading,
            rows=rows,
            site_url=settings.SITE_URL,
            item_url=item_schedule_url_pattern() + f"?year={filters.year}",
        )
    response = HttpResponse(body, content_type=EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{calendar_filename(filters.year, fmt)}"'
    )
    return response
