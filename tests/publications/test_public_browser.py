"""The public publication pages on a 360-pixel phone: nothing scrolls sideways, cards load,
no other host is asked. Skips with a notice where no Chromium is installed."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from tests.browser import PHONE, browser_page, wait_until
from tests.publications.test_public_support import published, with_cards

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SATUDATA_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture
def phone(live_server, monkeypatch):
    cache.clear()
    with browser_page(live_server.url, monkeypatch, language="id") as page:
        yield page
    cache.clear()


def _fits(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_list_and_the_page_fit_a_phone(transactional_db, phone, live_server, head, operator):
    long_link = "https://www.instagram.com/p/" + "x" * 120 + "/"
    pub = with_cards(published(head, operator, "Panjang" * 8, other_url=long_link))
    phone.goto(live_server.url + "/publikasi/")
    assert phone.locator(".pubs-item").count() == 1
    _fits(phone, "list")
    phone.goto(live_server.url + f"/publikasi/{pub.slug}/")
    assert phone.locator("h1").inner_text().startswith("Cakupan imunisasi")
    # The cards load lazily: bring each into view, then every image must have arrived.
    images = phone.locator("img")
    for n in range(images.count()):
        images.nth(n).scroll_into_view_if_needed()
    wait_until(phone, "[...document.images].every(i => i.complete && i.naturalWidth > 0)", 10_000)
    _fits(phone, "detail")
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []
