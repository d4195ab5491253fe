"""No unpublished publication leaks: one publication per state, each with its own marker in
title, body and caption, and a crawl of every public answer (pages, feeds, sitemap, cards,
guessed addresses) in which only the published ones' markers may appear.

Built on the portal's test world (tests/portal/conftest.py) so a publication can point at an
open dataset and at a withdrawn one: only the public one is linked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.utils.text import slugify

from satudata.publications.choices import ChannelKind, PublicationState
from satudata.publications.services import (
    channel_portal,
    draft_submit,
    publication_cancel,
    publication_return,
)

# The portal's test world, its fixtures shared (requested by name below, hence the noqa).
from tests.portal.conftest import (  # noqa: F401
    WITHDRAWN_MARKER,
    jember,
    portal_world,
    sex,
    social,
)
from tests.publications.test_public_support import (
    approved,
    drafted,
    manual_channel,
    mark_posted,
    published,
    with_cards,
)

PUBLISHED = ("ZQXPUBLISHEDONE", "ZQXPUBLISHEDTWO")
HIDDEN = {
    "drafting": "ZQXDRAFTPUB",
    "submitted": "ZQXSUBMITPUB",
    "returned": "ZQXRETURNPUB",
    "approved": "ZQXAPPROVEDPUB",
    "cancelled": "ZQXCANCELPUB",
}
SKIP = ("/app/", "/admin/", "/i18n/", "/static/", "/media/", "/access/", "/api/")
MAX_PAGES = 400
SIZES = ("square", "portrait", "landscape")


@pytest.fixture
def agency(health):
    # The portal world's agency (Dinas Kesehatan) is the publishing one here.
    return health


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.links += [v for name, v in attrs if name in ("href", "src", "action") and v]


@pytest.fixture
def states(portal_world, head, operator):  # noqa: F811
    """{state name: publication}, the published ones' datasets: open_ds and withdrawn_ds."""
    world = portal_world
    pubs = {
        "published": with_cards(
            published(
                head,
                operator,
                PUBLISHED[0],
                other_url="https://www.instagram.com/p/ZQXok/",
                dataset=world.open_ds,
                blocks=[{"kind": "table", "item": world.open_ds.item_id, "period": "2025"}],
            )
        ),
        "published_withdrawn": published(head, operator, PUBLISHED[1], dataset=world.withdrawn_ds),
        "drafting": with_cards(drafted(head, operator, HIDDEN["drafting"])),
    }
    submitted = drafted(head, operator, HIDDEN["submitted"])
    draft_submit(actor=operator, publication=submitted)
    returned = drafted(head, operator, HIDDEN["returned"])
    draft_submit(actor=operator, publication=returned)
    publication_return(actor=head, publication=returned, comment="Perbaiki judul.")
    # Approved, the portal posted, the hand-made post not yet recorded: not published.
    channels = [channel_portal(head.agency), manual_channel(head.agency, "Facebook Dinkes")]
    waiting = with_cards(approved(head, operator, HIDDEN["approved"], channels=channels))
    mark_posted(waiting, {ChannelKind.PORTAL: ""})
    cancelled = drafted(head, operator, HIDDEN["cancelled"])
    publication_cancel(actor=head, publication=cancelled, reason="Data direvisi.")
    pubs |= {
        "submitted": submitted,
        "returned": returned,
        "approved": waiting,
        "cancelled": cancelled,
    }
    for pub in pubs.values():
        pub.refresh_from_db()
    assert pubs["approved"].state == PublicationState.APPROVED and pubs["approved"].slug
    assert pubs["approved"].posts.filter(state="posted").exists()
    assert pubs["published"].state == PublicationState.PUBLISHED
    assert pubs["cancelled"].state == PublicationState.CANCELLED
    assert pubs["returned"].state == PublicationState.DRAFTING
    return pubs


def _guesses(pubs) -> list[str]:
    """Every address a hidden publication could be asked at: its slug, title slug, id."""
    names = []
    for state in HIDDEN:
        pub = pubs[state]
        names += [n for n in (pub.slug, slugify(pub.title), str(pub.pk)) if n]
    return names


def _entry_points(pubs) -> list[str]:
    urls = ["/", "/publikasi/", "/publikasi/feed.atom", "/sitemap.xml", "/feeds/datasets.atom"]
    urls.append(f"/publikasi/?agency={pubs['published'].agency.slug}")
    for name in _guesses(pubs):
        urls.append(f"/publikasi/{name}/")
        urls += [f"/publikasi/{name}/kartu/{size}.png" for size in SIZES]
    return urls


@pytest.fixture
def crawled(states):
    """Every public answer reached from the entry points: {url: (status, body)}."""
    client = Client()
    seen: dict[str, tuple[int, bytes]] = {}
    queue = _entry_points(states)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = (response.status_code, body)
        kind = response.get("Content-Type", "")
        if "html" not in kind and "xml" not in kind:
            continue
        text = body.decode("utf-8", errors="replace")
        parser = _Links()
        parser.feed(text)
        for link in parser.links + re.findall(r"<loc>([^<]+)</loc>", text):
            parts = urlsplit(urljoin("http://testserver" + url, link))
            if parts.netloc not in ("testserver", "") or parts.path.startswith(SKIP):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return seen


def test_only_published_markers_appear_in_any_public_answer(crawled):
    assert len(crawled) > 40  # the crawl went through the portal and the publications
    found = set()
    for url, (_status, body) in crawled.items():
        text = body.decode("utf-8", errors="replace").lower()
        for state, marker in HIDDEN.items():
            assert marker.lower() not in text, f"the {state} publication leaked at {url}"
        assert WITHDRAWN_MARKER.lower() not in text, f"a withdrawn dataset leaked at {url}"
        found |= {m for m in PUBLISHED if m.lower() in text}
    assert found == set(PUBLISHED)  # and the published ones are really there


def test_the_published_ones_are_on_every_public_list(crawled, states):
    for url in ("/", "/publikasi/", "/publikasi/feed.atom", "/sitemap.xml"):
        body = crawled[url][1].decode()
        assert states["published"].slug in body, url
        assert states["published_withdrawn"].slug in body, url


def test_unpublished_addresses_answer_like_unknown_ones(crawled, states):
    client = Client()
    unknown_page = client.get("/publikasi/no-such-publication/")
    unknown_card = client.get("/publikasi/no-such-publication/kartu/square.png")
    assert unknown_page.status_code == unknown_card.status_code == 404
    for name in _guesses(states):
        for url, unknown in (
            (f"/publikasi/{name}/", unknown_page),
            *((f"/publikasi/{name}/kartu/{size}.png", unknown_card) for size in SIZES),
        ):
            status, body = crawled[url]
            assert status == 404, url
            assert body == unknown.content, url


def test_the_dataset_is_linked_only_while_it_is_public(crawled, states, portal_world):  # noqa: F811
    page = crawled[f"/publikasi/{states['published'].slug}/"][1].decode()
    assert 'class="pub-table"' in page  # its table block, through the shared include
    assert f'href="/dataset/{portal_world.open_ds.slug}/"' in page
    other = crawled[f"/publikasi/{states['published_withdrawn'].slug}/"][1].decode()
    assert 'class="pub-dataset"' in page and 'class="pub-dataset"' not in other
    assert portal_world.withdrawn_ds.slug not in other


def test_a_cancelled_or_unsubmitted_publication_has_no_address_at_all(states):
    for state in ("drafting", "submitted", "returned", "cancelled"):
        assert states[state].slug == "", state
