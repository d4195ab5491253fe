"""Generating a publication's social-media cards (PNG) in every size, through default storage.

Cards follow the draft: each remembers the draft revision it was made from, so a card older
than the draft is remade, and a fresh one is kept unless asked to remake (a new logo).
The drawing (seconds for three sizes with charts) runs before the transaction; only the rows
and files are written inside it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from satudata.audit.services import audit_record
from satudata.core.actors import require
from satudata.core.errors import InvalidTransition
from satudata.core.models import letterhead
from satudata.publications.cards import CardContent, draw_card
from satudata.publications.choices import CARD_PIXELS, PublicationState
from satudata.publications.models import Card, Publication
from satudata.publications.permissions import may_draft, may_review
from satudata.publications.selectors_blocks import first_chart, publication_key_figure


def may_make_cards(user: Any, agency_id: int | None) -> bool:
    """The agency's operator (who drafts) or head (who reviews)."""
    return may_draft(user, agency_id) or may_review(user, agency_id)


def _logo(agency: Any = None) -> Image.Image | None:
    """The agency's own logo, else the letterhead's (the government's), else none."""
    logo = getattr(agency, "logo", None) or letterhead().logo
    if not logo:
        return None
    try:
        with logo.open("rb") as handle:
            image = Image.open(handle)
            image.load()
        return image.convert("RGBA")
    except (OSError, ValueError):  # a missing or unreadable file: the card goes without it
        return None


def card_content(publication: Publication) -> CardContent:
    """What the cards of a publication say, read once for every size."""
    chart = first_chart(publication)
    figure, label = publication_key_figure(publication)
    site = settings.SITE_URL.split("://", 1)[-1].rstrip("/")
    return CardContent(
        title=publication.title or publication.topic,
        agency=publication.agency.name,
        site=_("Source: %(agency)s · %(site)s") % {"agency": publication.agency.name, "site": site},
        figure=figure,
        figure_label=label,
        spec=chart["spec"] if chart else None,
        logo=_logo(publication.agency),
    )


def cards_generate(*, actor: Any, publication: Publication, force: bool = False) -> list[Card]:
    """Make the missing or stale cards (all of them with `force`); returns every card."""
    require(actor, lambda user: may_make_cards(user, publication.agency_id))
    if publication.state == PublicationState.CANCELLED:
        raise InvalidTransition(_("This publication was cancelled."))
    existing = {card.size: card for card in publication.cards.all()}
    wanted = [
        size
        for size in CARD_PIXELS
        if force or size not in existing or existing[size].revision != publication.revision
    ]
    if not wanted:
        return sorted(existing.values(), key=lambda c: c.size)
    revision = publication.revision
    content = card_content(publication)
    images = {size: draw_card(size, content) for size in wanted}
    old_files: list[Any] = []
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if locked.revision != revision:
            raise InvalidTransition(_("The draft changed while the cards were made: try again."))
        now = timezone.now()
        for size, data in images.items():
            card = existing.get(size) or Card(publication=locked, size=size)
            if card.image:
                old_files.append((card.image.storage, card.image.name))
            card.revision = revision
            card.generated_at = now
            card.image.save(f"{size}-r{revision}.png", ContentFile(data), save=False)
            card.width, card.height = CARD_PIXELS[size]  # a ContentFile carries no dimensions
            card.save()
            existing[size] = card
        audit_record(
            actor=actor,
            action="publication.cards",
            target=locked,
            before=None,
            after={"sizes": sorted(images), "revision": revision},
        )
        new_names = {card.image.name for card in existing.values()}

        def _remove_old() -> None:
            for storage, name in old_files:
                if name not in new_names:
                    storage.delete(name)

        transaction.on_commit(_remove_old)
    return sorted(existing.values(), key=lambda c: c.size)
