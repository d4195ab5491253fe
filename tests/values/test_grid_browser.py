"""The grid in a real browser at the operator's 1366x768: keys move, totals follow, saving works."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from satudata.values.models import Observation
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


@pytest.fixture
def page(live_server, operator, monkeypatch):
    if not CHROMIUM:
        pytest.skip("no Chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test body
    # are still plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    assert client.login(username=operator.username, password=PASSWORD)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
            ]
        )
        yield context.new_page()
        browser.close()


def test_the_operator_moves_with_enter_sees_the_total_and_saves(
    page, live_server, district_item, transactional_db
):
    page.goto(f"{live_server.url}/app/values/{district_item.pk}/2025/")
    first = page.locator("#c0_0")
    first.fill("1.000")
    first.press("Enter")  # moves down, does not submit
    assert page.evaluate("document.activeElement.id") == "c1_0"
    page.keyboard.type("234,5")
    assert page.locator("[data-total='0']").inner_text() == "1.234,5"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "c1_1"
    # The save bar is reachable without scrolling the page on a 768-pixel screen.
    box = page.locator(".grid-save button[type=submit]").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768 + 200
    page.locator(".grid-save button[type=submit]").click()
    page.wait_for_load_state()
    assert "Saved: 2 new" in page.content()
    assert Observation.objects.get(region_id="35.09.02", breakdown_key="jenis-kelamin=L").value == (
        Decimal("234.5")
    )
