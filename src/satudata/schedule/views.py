"""SOP step 2: the data list grouped by accessibility (page, print, XLSX and CSV exports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from satudata.catalog.choices import Accessibility, Periodicity
from satudata.catalog.models import DataListDecree
from satudata.catalog.permissions import can_view_accessibility_list
from satudata.core.context_processors import site
from satudata.schedule.exports import (
    ExportHeading,
    export_csv,
    export_filename,
    export_xlsx,
)
from satudata.schedule.forms import Step2FilterForm
from satudata.schedule.rendering import list_rows_html
from satudata.schedule.selectors import (
    AGENCY_SORTS,
    CLASS_ORDER,
    Step2Filters,
    accessibility_counts,
    counts_by_agency,
    decree_resolve,
    decree_years,
    decrees_of_year,
    rows_by_class,
    step2_items,
)

EXPORT_FORMATS = {"xlsx", "csv"}


@dataclass
class Step2Query:
    """The step-2 request understood: its form, the decree it resolved to and its filters."""

    form: Step2FilterForm
    years: list[int]
    decrees: list[DataListDecree]
    filters: Step2Filters | None  # None: no decree yet, or the filters are invalid
    sort: str


def _parse(request: HttpRequest) -> Step2Query:
    """Validate the GET filters and settle the decree (the page and the exports share this)."""
    years = decree_years()
    form = Step2FilterForm(request.GET, years=years)
    sort = request.GET.get("sort", "agency")
    if sort.lstrip("-") not in AGENCY_SORTS:
        sort = "agency"
    if not form.is_valid():
        return Step2Query(form=form, years=years, decrees=[], filters=None, sort=sort)
    data = form.cleaned_data
    year = data["year"]
    if year is None:
        # A link naming only a decree (e.g. from the decree's page) takes that decree's year.
        year = data["decree"].year if data["decree"] else (years[0] if years else None)
    decrees = decrees_of_year(year) if year is not None else []
    decree = decree_resolve(year=year, decree=data["decree"], decrees=decrees)
    form.show_resolved(year=year, decree=decree)
    form.set_decree_options(decrees)
    filters = (
        Step2Filters(
            decree=decree,
            agency=data["agency"],
            topic=data["topic"],
            accessibility=data["accessibility"],
            periodicity=data["periodicity"],
            q=data["q"],
        )
        if decree is not None
        else None
    )
    return Step2Query(form=form, years=years, decrees=decrees, filters=filters, sort=sort)


def _filters_text(filters: Step2Filters) -> str:
    """The filters in words, for the print heading and the export's summary sheet."""
    parts = []
    if filters.agency is not None:
        parts.append(_("producer: %(v)s") % {"v": filters.agency.name})
    if filters.topic is not None:
        parts.append(_("topic: %(v)s") % {"v": filters.topic.name})
    if filters.accessibility:
        parts.append(_("class: %(v)s") % {"v": Accessibility(filters.accessibility).label})
    if filters.periodicity:
        parts.append(_("periodicity: %(v)s") % {"v": Periodicity(filters.periodicity).label})
    if filters.q:
        parts.append(_("search: “%(v)s”") % {"v": filters.q})
    return "; ".join(parts) if parts else _("none (the whole list)")


def _require_role(request: HttpRequest) -> None:
    if not can_view_accessibility_list(request.user):
        raise PermissionDenied


def _percent(part: int, total: int) -> float:
    return round(100 * part / total, 1) if total else 0.0


@login_required
@require_GET
def step2(request: HttpRequest) -> HttpResponse:
    """The data list by accessibility (Terbuka, Terbatas, Tertutup) of one decree, filtered."""
    _require_role(request)
    query = _parse(request)
    context: dict[str, Any] = {
        "form": query.form,
        "years": query.years,
        "several_decrees": len(query.decrees) > 1,
        "sort": query.sort,
        "printed_on": timezone.localdate(),
    }
    if query.filters is None:
        status = 400 if query.form.errors else 200
        return render(request, "schedule/step2.html", context, status=status)

    items = step2_items(user=request.user, filters=query.filters)
    counts = accessibility_counts(items)
    sections = rows_by_class(items)
    context.update(
        decree=query.filters.decree,
        filters_text=_filters_text(query.filters),
        counts=counts,
        percents={cls: _percent(counts[cls], counts["total"]) for cls in CLASS_ORDER},
        agency_rows=counts_by_agency(items, sort=query.sort),
        sort_links=_sort_links(query.sort),
        sections=[
            {
                "key": cls,
                "label": Accessibility(cls).label,
                "rows": sections[cls],
                "restricted": cls != Accessibility.OPEN,
                "html": list_rows_html(sections[cls], restricted=cls != Accessibility.OPEN),
            }
            for cls in CLASS_ORDER
        ],
        export_query=request.GET.urlencode(),
    )
    return render(request, "schedule/step2.html", context)


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the sort value its header link sets, and its aria-sort."""
    links = {}
    for key in AGENCY_SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "aria": "descending"}
        else:
            # Counts read best largest first; names A to Z.
            links[key] = {"next": key if key == "agency" else f"-{key}", "aria": "none"}
    return links


@login_required
@require_GET
def step2_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same list (same filters) as XLSX or CSV."""
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
    if query.filters is None:
        raise Http404(_("No data list decree has been registered yet."))
    items = step2_items(user=request.user, filters=query.filters)
    sections = rows_by_class(items)
    decree = query.filters.decree
    if fmt == "csv":
        body = export_csv(sections)
        content_type = "text/csv; charset=utf-8"
    else:
        heading = ExportHeading(
            # The same name every page shows (the context processor caches it).
            region_name=site(request)["region_name"],
            decree_number=decree.number,
            decree_title=decree.title,
            year=decree.year,
            filters=_filters_text(query.filters),
            made_on=timezone.localdate(),
        )
        body = export_xlsx(
            heading=heading,
            counts=accessibility_counts(items),
            agency_rows=counts_by_agency(items),
            rows_by_class=sections,
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(decree.year, fmt)}"'
    return response
