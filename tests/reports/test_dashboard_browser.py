"""The dashboard in Chromium on a 360-pixel phone: every chart is drawn by the vendored Vega,
nothing scrolls sideways, no other host is asked. Skips where no Chromium is installed."""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from tests.reports.dashboard_world import build_world

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("SATUDATA_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture
def browser_page(live_server, monkeypatch, walidata):
    if not CHROMIUM:
        pytest.skip("no Chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    client.force_login(walidata)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE)
        context.add_cookies(
            [
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url},
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            ]
        )
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.requested = requested  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_the_charts_are_drawn_and_fit_a_phone(
    transactional_db, browser_page, live_server, decree, health, education
):
    world = build_world(decree=decree, health=health, education=education)
    page = browser_page
    page.goto(f"{live_server.url}/app/dashboard/?year={world.year}")
    boxes = page.locator(".dash-chart .chart-box")
    assert boxes.count() == 3  # by producer, by due month, by class
    page.wait_for_function(
        "document.querySelectorAll('.dash-chart .chart-box.drawn').length === 3", timeout=15000
    )
    assert page.locator(".dash-chart svg").count() == 3
    assert page.locator(".dash-chart .chart-box[data-error]").count() == 0
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "dashboard-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    others = [u for u in page.requested if not u.startswith(live_server.url)]
    assert others == []
