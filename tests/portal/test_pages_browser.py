"""The public pages in a real browser on a 360-pixel phone: charts draw, nothing leaves the host.

Anonymous visitor, no cookies but the language. Skips with a notice where no Chromium is
installed (Playwright's own browser download cannot work here).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.browser import PHONE, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(live_server, monkeypatch):
    cache.clear()
    with browser_page(live_server.url, monkeypatch, language="id") as page:
        yield page
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
