"""The SOP (current revision and history, revise) and the dissemination cycles, under /app/.

Views are thin: they check the role, parse a form, call a service or a selector and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satudata.accounts.models import Agency
from satudata.core.errors import DomainError
from satudata.sop import permissions, selectors, services
from satudata.sop.forms import (
    CycleStartForm,
    SopHeaderForm,
    StepFinishForm,
    StepFormSet,
    step_initial,
)
from satudata.sop.models import Cycle, StepRun

# Where walidata's step outputs live in this system, offered as the output link: the page's URL
# name and whether it filters by year and period (step 1) or by year only (step 2).
OUTPUT_PAGES = {1: ("step1", True), 2: ("step2", False), 3: ("portal-datasets", None)}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def sop_detail(request: HttpRequest) -> HttpResponse:
    """The SOP in force as the printed form shows it; `?revision=N` shows an older one."""
    _require(permissions.may_view_sop(request.user))
    wanted = request.GET.get("revision", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        sop = selectors.sop_revision(int(wanted))
        if sop is None:
            raise Http404
    else:
        sop = selectors.current_sop()
    return render(
        request,
        "sop/sop_detail.html",
        {
            "sop": sop,
            "steps": list(sop.steps.all()) if sop else [],
            "revisions": selectors.sop_revisions(),
            "may_manage": permissions.may_manage_sop(request.user),
        },
    )


@login_required
def sop_revise(request: HttpRequest) -> HttpResponse:
    """A new revision of the SOP from the current one (administrators)."""
    _require(permissions.may_manage_sop(request.user))
    sop = selectors.current_sop()
    if sop is None:
        messages.error(request, _("No SOP is loaded yet: load one first (satudata load-sop)."))
        return redirect("sop-detail")
    if request.method == "POST":
        form = SopHeaderForm(request.POST)
        formset = StepFormSet(request.POST, prefix="steps")
        if form.is_valid() and formset.is_valid():
            try:
                new = services.sop_revise(
                    actor=request.user, sop=sop, steps=formset.steps(), **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, [error.message, *error.errors])
            else:
                messages.success(
                    request,
                    _("Revision %(revision)s is now in force.") % {"revision": new.revision},
                )
                return redirect("sop-detail")
    else:
        form = SopHeaderForm(initial=SopHeaderForm.initial_from(sop))
        formset = StepFormSet(initial=step_initial(sop), prefix="steps")
    return render(request, "sop/sop_revise.html", {"sop": sop, "form": form, "formset": formset})


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Every cycle with its progress and late runs; walidata starts a cycle here."""
    _require(permissions.may_view_cycles(request.user))
    may_manage = permissions.may_manage_cycles(request.user)
    today = timezone.localdate()
    form = CycleStartForm(initial={"year": today.year, "month": today.month})
    if request.method == "POST":
        _require(may_manage)
        form = CycleStartForm(request.POST)
        if form.is_valid():
            try:
                cycle = services.cycle_start(actor=request.user, period=form.cleaned_data["period"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The cycle for %(period)s was started.") % {"period": cycle.period}
                )
                return redirect("cycle-detail", pk=cycle.pk)
    return render(
        request,
        "sop/cycle_list.html",
        {
            "rows": selectors.cycle_rows(timezone.now()),
            "form": form,
            "may_manage": may_manage,
            "sop": selectors.current_sop(),
        },
    )


def _output_page(number: int, cycle: Cycle) -> str:
    """The page of this system that shows a walidata step's output for the cycle's period."""
    if number not in OUTPUT_PAGES:
        return ""
    name, with_period = OUTPUT_PAGES[number]
    try:
        url = reverse(name)
    except NoReverseMatch:  # the page's app is not installed in this deployment
        return ""
    period = cycle.period_value
    if period is None or with_period is None:
        return url
    query = {"year": period.year} | ({"period": period.key} if with_period else {})
    return f"{url}?{urlencode(query)}"


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's steps as a timeline: standard against actual time, late steps flagged."""
    _require(permissions.may_view_cycles(request.user))
    cycle = get_object_or_404(Cycle.objects.select_related("sop", "started_by"), pk=pk)
    now = timezone.now()
    lines = selectors.cycle_timeline(cycle, now)
    may_manage = permissions.may_manage_cycles(request.user) and not cycle.is_closed
    for line in lines:
        # Walidata's buttons: only for steps he performs himself (producers record 4-6).
        line.may_record = may_manage and not line.step.per_agency  # type: ignore[attr-defined]
        line.finish_form = StepFinishForm(  # type: ignore[attr-defined]
            prefix=f"step{line.step.number}",
            initial={
                "output_label": line.step.output,
                "output_url": _output_page(line.step.number, cycle),
            },
        )
    return render(
        request,
        "sop/cycle_detail.html",
        {
            "cycle": cycle,
            "lines": lines,
            "may_manage": may_manage,
            "now": now,
            "late_total": sum(line.late_count for line in lines),
        },
    )


def _run_domain_action(request: HttpRequest, cycle: Cycle, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("cycle-detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_step_start(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Walidata starts one of his steps (or, on a producer's behalf, one agency's)."""
    _require(permissions.may_manage_cycles(request.user))
    cycle = get_object_or_404(Cycle, pk=pk)
    agency_pk = request.POST.get("agency", "")
    agency = get_object_or_404(Agency, pk=agency_pk) if agency_pk.isdigit() else None
    return _run_domain_action(
        request,
        cycle,
        lambda: services.step_start(
            actor=request.user,
            cycle=cycle,
            number=number,
            agency=agency,
            reference=request.POST.get("reference", ""),
        ),
        _("Step %(number)s was started.") % {"number": number},
    )


@login_required
@require_POST
def cycle_run_finish(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """Record the end of a running step with its output link."""
    _require(permissions.may_manage_cycles(request.user))
    run = get_object_or_404(StepRun.objects.select_related("step", "cycle"), pk=run_pk, cycle_id=pk)
    form = StepFinishForm(request.POST, prefix=f"step{run.step.number}")
    if not form.is_valid():
        messages.error(request, _("The output could not be read: check the fields."))
        return redirect("cycle-detail", pk=pk)
    return _run_domain_action(
        request,
        run.cycle,
        lambda: services.step_finish(actor=request.user, run=run, **form.cleaned_data),
        _("Step %(number)s was finished.") % {"number": run.step.number},
    )


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close the cycle once its report step is done."""
    _require(permissions.may_manage_cycles(request.user))
    cycle = get_object_or_404(Cycle, pk=pk)
    return _run_domain_action(
        request,
        cycle,
        lambda: services.cycle_close(actor=request.user, cycle=cycle),
        _("The cycle was closed."),
    )
