"""The operator's draft editor (SOP step 4): the page, its autosave, and submitting to the head.

Thin: every change goes through `services.draft_save` / `services.draft_submit`, which check
permission, the state and the `revision` guard and sanitize the text. Only the operator of the
publication's agency gets here; the head and the walidata read the draft on the detail page.
A refused save never loses what was typed: the page re-renders it, autosave leaves the fields
alone and says why in the status region.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satudata.core.errors import DomainError, NotAllowed
from satudata.publications import services, states
from satudata.publications.choices import ChannelKind, ReviewDecision
from satudata.publications.forms_editor import DRAFT_FIELDS, DraftForm, initial_data
from satudata.publications.models import Publication, Review
from satudata.publications.permissions import may_draft
from satudata.publications.sanitize import clean_html
from satudata.publications.selectors_blocks import (
    FACEBOOK_TEXT_MAX,
    INSTAGRAM_CAPTION_MAX,
    X_TEXT_MAX,
)

# The caption's limit on each kind of social channel (the counter warns past it).
CAPTION_LIMITS = {
    ChannelKind.X: X_TEXT_MAX,
    ChannelKind.INSTAGRAM: INSTAGRAM_CAPTION_MAX,
    ChannelKind.FACEBOOK: FACEBOOK_TEXT_MAX,
}


def _draftable(request: HttpRequest, pk: int) -> Publication:
    """The publication, or 403 unless the user is an operator of its agency."""
    publication = get_object_or_404(
        Publication.objects.select_related("agency", "instructed_by", "dataset"), pk=pk
    )
    if not may_draft(request.user, publication.agency_id):
        raise NotAllowed("publication draft")
    return publication


def _saved_text(publication: Publication) -> str:
    if publication.saved_at is None:
        return _("Not saved yet")
    local = timezone.localtime(publication.saved_at)
    if local.date() == timezone.localdate():
        return _("Saved at %(time)s") % {"time": local.strftime("%H:%M")}
    return _("Last saved %(when)s") % {"when": formats.date_format(local, "j M Y H:i")}


def _last_return(publication: Publication) -> Review | None:
    """The head's comment when the draft came back for revision (and has not been sent since)."""
    if publication.state not in states.EDITABLE:
        return None
    review = (
        publication.reviews.select_related("decided_by", "version")
        .order_by("-decided_at", "-pk")
        .first()
    )
    if review is None or review.decision != ReviewDecision.RETURNED:
        return None
    return review


def _caption_limits(publication: Publication) -> list[dict[str, Any]]:
    kinds = set(publication.channels.values_list("kind", flat=True))
    return [
        {"label": str(ChannelKind(kind).label), "max": limit}
        for kind, limit in CAPTION_LIMITS.items()
        if kind in kinds
    ]


def _render(
    request: HttpRequest,
    publication: Publication,
    form: DraftForm,
    *,
    error: str = "",
    errors: list | None = None,
    status: int = 200,
) -> HttpResponse:
    # The editable area shows HTML, so what it shows is cleaned even when it is the text just
    # typed and refused (the textarea beside it keeps the exact typing, escaped).
    body = form["body"].value() or ""
    blocks_json = (
        form["blocks"].value() if form.is_bound else json.dumps(publication.blocks or [])
    ) or "[]"
    step = publication.steps.filter(number=4, ended_at__isnull=True).order_by("-pk").first()
    limits = _caption_limits(publication)
    context = {
        "publication": publication,
        "form": form,
        "body_html": clean_html(body),
        "blocks_json": blocks_json,
        "returned": _last_return(publication),
        "step": step,
        "now": timezone.now(),
        "caption_limits": limits,
        "caption_limits_json": json.dumps(limits),
        "saved_text": _saved_text(publication),
        "error": error,
        "errors": errors or [],
        "editable": publication.state in states.EDITABLE,
    }
    return render(request, "publications/editor.html", context, status=status)


def _post(request: HttpRequest, publication: Publication, *, submit: bool) -> HttpResponse:
    """Save the posted fields (the page without JavaScript), then submit if asked."""
    form = DraftForm(request.POST, publication=publication)
    if not form.is_valid():
        return _render(request, publication, form, status=400)
    present = set(request.POST) & set(DRAFT_FIELDS)
    saved = False
    try:
        if present:
            publication = services.draft_save(
                actor=request.user,
                publication=publication,
                revision=form.cleaned_data["revision"],
                **form.draft_fields(present),
            )
            saved = True
        if submit:
            version = services.draft_submit(actor=request.user, publication=publication)
    except DomainError as error:
        publication.refresh_from_db()
        if saved:
            # The text was saved before the submission was refused: the page must carry the
            # new revision, or its next save would be refused as stale.
            data = request.POST.copy()
            data["revision"] = str(publication.revision)
            form = DraftForm(data, publication=publication)
            form.is_valid()
        return _render(
            request,
            publication,
            form,
            error=error.message,
            errors=error.errors,
            status=error.status,
        )
    if submit:
        messages.success(
            request,
            _("Version %(n)s was submitted to the head for review.") % {"n": version.number},
        )
        return redirect("publications:detail", pk=publication.pk)
    messages.success(request, _("The draft was saved."))
    return redirect("publications:edit", pk=publication.pk)


@login_required
def publication_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft editor; its POST saves the whole form (works without JavaScript)."""
    publication = _draftable(request, pk)
    if request.method == "POST":
        return _post(request, publication, submit=False)
    if publication.state not in states.EDITABLE:
        messages.info(request, _("This draft is with the head or done: it can no longer change."))
        return redirect("publications:detail", pk=publication.pk)
    form = DraftForm(initial=initial_data(publication), publication=publication)
    return _render(request, publication, form)


@login_required
@require_POST
def publication_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit to the head (step 4 ends): saves the posted fields first, if the form sent any."""
    publication = _draftable(request, pk)
    return _post(request, publication, submit=True)


def _json_error(message: str, status: int, errors: list | None = None) -> JsonResponse:
    answer: dict[str, Any] = {"error": message}
    if errors:
        answer["errors"] = errors
    return JsonResponse(answer, status=status)


def _payload(request: HttpRequest) -> QueryDict:
    """The fields sent by the editor: JSON from fetch, or a form body (navigator.sendBeacon)."""
    if request.content_type != "application/json":
        return request.POST
    try:
        raw = json.loads(request.body or b"{}")
    except ValueError:
        raise DomainError(_("The draft could not be read.")) from None
    if not isinstance(raw, dict):
        raise DomainError(_("The draft could not be read."))
    data = QueryDict(mutable=True)
    for name in (*DRAFT_FIELDS, "revision"):
        if name not in raw:
            continue
        value = raw[name]
        if name == "blocks" and not isinstance(value, str):
            value = json.dumps(value)
        data[name] = "" if value is None else str(value)
    return data


@require_POST
def publication_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Save the draft as typed (JSON in, JSON out): the new revision, or {"error": ...}.

    409 when the draft changed in another tab since the page's revision; the page keeps what
    was typed and shows the message.
    """
    if not request.user.is_authenticated:
        return _json_error(
            _("You are signed out. Sign in again in another tab: your text is kept on this page."),
            403,
        )
    publication = get_object_or_404(Publication, pk=pk)
    if not may_draft(request.user, publication.agency_id):
        return _json_error(_("Only an operator of the agency may edit this draft."), 403)
    try:
        data = _payload(request)
        form = DraftForm(data, publication=publication)
        if not form.is_valid():
            return _json_error(form.error_text(), 400)
        publication = services.draft_save(
            actor=request.user,
            publication=publication,
            revision=form.cleaned_data["revision"],
            **form.draft_fields(set(data) & set(DRAFT_FIELDS)),
        )
    except DomainError as error:
        return _json_error(error.message, error.status, error.errors)
    except NotAllowed:
        return _json_error(_("Only an operator of the agency may edit this draft."), 403)
    return JsonResponse(
        {
            "revision": publication.revision,
            "saved_at": publication.saved_at.isoformat() if publication.saved_at else None,
            "message": _saved_text(publication),
        }
    )
