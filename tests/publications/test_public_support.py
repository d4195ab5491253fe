"""Helpers for the public publication tests (no tests here): publications in every state.

Posting (step 6) is another part's job; here a fixture marks an approved publication's posts
posted directly (with their links) and lets the real `publication_settle` publish it.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from satudata.core.actors import SystemActor
from satudata.publications.choices import CARD_PIXELS, ChannelKind, PostState
from satudata.publications.models import Card, Channel, Publication
from satudata.publications.services import (
    channel_portal,
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
    publication_settle,
)

TEST_ACTOR = SystemActor("test")


def png(size: tuple[int, int] = (12, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 61, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


def manual_channel(agency, name: str = "Instagram Dinkes") -> Channel:
    return Channel.objects.create(agency=agency, kind=ChannelKind.MANUAL, name=name)


def instructed(head, operator, *, channels=(), dataset=None) -> Publication:
    return publication_instruct(
        actor=head,
        agency=head.agency,
        assignee=operator,
        topic="Imunisasi dasar lengkap 2025",
        channels=list(channels),
        dataset=dataset,
    )


def drafted(head, operator, marker: str, *, blocks=(), **kwargs) -> Publication:
    publication = instructed(head, operator, **kwargs)
    return draft_save(
        actor=operator,
        publication=publication,
        title=f"Cakupan imunisasi naik {marker}",
        body=f"<p>Cakupan naik <strong>4%</strong> {marker}.</p><script>alert(1)</script>",
        caption=f"Imunisasi Jember {marker}",
        hashtags="#Jember",
        blocks=list(blocks),
    )


def approved(head, operator, marker: str, **kwargs) -> Publication:
    publication = drafted(head, operator, marker, **kwargs)
    draft_submit(actor=operator, publication=publication)
    publication_approve(actor=head, publication=publication)
    publication.refresh_from_db()
    return publication


def with_cards(publication: Publication) -> Publication:
    """Every card size, as a small real PNG in default storage (rows written directly)."""
    now = timezone.now()
    for size in CARD_PIXELS:
        card = Card(publication=publication, size=size, revision=publication.revision)
        card.generated_at = now
        card.image.save(f"{size}-r{publication.revision}.png", ContentFile(png()), save=False)
        # Set here: the ImageField leaves its width/height fields empty on this path.
        card.width, card.height = card.image.width, card.image.height
        card.save()
    return publication


@transaction.atomic  # as in the posting services, which settle inside their transaction
def mark_posted(publication: Publication, links: dict[str, str] | None = None) -> None:
    """Mark the posts of these channel kinds posted (all when `links` is None), then settle."""
    now = timezone.now()
    for post in publication.posts.select_related("channel"):
        kind = post.channel.kind
        if links is not None and kind not in links:
            continue
        post.state = PostState.POSTED
        post.posted_at = now
        if kind == ChannelKind.PORTAL:  # the portal's post is the public page itself
            post.url = settings.SITE_URL.rstrip("/") + f"/publikasi/{publication.slug}/"
        else:
            post.url = (links or {}).get(kind) or f"https://example.org/{kind}/{post.pk}"
        post.save()
    publication_settle(actor=TEST_ACTOR, publication=publication)


def published(head, operator, marker: str, *, other_url: str = "", **kwargs) -> Publication:
    """Published through the services: instruct, draft, submit, approve, posts done, settle."""
    channels = [channel_portal(head.agency)]
    if other_url:
        channels.append(manual_channel(head.agency))
    publication = approved(head, operator, marker, channels=channels, **kwargs)
    links = {ChannelKind.PORTAL: ""}
    if other_url:
        links[ChannelKind.MANUAL] = other_url
    mark_posted(publication, links)
    publication.refresh_from_db()
    return publication
