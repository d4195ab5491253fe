"""The channel preview in a real browser on a 360-pixel phone: charts draw from local files.

Skips with a notice where no Chromium is installed.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from satudata.publications.services import draft_save
from tests.factories import PASSWORD
from tests.publications.test_blocks_setup import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.browser

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(live_server, monkeypatch, operator):
    if not CHROMIUM:
        pytest.skip("no Chromium installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    assert client.login(username=operator.username, password=PASSWORD)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE)
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": live_server.url},
            ]
        )
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.requested = requested  # type: ignore[attr-defined]
        yield page
        browser.close()


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
    phone.wait_for_function(
        "document.querySelectorAll('.pub-chart-box.drawn svg').length >= 2", timeout=15_000
    )
    assert phone.locator("[data-error]").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    others = [u for u in phone.requested if not u.startswith(live_server.url)]
    assert others == []
