"""The workspace in a real browser on a 360-pixel phone: select the ready items, publish them."""

from __future__ import annotations

import pytest

from satudata.portal.models import Dataset
from tests.browser import browser_page
from tests.factories import DataItemFactory
from tests.portal.conftest import fill

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, walidata, monkeypatch):
    with browser_page(
        live_server.url, monkeypatch, user=walidata, viewport={"width": 360, "height": 800}
    ) as page:
        yield page


def test_walidata_selects_the_open_filled_items_and_publishes_them(
    page, live_server, portal_world, decree, health, transactional_db
):
    ready = DataItemFactory(decree=decree, agency=health, level="regency", name="Jumlah Bidan")
    fill(ready, "2025")
    empty = DataItemFactory(decree=decree, agency=health, level="regency", name="Jumlah Klinik")
    page.goto(f"{live_server.url}/app/portal/datasets/?class=open")
    # The page fits the phone: only the table scrolls, in its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("button[data-select-ready]").click()
    assert page.locator(f"#item-{ready.pk}").is_checked()
    assert not page.locator(f"#item-{empty.pk}").is_checked()
    assert page.locator("[data-selected-count]").inner_text() == "1 selected"
    page.locator("#ws-publish button[type=submit]").click()
    page.wait_for_load_state()
    assert "1 datasets published, 1 periods released" in page.content()
    assert Dataset.objects.filter(code=ready.code).exists()
    assert not Dataset.objects.filter(code=empty.code).exists()
