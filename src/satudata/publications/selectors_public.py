"""What the public may see of publications: the one door for every public page, feed and card.

A publication is public once it is published (every post done: services.publication_settle)
and never before: a draft, a submitted or approved publication, a cancelled one, all answer
like an unknown address. Posts are shown only when posted, with an http(s) link.

The one exception is the card image of an approved publication: Instagram and Facebook fetch
the picture themselves while its post is being made (before the last channel is done), so
`card_address` gives them a signed, short-lived address; without a valid signature an
unpublished card is a plain 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from satudata.accounts.models import Agency
from satudata.publications.choices import CardSize, ChannelKind, PostState, PublicationState
from satudata.publications.models import Card, Post, Publication

CARD_SALT = "satudata.publications.card"
# A network fetches the picture within seconds of the post being made; a retry makes a new one.
CARD_SIGNATURE_SECONDS = 2 * 24 * 3600
LATEST = 4


def published_publications() -> QuerySet[Publication]:
    """Every published publication, newest first, with its agency."""
    return (
        Publication.objects.filter(state=PublicationState.PUBLISHED, published_at__isnull=False)
        .exclude(slug="")
        .select_related("agency")
        .order_by("-published_at", "-pk")
    )


def published_publication(slug: str) -> Publication | None:
    """The published publication at this address, or None (a 404 like an unknown one)."""
    return published_publications().filter(slug=slug).first()


def _posted() -> Q:
    # Only proof a visitor can follow: an http(s) address of a post that went out.
    return Q(state=PostState.POSTED) & (
        Q(url__istartswith="https://") | Q(url__istartswith="http://")
    )


def public_posts(publication: Publication) -> list[Post]:
    """The publication's posts on other channels (the portal's own post is the page itself)."""
    rows = (
        publication.posts.filter(_posted())
        .exclude(channel__kind=ChannelKind.PORTAL)
        .select_related("channel")
        .order_by("channel__kind", "channel__name", "pk")
    )
    return list(rows)


def publication_rows(agency: Agency | None = None) -> QuerySet[Publication]:
    """The public list's rows: published ones (of one agency), with their posts and cards."""
    rows = published_publications()
    if agency is not None:
        rows = rows.filter(agency=agency)
    posts = (
        Post.objects.filter(_posted())
        .exclude(channel__kind=ChannelKind.PORTAL)
        .select_related("channel")
        .order_by("channel__kind", "channel__name", "pk")
    )
    cards = Card.objects.exclude(image="")
    return rows.prefetch_related(
        Prefetch("posts", queryset=posts, to_attr="public_posts"),
        Prefetch("cards", queryset=cards, to_attr="public_cards"),
    )


def latest_publications(n: int = LATEST) -> list[Publication]:
    """The newest published publications for the portal's home page (one query)."""
    return list(published_publications()[:n])


def publishing_agencies() -> list[Agency]:
    """Agencies with at least one published publication (the list's filter), by name."""
    counts = (
        published_publications()
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", flat=True)
    )
    return list(Agency.objects.filter(pk__in=list(counts)).order_by("name"))


def card_sizes(cards: Iterable[Card]) -> list[str]:
    """The sizes among these cards that have an image, in CardSize order."""
    present = {card.size for card in cards if card.image}
    return [size for size in CardSize.values if size in present]


def card_path(publication: Publication, size: str) -> str:
    return reverse("publications_public:card", kwargs={"slug": publication.slug, "size": size})


def _card_token(publication: Publication, size: str) -> str:
    return signing.dumps({"p": publication.pk, "s": size}, salt=CARD_SALT, compress=False)


def card_address(publication: Publication, size: str) -> str:
    """The card's absolute public address; signed while the publication is only approved.

    Networks that fetch the image themselves (Instagram, Facebook) read it here while the
    post is being made; once published the plain address serves everyone.
    """
    url = settings.SITE_URL.rstrip("/") + card_path(publication, size)
    if publication.state != PublicationState.PUBLISHED:
        url += "?" + urlencode({"t": _card_token(publication, size)})
    return url


def public_card(slug: str, size: str, token: str = "") -> Card | None:
    """The card image the public may fetch, or None (an unknown, unpublished or missing card).

    A published publication's card is for everyone; an approved one's only with a valid,
    unexpired signature made for this very publication and size (`card_address`).
    """
    if size not in CardSize.values:
        return None
    publication = Publication.objects.filter(slug=slug).exclude(slug="").first()
    if publication is None:
        return None
    signed = publication.state == PublicationState.APPROVED and _signed_for(
        token, publication, size
    )
    if publication.state != PublicationState.PUBLISHED and not signed:
        return None
    card = publication.cards.filter(size=size).first()
    if card is None or not card.image:
        return None
    return card


def _signed_for(token: str, publication: Publication, size: str) -> bool:
    if not token:
        return False
    try:
        data = signing.loads(token, salt=CARD_SALT, max_age=CARD_SIGNATURE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is one too
        return False
    return data == {"p": publication.pk, "s": size}
