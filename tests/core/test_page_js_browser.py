"""page.js on a phone: a table box that scrolls sideways can be reached with the keyboard."""

from __future__ import annotations

import pytest

from tests.browser import browser_page
from tests.factories import DataItemFactory

pytestmark = pytest.mark.browser


def test_a_sideways_scrolling_table_box_takes_the_keyboard_focus(
    live_server, monkeypatch, walidata, decree, health, transactional_db
):
    for n in range(3):
        DataItemFactory(decree=decree, agency=health, name=f"Jumlah Penduduk Miskin {n} " * 3)
    with browser_page(live_server.url, monkeypatch, user=walidata) as page:
        page.goto(f"{live_server.url}/app/items/")
        box = page.locator(".table-wrap").first
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # wide table, narrow phone
        assert box.get_attribute("tabindex") == "0"
        page.keyboard.press("Tab")
        for _ in range(60):  # tab along until the box itself has the focus
            if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.classList.contains('table-wrap')")
