"""The public publications pages: list, page, cards, feed, sitemap and home strip.

Personas (tests/publications/conftest.py): `head` and `operator` of Dinas Kesehatan publish;
`other_head` / `other_operator` of Dinas Pendidikan publish too (the agency filter). Visitors
are anonymous and read the English interface where a test compares words.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest
from django.conf import settings
from django.test import Client

from satudata.publications import selectors_public, views_public
from satudata.publications.choices import ChannelKind, PublicationState
from tests.publications.test_public_support import (
    approved,
    channel_portal,
    mark_posted,
    published,
    with_cards,
)

ATOM = "{http://www.w3.org/2005/Atom}"
INSTAGRAM = "https://www.instagram.com/p/Cxyz123/"


@pytest.fixture
def visitor():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def pub(head, operator):
    return with_cards(published(head, operator, "ALPHA", other_url=INSTAGRAM))


def test_a_published_publication_is_listed_with_its_card_and_channel_links(visitor, pub):
    page = visitor.get("/publikasi/").content.decode()
    assert pub.title in page
    assert f'href="/publikasi/{pub.slug}/"' in page
    assert f'src="/publikasi/{pub.slug}/kartu/landscape.png"' in page
    assert f'href="{INSTAGRAM}"' in page
    assert ">Instagram Dinkes</a>" in page  # the channel's own name labels the link


def test_the_list_is_newest_first_paged_and_filtered_by_agency(
    visitor, head, operator, other_head, other_operator, monkeypatch
):
    first = published(head, operator, "FIRST")
    second = published(other_head, other_operator, "SECOND")
    third = published(head, operator, "THIRD")
    body = visitor.get("/publikasi/").content.decode()
    assert body.index("THIRD") < body.index("SECOND") < body.index("FIRST")
    own = visitor.get("/publikasi/", {"agency": head.agency.slug}).content.decode()
    assert "FIRST" in own and "THIRD" in own and "SECOND" not in own
    unknown = visitor.get("/publikasi/", {"agency": "no-such-agency"}).content.decode()
    assert "SECOND" in unknown  # an unknown agency is no filter at all
    monkeypatch.setattr(views_public, "PAGE_SIZE", 1)
    page2 = visitor.get("/publikasi/", {"agency": head.agency.slug, "page": 2}).content.decode()
    assert "FIRST" in page2 and "THIRD" not in page2
    assert f"?agency={head.agency.slug}&amp;page=1" in page2  # paging keeps the filter
    assert {first.state, second.state, third.state} == {PublicationState.PUBLISHED}


def test_the_page_shows_the_publication_its_posts_cards_and_sharing_tags(visitor, pub):
    response = visitor.get(f"/publikasi/{pub.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{pub.title}</h1>" in page
    assert "<strong>4%</strong>" in page  # the sanitized body, as HTML
    assert "<script>alert" not in page and "alert(1)" not in page
    assert pub.agency.name in page
    assert f'href="{INSTAGRAM}"' in page
    for size in ("square", "portrait", "landscape"):
        assert f'src="/publikasi/{pub.slug}/kartu/{size}.png"' in page
    site = settings.SITE_URL.rstrip("/")
    image = f"{site}/publikasi/{pub.slug}/kartu/landscape.png"
    assert f'<meta property="og:image" content="{image}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:image:width" content="1200">' in page


def test_the_card_image_is_served_from_storage_with_a_long_cache(visitor, pub):
    response = visitor.get(f"/publikasi/{pub.slug}/kartu/square.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    again = visitor.get(
        f"/publikasi/{pub.slug}/kartu/square.png", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == 304


def test_unknown_sizes_and_missing_cards_are_not_found(visitor, head, operator, pub):
    assert visitor.get(f"/publikasi/{pub.slug}/kartu/huge.png").status_code == 404
    bare = published(head, operator, "NOCARD")
    assert visitor.get(f"/publikasi/{bare.slug}/kartu/square.png").status_code == 404
    page = visitor.get(f"/publikasi/{bare.slug}/").content.decode()
    assert "og:image" not in page and "kartu" not in page


def test_an_approved_card_is_served_only_at_its_signed_address(head, operator):
    """Instagram and Facebook fetch the card while the post is made, before it is published."""
    pub = with_cards(approved(head, operator, "SIGNED", channels=[channel_portal(head.agency)]))
    client = Client()
    plain = f"/publikasi/{pub.slug}/kartu/square.png"
    assert client.get(plain).status_code == 404
    signed = selectors_public.card_address(pub, "square")
    assert signed.startswith(settings.SITE_URL.rstrip("/") + plain + "?t=")
    path = signed.removeprefix(settings.SITE_URL.rstrip("/"))
    response = client.get(path)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    other_size = path.replace("square.png", "landscape.png")
    assert client.get(other_size).status_code == 404  # a signature is for one size only
    assert client.get(plain + "?t=forged").status_code == 404
    mark_posted(pub)
    pub.refresh_from_db()
    assert pub.state == PublicationState.PUBLISHED
    assert selectors_public.card_address(pub, "square") == settings.SITE_URL.rstrip("/") + plain
    assert client.get(plain).status_code == 200


def test_the_atom_feed_lists_published_publications(visitor, head, operator, pub):
    approved(head, operator, "NOTYET", channels=[channel_portal(head.agency)])
    response = visitor.get("/publikasi/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [pub.title]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/publikasi/{pub.slug}/"
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == pub.agency.name


def test_the_portal_links_the_publications_and_lists_them_in_its_sitemap(visitor, pub):
    home = visitor.get("/").content.decode()
    assert 'href="/publikasi/"' in home  # the menu
    assert 'href="/publikasi/feed.atom"' in home  # the footer and <link rel=alternate>
    alternate = r'<link rel="alternate" type="application/atom\+xml" href="/publikasi/feed'
    assert re.search(alternate, home)
    assert f'href="/publikasi/{pub.slug}/"' in home  # the latest publications
    sitemap = visitor.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver/publikasi/{pub.slug}/</loc>" in sitemap
    assert "<loc>http://testserver/publikasi/</loc>" in sitemap


def test_the_pages_read_in_few_queries(visitor, head, operator, django_assert_max_num_queries):
    for n in range(5):
        with_cards(published(head, operator, f"MANY{n}", other_url=f"{INSTAGRAM}{n}"))
    slug = selectors_public.published_publications().first().slug
    # Constant in the number of publications: posts and cards are fetched once per page.
    with django_assert_max_num_queries(7):
        visitor.get("/publikasi/")
    with django_assert_max_num_queries(5):
        visitor.get(f"/publikasi/{slug}/")
    with django_assert_max_num_queries(3):
        visitor.get("/publikasi/feed.atom")
    with django_assert_max_num_queries(2):
        visitor.get(f"/publikasi/{slug}/kartu/square.png")


def test_pages_speak_indonesian_by_default(pub):
    page = Client().get(f"/publikasi/{pub.slug}/").content.decode()
    assert '<html lang="id">' in page


def test_posts_not_yet_done_and_the_portal_post_are_not_listed(visitor, head, operator):
    pub = published(head, operator, "POSTS", other_url=INSTAGRAM)
    posts = selectors_public.public_posts(pub)
    assert [p.channel.kind for p in posts] == [ChannelKind.MANUAL]
