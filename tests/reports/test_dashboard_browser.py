"""The dashboard in Chromium on a 360-pixel phone: every chart is drawn by the vendored Vega,
nothing scrolls sideways, no other host is asked. Skips where no Chromium is installed."""

from __future__ import annotations

import os

import pytest

from tests.browser import PHONE, wait_until
from tests.browser import browser_page as open_page
from tests.reports.dashboard_world import build_world

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SATUDATA_SHOTS", "")  # a folder to keep screenshots in, when set


@pytest.fixture
def browser_page(live_server, monkeypatch, walidata):
    with open_page(live_server.url, monkeypatch, user=walidata, language="id") as page:
        yield page


def test_the_charts_are_drawn_and_fit_a_phone(
    transactional_db, browser_page, live_server, decree, health, education
):
    world = build_world(decree=decree, health=health, education=education)
    page = browser_page
    page.goto(f"{live_server.url}/app/dashboard/?year={world.year}")
    boxes = page.locator(".dash-chart .chart-box")
    assert boxes.count() == 3  # by producer, by due month, by class
    wait_until(
        page, "document.querySelectorAll('.dash-chart .chart-box.drawn').length === 3", 15000
    )
    assert page.locator(".dash-chart svg").count() == 3
    assert page.locator(".dash-chart .chart-box[data-error]").count() == 0
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "dashboard-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    others = [u for u in page.requested if not u.startswith(live_server.url)]
    assert others == []
