"""Workspace pages of SOP steps 4-5: the list, the instruction, a publication, its review.

Thin: each view checks who may see the page, parses a form, calls a service or a selector and
renders. A publication of another agency answers 403 to a producer on every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satudata.accounts.permissions import user_role
from satudata.accounts.roles import AGENCY_ROLES
from satudata.core.errors import DomainError, NotAllowed
from satudata.publications import selectors, services
from satudata.publications.choices import PublicationState
from satudata.publications.diff import version_diff
from satudata.publications.forms import CancelForm, InstructionForm, ListFilterForm, ReviewForm
from satudata.publications.models import Publication
from satudata.publications.permissions import (
    may_draft,
    may_instruct,
    may_publish,
    may_review,
    may_view_publication,
    may_view_publications,
)
from satudata.publications.selectors_blocks import render_blocks
from satudata.publications.timing import due_at, standard
from satudata.sop.durations import standard_text

# States in which the posts (step 6) exist and are shown.
POSTED_STATES = frozenset({PublicationState.APPROVED, PublicationState.PUBLISHED})


def _visible(request: HttpRequest, pk: int) -> Publication:
    """The publication, or 403 for a producer of another agency (404 when there is none)."""
    publication = get_object_or_404(
        Publication.objects.select_related("agency", "instructed_by", "assignee", "dataset"), pk=pk
    )
    if not may_view_publication(request.user, publication.agency_id):
        raise NotAllowed("publication")
    return publication


def _edit_url(pk: int) -> str:
    # The editor is another part of the workspace; its address is known even before it lands.
    try:
        return reverse("publications:edit", args=[pk])
    except NoReverseMatch:
        return f"/app/publications/{pk}/edit/"


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    """Publications the user may see, filtered by agency and state, newest first."""
    user = request.user
    if not may_view_publications(user):
        raise NotAllowed("publications")
    all_agencies = user_role(user) not in AGENCY_ROLES
    form = ListFilterForm(request.GET or None, all_agencies=all_agencies)
    filters = selectors.ListFilters()
    if form.is_valid():
        agency = form.cleaned_data.get("agency")
        filters = selectors.ListFilters(
            agency=agency.pk if agency else None, state=form.cleaned_data.get("state") or ""
        )
    page = Paginator(selectors.publication_rows(user, filters), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publications/list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "all_agencies": all_agencies,
            "now": timezone.now(),
            "may_instruct": may_instruct(user, getattr(user, "agency_id", None)),
            "step_names": selectors.STEP_NAMES,
        },
    )


@login_required
def publication_instruct(request: HttpRequest) -> HttpResponse:
    """The head's instruction (disposisi) to an operator of his agency: step 4 starts."""
    user = request.user
    agency = getattr(user, "agency", None)
    if agency is None or not may_instruct(user, agency.pk):
        raise NotAllowed("publication instruct")
    form = InstructionForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.publication_instruct(
                actor=user, agency=agency, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, [error.message, *error.errors])
        else:
            messages.success(
                request,
                _("The instruction was sent to %(name)s.")
                % {"name": publication.assignee.display_name},
            )
            return redirect("publications:detail", pk=publication.pk)
    now = timezone.now()
    amount, unit = standard(4)
    return render(
        request,
        "publications/instruct.html",
        {
            "form": form,
            "agency": agency,
            # The service fixes the due time when it records the instruction; shown beforehand.
            "due": due_at(4, now),
            "standard": standard_text(amount, unit),
            "has_channels": form.fields["channels"].queryset.exists(),  # type: ignore[attr-defined]
        },
    )


def _detail_context(request: HttpRequest, publication: Publication, **extra: Any) -> dict:
    user = request.user
    agency_id = publication.agency_id
    state = publication.state
    context = {
        "publication": publication,
        "items": publication.items.select_related("decree").order_by("code"),
        "channels": publication.channels.order_by("kind", "name"),
        "versions": publication.versions.select_related("submitted_by").order_by("-number"),
        "reviews": publication.reviews.select_related("decided_by", "version").order_by(
            "decided_at", "pk"
        ),
        "steps": selectors.step_rows(publication),
        "blocks": render_blocks(publication.blocks, agency_id=agency_id),
        "may_edit": may_draft(user, agency_id) and state == PublicationState.DRAFTING,
        "may_review": may_review(user, agency_id) and state == PublicationState.SUBMITTED,
        "may_cancel": may_instruct(user, agency_id) and state == PublicationState.DRAFTING,
        "may_publish": may_publish(user, agency_id) and state == PublicationState.APPROVED,
        "edit_url": _edit_url(publication.pk),
        "cancel_form": CancelForm(),
    }
    context["show_posts"] = state in POSTED_STATES
    if state in POSTED_STATES:
        context["posts"] = publication.posts.select_related("channel").order_by(
            "channel__kind", "pk"
        )
    context.update(extra)
    return context


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The instruction, the draft, its versions and reviews, the steps' times, the posts."""
    publication = _visible(request, pk)
    return render(request, "publications/detail.html", _detail_context(request, publication))


@login_required
@require_POST
def publication_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The head withdraws an instruction still being drafted, with a reason."""
    publication = _visible(request, pk)
    if not may_instruct(request.user, publication.agency_id):
        raise NotAllowed("publication cancel")
    form = CancelForm(request.POST)
    status, message = 400, ""
    if form.is_valid():
        try:
            services.publication_cancel(
                actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            # Shown at the top: an illegal move (already submitted) hides the form itself.
            status, message = error.status, error.message
        else:
            messages.success(request, _("The instruction was cancelled."))
            return redirect("publications:detail", pk=publication.pk)
    publication.refresh_from_db()
    context = _detail_context(
        request, publication, cancel_form=form, cancel_open=True, error=message
    )
    return render(request, "publications/detail.html", context, status=status)


@login_required
def publication_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 5: what changed since the last version, then approve or return with a comment."""
    publication = _visible(request, pk)
    user = request.user
    if not may_review(user, publication.agency_id):
        raise NotAllowed("publication review")
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ReviewForm.APPROVE:
                services.publication_approve(
                    actor=user, publication=publication, comment=data["comment"]
                )
                done = _("The draft was approved: the operator can publish it now.")
            else:
                services.publication_return(
                    actor=user, publication=publication, comment=data["comment"]
                )
                done = _("The draft was returned to the operator with your comment.")
        except DomainError as error:
            # An illegal move (already decided in another tab) says why, keeping the comment.
            form.add_error(None, error.message)
            status = error.status
        else:
            messages.success(request, done)
            return redirect("publications:detail", pk=publication.pk)
    elif request.method == "POST":
        status = 400
    previous, current = selectors.version_pair(publication)
    return render(
        request,
        "publications/review.html",
        {
            "publication": publication,
            "form": form,
            "previous": previous,
            "current": current,
            "diff": version_diff(previous, current) if current else [],
            "may_decide": publication.state == PublicationState.SUBMITTED,
        },
        status=status,
    )


@login_required
def publication_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One submitted version and what changed from the one before it (read-only)."""
    publication = _visible(request, pk)
    previous, current = selectors.version_pair(publication, number)
    if current is None:
        raise Http404
    return render(
        request,
        "publications/review.html",
        {
            "publication": publication,
            "previous": previous,
            "current": current,
            "diff": version_diff(previous, current),
            "may_decide": False,
        },
    )
