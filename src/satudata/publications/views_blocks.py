"""Tables, charts, cards and channel previews of a publication (SOP step 4), under /app/.

Thin views: they check who asks, call a selector or service and render. The picker's JSON
and the block check serve the draft editor (`_blocks_editor.html`); the preview shows how
each target channel will show the post; cards are made on request and served to staff.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from satudata.core.errors import DomainError, NotAllowed
from satudata.publications.blocks import clean_blocks
from satudata.publications.choices import CARD_PIXELS, CardSize, PublicationState
from satudata.publications.models import Card, Publication
from satudata.publications.permissions import may_view_publication
from satudata.publications.selectors_blocks import (
    block_options,
    channel_previews,
    publication_cards,
    render_blocks,
)
from satudata.publications.services_cards import cards_generate, may_make_cards


def _publication(request: HttpRequest, pk: int, allowed) -> Publication:
    publication = get_object_or_404(Publication.objects.select_related("agency"), pk=pk)
    if not allowed(request.user, publication.agency_id):
        raise NotAllowed("publication")
    return publication


@login_required
@require_GET
def block_options_view(request: HttpRequest, pk: int) -> JsonResponse:
    """The agency's open items with their filled or released periods (operator and head)."""
    publication = _publication(request, pk, may_make_cards)
    return JsonResponse(block_options(publication.agency_id))


@login_required
@require_POST
def block_check_view(request: HttpRequest, pk: int) -> JsonResponse:
    """Check blocks as the draft would store them and return how they render (JSON).

    Body: {"blocks": [...]}. A block of another agency's item or of a limited or closed item
    is refused (400) exactly as saving the draft refuses it.
    """
    publication = _publication(request, pk, may_make_cards)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise DomainError(_("The tables and charts could not be read.")) from exc
    blocks = clean_blocks(
        payload.get("blocks") if isinstance(payload, dict) else None,
        agency_id=publication.agency_id,
    )
    rendered = render_blocks(blocks, agency_id=publication.agency_id)
    html = "".join(
        render_to_string("publications/_block.html", {"block": block}, request=request)
        for block in rendered
    )
    return JsonResponse({"blocks": blocks, "html": html})


@login_required
@require_GET
def publication_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """How each target channel will show the post, with the networks' limits and warnings."""
    publication = _publication(request, pk, may_view_publication)
    cards = publication_cards(publication)
    return render(
        request,
        "publications/preview.html",
        {
            "publication": publication,
            "previews": channel_previews(publication),
            "blocks": render_blocks(publication.blocks, agency_id=publication.agency_id),
            "cards": [(size, cards.get(size)) for size in CARD_PIXELS],
            "card_labels": dict(CardSize.choices),
            "may_make_cards": may_make_cards(request.user, publication.agency_id)
            and publication.state != PublicationState.CANCELLED,
        },
    )


@login_required
@require_POST
def cards_generate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The "generate cards" button: remake every card from the draft as it stands."""
    publication = _publication(request, pk, may_make_cards)
    cards_generate(actor=request.user, publication=publication, force=True)
    messages.success(request, _("The cards were generated."))
    return redirect("publications:preview", pk=publication.pk)


@login_required
@require_GET
def card_image(request: HttpRequest, pk: int, size: str) -> FileResponse:
    """A card's PNG for the agency's staff and walidata, supervisor and administrators."""
    publication = _publication(request, pk, may_view_publication)
    if size not in CARD_PIXELS:
        raise Http404
    card = Card.objects.filter(publication=publication, size=size).first()
    if card is None or not card.image:
        raise Http404
    try:
        handle = card.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/png")
    # Staff only: never kept by a shared cache; the revision in the URL busts the browser's.
    response["Cache-Control"] = "private, max-age=3600"
    return response
