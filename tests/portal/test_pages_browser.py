"""The public pages in a real browser on a 360-pixel phone: charts draw, nothing leaves the host.

Anonymous visitor, no cookies but the language. Skips with a notice where no Chromium is
installed (Playwright's own browser download cannot work here).
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PHONE = {"width": 360, "height": 740}


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


def test_the_dataset_page_draws_both_charts_on_a_phone_from_local_files(
    phone, live_server, portal_world, transactional_db
):
    url = live_server.url + reverse("dataset-detail", args=[portal_world.district_ds.slug])
    phone.goto(url)
    phone.wait_for_selector(".chart-box.drawn svg", timeout=15_000)
    assert phone.locator(".chart-box.drawn").count() == 2
    assert phone.locator("[data-error]").count() == 0
    # The page itself does not scroll sideways; the wide table scrolls in its own box.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table_box = phone.locator(".values-wrap")
    assert table_box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []


def test_the_home_page_fits_a_phone_and_asks_no_other_host(
    phone, live_server, portal_world, transactional_db
):
    phone.goto(live_server.url + reverse("portal-home"))
    assert phone.locator("input[name=q]").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []
