"""Public pages of published publications under /publikasi/: list, page, card image, Atom feed.

Thin views: they read through publications.selectors_public (and portal.selectors for the
linked dataset) and render. Anything not published answers exactly like an unknown address.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from satudata.catalog.models import Region
from satudata.portal.pages_common import absolute, page_meta, paginate
from satudata.portal.selectors import public_datasets
from satudata.publications import selectors_public as public
from satudata.publications.choices import CARD_PIXELS, CardSize, PublicationState
from satudata.publications.models import Publication
from satudata.publications.selectors_blocks import render_blocks

PAGE_SIZE = 12
FEED_ENTRIES = 50
SUMMARY_WORDS = 60
# A card changes only when remade (rare after publication); its ETag tells a cache when.
CARD_MAX_AGE = 7 * 24 * 3600


def _summary(publication: Publication) -> str:
    text = publication.caption or strip_tags(publication.body)
    return Truncator(" ".join(text.split())).words(SUMMARY_WORDS)


@require_safe
def publication_list(request: HttpRequest) -> HttpResponse:
    agencies = public.publishing_agencies()
    chosen = request.GET.get("agency", "")
    agency = next((a for a in agencies if a.slug == chosen), None)
    page = paginate(request, public.publication_rows(agency), size=PAGE_SIZE)
    for publication in page.object_list:
        publication.card_sizes = public.card_sizes(publication.public_cards)
        publication.summary = _summary(publication)
    title = _("Publications")
    description = _("Statistics published by the regional agencies, with tables and charts.")
    if agency is not None:
        title = _("Publications of %(agency)s") % {"agency": agency.name}
    context = {
        "meta": page_meta(request, title, description),
        "page": page,
        "agencies": agencies,
        "agency": agency,
    }
    return render(request, "publications/public_list.html", context)


@require_safe
def publication_detail(request: HttpRequest, slug: str) -> HttpResponse:
    publication = public.published_publication(slug)
    if publication is None:
        raise Http404
    sizes = public.card_sizes(publication.cards.all())
    dataset = None
    if publication.dataset_id:
        # Linked only while the dataset is public (a withdrawn or closed one is not named).
        dataset = public_datasets().filter(pk=publication.dataset_id).first()
    # Link previews (OpenGraph) want the landscape card; another size is better than none.
    shared = next((s for s in (CardSize.LANDSCAPE, CardSize.SQUARE) if s in sizes), None)
    context = {
        "meta": page_meta(request, publication.title, _summary(publication)),
        "publication": publication,
        "blocks": render_blocks(publication.blocks, agency_id=publication.agency_id),
        "posts": public.public_posts(publication),
        "cards": [(size, CardSize(size).label, CARD_PIXELS[size]) for size in sizes],
        "dataset": dataset,
        "og_image": public.card_address(publication, shared) if shared else "",
        "og_image_size": CARD_PIXELS[shared] if shared else None,
    }
    return render(request, "publications/public_detail.html", context)


@require_safe
def card_image(request: HttpRequest, slug: str, size: str) -> HttpResponse:
    """A card PNG from default storage: published ones for everyone, with a long cache."""
    card = public.public_card(slug, size, request.GET.get("t", ""))
    if card is None:
        raise Http404
    etag = f'"{card.pk}-{card.revision}-{card.generated_at.timestamp():.0f}"'
    published = card.publication.state == PublicationState.PUBLISHED
    if published and etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponse(status=304)
    else:
        try:
            handle = card.image.open("rb")
        except OSError:  # the row outlived its file
            raise Http404 from None
        response = FileResponse(handle, content_type="image/png")
    response["ETag"] = etag
    # A signed address of a not yet published card is for the network fetching it, not caches.
    response["Cache-Control"] = (
        f"public, max-age={CARD_MAX_AGE}" if published else "private, no-store"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _portal_name() -> str:
    region = Region.objects.filter(code=settings.REGION_CODE).values_list("name", flat=True)
    return _("Satu Data") + " " + (region.first() or settings.REGION_CODE)


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    """Atom feed of the newest published publications."""
    atom = Atom1Feed(
        title=_("Publications") + f" · {_portal_name()}",
        link=absolute(request, reverse("publications_public:list")),
        description=_("Statistics published by the regional agencies, with tables and charts."),
        feed_url=absolute(request, reverse("publications_public:feed")),
        language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
    )
    for publication in public.published_publications()[:FEED_ENTRIES]:
        url = absolute(request, reverse("publications_public:detail", args=[publication.slug]))
        atom.add_item(
            title=publication.title,
            link=url,
            description=_summary(publication),
            unique_id=url,
            pubdate=publication.published_at,
            updateddate=publication.published_at,
            author_name=publication.agency.name,
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
