"""The public publication pages on a 360-pixel phone: nothing scrolls sideways, cards load,
no other host is asked. Skips with a notice where no Chromium is installed."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.publications.test_public_support import published, with_cards

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("SATUDATA_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture
def phone(live_server, monkeypatch):
    if not CHROMIUM:
        pytest.skip("no Chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cache.clear()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE)
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url}]
        )
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.requested = requested  # type: ignore[attr-defined]
        yield page
        browser.close()
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
    phone.wait_for_function(
        "[...document.images].every(i => i.complete && i.naturalWidth > 0)", timeout=10_000
    )
    _fits(phone, "detail")
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []
