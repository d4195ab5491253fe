"""The grid in a real browser at the operator's 1366x768: keys move, totals follow, saving works."""

from __future__ import annotations

from decimal import Decimal

import pytest

from satudata.values.models import Observation
from tests.browser import DESKTOP, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, operator, monkeypatch):
    with browser_page(live_server.url, monkeypatch, user=operator, viewport=DESKTOP) as page:
        yield page


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
