"""SOP step 1, the fill check: walidata's page, its exports and print, the drill-down."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from satudata.accounts.permissions import can, is_own_agency
from satudata.accounts.roles import Action
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.permissions import can_view_item
from satudata.core.context_processors import site
from satudata.schedule.choices import FillStatus
from satudata.schedule.exports_fill import FillHeading, export_csv, export_xlsx, fill_filename
from satudata.schedule.fill_check import (
    AGENCY_SORTS,
    DEFAULT_AGENCY_SORT,
    OVERDUE,
    FillFilters,
    cell_marks,
    counts_by_agency,
    fill_rows,
    fill_states_ensure,
    fill_states_for,
    fill_years,
    percents_of,
    rows_in_status,
    totals_of,
    with_status,
)
from satudata.schedule.forms_fill import Step1FilterForm
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.schedule.rendering_fill import days_text, fill_rows_html
from satudata.values.permissions import can_edit_values

EXPORT_FORMATS = {"xlsx", "csv"}
# Rows of the list shown on screen unless "all" is asked for: a whole year at regency scale is
# 5,000 to 8,000 item-periods (3 MB of HTML); overdue ones come first, and the exports and the
# "show all" page (for printing) hold every row.
LIST_LIMIT = 500


@dataclass
class Step1Query:
    """The step-1 request understood: its form, the year's decree and the filters."""

    form: Step1FilterForm
    today: dt.date
    decree: DataListDecree | None
    filters: FillFilters | None  # None: invalid filters or no decree
    sort: str


def _require_role(request: HttpRequest) -> None:
    if not can(request.user, Action.FILL_CHECK_VIEW):
        raise PermissionDenied


def _parse(request: HttpRequest) -> Step1Query:
    """Validate the GET filters and settle the year (the page and the exports share this)."""
    today = timezone.localdate()
    form = Step1FilterForm(request.GET, years=fill_years(today), today=today)
    sort = request.GET.get("sort", DEFAULT_AGENCY_SORT)
    if sort.lstrip("-") not in AGENCY_SORTS:
        sort = DEFAULT_AGENCY_SORT
    if not form.is_valid():
        return Step1Query(form=form, today=today, decree=None, filters=None, sort=sort)
    data = form.cleaned_data
    year = form.resolved_year()
    form.show_resolved(year=year)
    decree = fill_states_ensure(year)
    filters = FillFilters(
        year=year,
        period=data["period"],
        agency_id=data["agency"].pk if data["agency"] else None,
        topic_id=data["topic"].pk if data["topic"] else None,
        accessibility=data["accessibility"],
        status=data["status"],
    )
    return Step1Query(form=form, today=today, decree=decree, filters=filters, sort=sort)


def _scope_text(filters: FillFilters) -> str:
    if filters.period is None:
        return _("Year %(year)s") % {"year": filters.year}
    return _("Periods ending in %(period)s") % {"period": filters.period.key}


def _filters_text(form: Step1FilterForm) -> str:
    """The filters in words, for the print heading and the export's summary sheet."""
    data = form.cleaned_data
    parts = []
    if data["agency"] is not None:
        parts.append(_("producer: %(v)s") % {"v": data["agency"].name})
    if data["topic"] is not None:
        parts.append(_("topic: %(v)s") % {"v": data["topic"].name})
    if data["accessibility"]:
        parts.append(_("class: %(v)s") % {"v": Accessibility(data["accessibility"]).label})
    if data["status"]:
        label = _("overdue") if data["status"] == OVERDUE else FillStatus(data["status"]).label
        parts.append(_("status: %(v)s") % {"v": label})
    return "; ".join(parts) if parts else _("none (every producer and item)")


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the sort value its header link sets, and its aria-sort."""
    links = {}
    for key in AGENCY_SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            # Counts read best largest first; names A to Z; the share lowest first.
            first = key if key in ("agency", "percent") else f"-{key}"
            links[key] = {"next": first, "aria": "none"}
    return links


def _with_param(request: HttpRequest, key: str, value: Any) -> str:
    params = request.GET.copy()
    params[key] = str(value)
    return params.urlencode()


def _agency_links(request: HttpRequest, rows: list[Any]) -> list[tuple[Any, str]]:
    """Each agency row with the page narrowed to it: built here once, not by a template tag
    per row."""
    params = request.GET.copy()
    params.pop("agency", None)
    params.pop("all", None)
    base = params.urlencode()
    prefix = f"?{base}&agency=" if base else "?agency="
    return [(row, f"{prefix}{row.agency_id}") for row in rows]


@login_required
@require_GET
def step1(request: HttpRequest) -> HttpResponse:
    """The fill state of the year's (or a part's) scheduled data, by agency, overdue first."""
    _require_role(request)
    query = _parse(request)
    context: dict[str, Any] = {
        "form": query.form,
        "sort": query.sort,
        "printed_on": query.today,
    }
    if query.filters is None or query.decree is None:
        status = 400 if query.form.errors else 200
        return render(request, "schedule/step1.html", context, status=status)

    filters = query.filters
    states = fill_states_for(
        user=request.user, decree=query.decree, filters=filters, today=query.today
    )
    agency_rows = counts_by_agency(states, sort=query.sort)
    total = totals_of(agency_rows)
    show_all = request.GET.get("all") == "1"
    rows = fill_rows(
        with_status(states, filters.status),
        today=query.today,
        limit=None if show_all else LIST_LIMIT,
    )
    reminder_query = {"year": filters.year}
    if filters.period is not None:
        reminder_query["period"] = filters.period.key
    context.update(
        decree=query.decree,
        filters=filters,
        scope_text=_scope_text(filters),
        filters_text=_filters_text(query.form),
        total=total,
        percents=percents_of(total),
        agency_rows=agency_rows,
        sort_links=_sort_links(query.sort),
        rows=rows,
        rows_total=rows_in_status(total, filters.status),
        rows_html=fill_rows_html(rows),
        agency_rows_linked=_agency_links(request, agency_rows),
        all_query=_with_param(request, "all", "1"),
        export_query=request.GET.urlencode(),
        reminders_url=f"{reverse('reminders')}?{urlencode(reminder_query)}",
        can_remind=can(request.user, Action.REMINDER_SEND),
    )
    return render(request, "schedule/step1.html", context)


@login_required
@require_GET
def step1_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same fill check (same filters) as XLSX or CSV."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    _require_role(request)
    query = _parse(request)
    if query.form.errors:
        return HttpResponse(
            _("The filters are not valid: %(errors)s") % {"errors": query.form.errors.as_text()},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if query.filters is None or query.decree is None:
        raise Http404(_("No data list decree has been registered yet."))
    filters = query.filters
    states = fill_states_for(
        user=request.user, decree=query.decree, filters=filters, today=query.today
    )
    rows = fill_rows(with_status(states, filters.status), today=query.today)
    scope_key = filters.period.key if filters.period else str(filters.year)
    if fmt == "csv":
        body = export_csv(rows)
        content_type = "text/csv; charset=utf-8"
    else:
        agency_rows = counts_by_agency(states, sort=query.sort)
        heading = FillHeading(
            region_name=site(request)["region_name"],
            scope=(
                f"Periode yang berakhir dalam {filters.period.key}"
                if filters.period
                else f"Tahun {filters.year}"
            ),
            filters=_filters_text(query.form),
            made_on=query.today,
        )
        body = export_xlsx(
            heading=heading, agency_rows=agency_rows, total=totals_of(agency_rows), rows=rows
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{fill_filename(scope_key, fmt)}"'
    return response


@login_required
@require_GET
def step1_cells(request: HttpRequest, item_pk: int, period: str) -> HttpResponse:
    """One item-period's required cells, each marked filled or missing (never its values)."""
    item = get_object_or_404(DataItem.objects.select_related("agency", "decree"), pk=item_pk)
    user = request.user
    if not can_view_item(user, item):
        raise Http404
    if not (can(user, Action.FILL_CHECK_VIEW) or is_own_agency(user, item.agency_id)):
        raise PermissionDenied
    try:
        the_period = Period.parse(period, item.periodicity)
    except InvalidPeriod as exc:
        raise Http404 from exc
    marks = cell_marks(item=item, period=the_period, today=timezone.localdate())
    state = marks.state
    return render(
        request,
        "schedule/step1_cells.html",
        {
            "item": item,
            "period": the_period,
            "marks": marks,
            "state": state,
            "status_label": FillStatus(state["status"]).label if state else "",
            "days_text": days_text(state) if state else "",
            "can_edit": can_edit_values(user, item),
            "can_fill_check": can(user, Action.FILL_CHECK_VIEW),
        },
    )
