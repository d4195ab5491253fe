"""The channel preview in a real browser on a 360-pixel phone: charts draw from local files.

Skips with a notice where no Chromium is installed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from satudata.publications.services import draft_save
from tests.browser import PHONE, browser_page, wait_until
from tests.publications.test_blocks_setup import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(live_server, monkeypatch, operator):
    with browser_page(live_server.url, monkeypatch, user=operator, language="id") as page:
        yield page


def test_the_preview_draws_the_charts_on_a_phone_without_sideways_scroll(
    phone, live_server, transactional_db, publication, operator, district_item, rate_item
):
    draft_save(
        actor=operator,
        publication=publication,
        title="Imunisasi naik",
        body="<p>Isi.</p>",
        blocks=[
            {"kind": "chart", "item": district_item.pk, "period": "2025", "chart": "bar"},
            {"kind": "chart", "item": rate_item.pk, "chart": "line"},
            {"kind": "table", "item": district_item.pk, "period": "2025"},
        ],
    )
    phone.goto(live_server.url + reverse("publications:preview", args=[publication.pk]))
    wait_until(phone, "document.querySelectorAll('.pub-chart-box.drawn svg').length >= 2", 15_000)
    assert phone.locator("[data-error]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []
