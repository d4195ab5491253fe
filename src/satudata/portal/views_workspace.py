"""Walidata's publishing workspace (SOP step 3): list, publish a selection, withdraw.

Thin views: the reads are portal.selectors_workspace, the changes portal.services (which
check the role again, run atomically and write the audit rows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree
from satudata.catalog.selectors import decree_for_year
from satudata.core.errors import DomainError
from satudata.core.form_fields import MAX_ID
from satudata.portal import services
from satudata.portal.choices import DatasetState
from satudata.portal.forms_workspace import PublishForm, WithdrawForm, WorkspaceFilterForm
from satudata.portal.permissions import can_publish_datasets
from satudata.portal.rendering_workspace import rows_html
from satudata.portal.selectors_workspace import (
    WorkspaceFilters,
    WorkspaceState,
    dataset_has_future,
    dataset_history,
    dataset_releases,
    publishable_items,
    workspace_dataset,
    workspace_item_ids,
    workspace_row_state,
    workspace_rows,
)

# Rows per page: a whole regency list (thousands of items) stays a light page.
PAGE_SIZE = 200
# `?select=ready` ticks every open item with a complete period not yet released: the link
# from the step-1 and step-2 pages uses it.
SELECT_READY = "ready"


@dataclass
class Row:
    """One line of the list: the annotated item and what the page shows of its dataset."""

    item: DataItem
    state: str
    selectable: bool  # closed items never get a checkbox
    ready: bool  # open, with a complete period not yet released (and not withdrawn)
    checked: bool
    public: bool  # the public page exists now


def _require_publisher(request: HttpRequest) -> None:
    if not can_publish_datasets(request.user):
        raise PermissionDenied


def _decree() -> DataListDecree | None:
    """The data list in force this year (the newest decree of this year or before)."""
    return decree_for_year(timezone.localdate().year)


def _row(item: DataItem, now: dt.datetime, selected: set[int], select_ready: bool) -> Row:
    state = workspace_row_state(item, now)
    ready = (
        item.accessibility == Accessibility.OPEN
        and item.has_new
        and state != WorkspaceState.WITHDRAWN
    )
    return Row(
        item=item,
        state=state,
        selectable=item.accessibility != Accessibility.CLOSED,
        ready=ready,
        checked=item.pk in selected or (select_ready and ready),
        public=state == WorkspaceState.PUBLISHED and item.accessibility != Accessibility.CLOSED,
    )


def _list_context(params: QueryDict, *, selected: set[int], now: dt.datetime) -> dict[str, Any]:
    """The list page's context for these GET parameters (no rows when the filters are invalid)."""
    form = WorkspaceFilterForm(params)
    context: dict[str, Any] = {"form": form, "state_labels": dict(form.fields["state"].choices)}
    decree = _decree()
    context["decree"] = decree
    if not form.is_valid() or decree is None:
        return context
    data = form.cleaned_data
    filters = WorkspaceFilters(
        decree=decree, agency=data["agency"], accessibility=data["class"], state=data["state"]
    )
    ids = workspace_item_ids(filters, now)
    page = Paginator(ids, PAGE_SIZE).get_page(params.get("page"))
    select_ready = params.get("select") == SELECT_READY
    items = workspace_rows(list(page.object_list), now)
    rows = [_row(item, now, selected, select_ready) for item in items]
    keep = params.copy()
    keep.pop("page", None)
    context.update(
        page=page,
        rows=rows,
        rows_html=rows_html(rows),
        any_ready=any(r.ready for r in rows),
        query=keep.urlencode(),
        ready_query=_with(keep, select=SELECT_READY),
    )
    return context


def _with(params: QueryDict, **changes: str) -> str:
    merged = params.copy()
    for key, value in changes.items():
        merged[key] = value
    return merged.urlencode()


def _render_list(
    request: HttpRequest,
    params: QueryDict,
    *,
    publish_form: PublishForm,
    selected: set[int],
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    context = _list_context(params, selected=selected, now=now)
    context.update(publish_form=publish_form, now=now)
    if context["form"].errors:
        status = 400
    return render(request, "portal/workspace/dataset_list.html", context, status=status)


@login_required
@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    """The data list in force with each item's dataset state; select and publish."""
    _require_publisher(request)
    form = PublishForm(initial={"query": request.GET.urlencode()})
    return _render_list(request, request.GET, publish_form=form, selected=set())


def _posted_ids(request: HttpRequest) -> set[int]:
    return {
        int(v)
        for v in request.POST.getlist("items")
        if v.isdigit() and len(v) <= 19 and int(v) <= MAX_ID
    }


def _published_message(result: services.PublishResult) -> str:
    if not result.listed and not result.released:
        return _(
            "Nothing new to publish: the selected datasets are already public with every "
            "complete period."
        )
    text = _("%(datasets)s datasets published, %(periods)s periods released.") % {
        "datasets": len(result.datasets),
        "periods": result.released,
    }
    # Any time still ahead is an embargo (the service takes the later of it and now), however
    # near: a release in two minutes must say so as plainly as one next week.
    if result.release_at and result.release_at > timezone.now():
        local = timezone.localtime(result.release_at)
        text += " " + _("They become public on %(time)s (embargo).") % {
            "time": local.strftime("%d/%m/%Y %H:%M %Z")
        }
    return text


@login_required
@require_POST
def dataset_publish(request: HttpRequest) -> HttpResponse:
    """Publish the selected items (all or none), now or at the typed release time."""
    _require_publisher(request)
    form = PublishForm(request.POST)
    params = QueryDict(request.POST.get("query", ""))
    selected = _posted_ids(request)

    def refuse(message: str | None = None) -> HttpResponse:
        # The page comes back with the selection ticked and the time as typed.
        if message:
            form.add_error(None, message)
        return _render_list(request, params, publish_form=form, selected=selected, status=400)

    decree = _decree()
    if not form.is_valid() or decree is None:
        return refuse(None if decree else _("No data list decree has been registered yet."))
    ids = set(form.cleaned_data["items"])
    # An id beyond the database's integers is no item (and would overflow the query).
    in_range = all(0 < i <= MAX_ID for i in ids)
    items = list(publishable_items(decree, sorted(ids))) if in_range else []
    if len(items) != len(ids):
        return refuse(_("Some selected items are not on the data list in force: reload the page."))
    try:
        result = services.datasets_publish(
            actor=request.user, items=items, release_at=form.cleaned_data["release_at"]
        )
    except DomainError as exc:
        return refuse(exc.message)
    messages.success(request, _published_message(result))
    url = reverse("portal-datasets")
    return HttpResponseRedirect(f"{url}?{params.urlencode()}" if params else url)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A dataset's releases and history, and the confirmation of its withdrawal (with reason)."""
    _require_publisher(request)
    dataset = workspace_dataset(pk)
    if dataset is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.dataset_withdraw(
                    actor=request.user, dataset=dataset, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s is withdrawn from the portal.") % {"name": dataset.item.name},
                )
                return HttpResponseRedirect(
                    reverse("portal-datasets") + "?" + urlencode({"state": "withdrawn"})
                )
        status = 400
    now = timezone.now()
    withdrawn = dataset.state == DatasetState.WITHDRAWN
    context = {
        "dataset": dataset,
        "item": dataset.item,
        "form": form,
        "withdrawn": withdrawn,
        "scheduled": not withdrawn and dataset_has_future(dataset, now),
        "public": not withdrawn
        and dataset.listed_at <= now
        and dataset.item.accessibility != Accessibility.CLOSED,
        "releases": dataset_releases(dataset),
        "history": dataset_history(dataset),
        "now": now,
    }
    return render(request, "portal/workspace/dataset_withdraw.html", context, status=status)
