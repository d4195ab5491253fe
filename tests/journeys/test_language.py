"""Language: Indonesian by default; the visible switch to English is remembered across pages."""

from __future__ import annotations

import pytest

from tests.journeys.conftest import assert_accessible, shot

pytestmark = pytest.mark.browser


def test_the_switch_to_english_is_remembered_on_the_next_pages(phone):
    page = phone
    page.goto("/dataset/?q=padi")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("button", name="Cari", exact=True).is_visible()
    switch = page.get_by_label("Bahasa")
    assert switch.is_visible()
    shot(page, "bahasa")

    with page.expect_navigation():
        switch.select_option("en")
    # Back on the same page, now in English, with what was searched still there.
    assert page.locator("html").get_attribute("lang") == "en"
    assert "q=padi" in page.url
    assert page.get_by_role("button", name="Search", exact=True).is_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "en"

    # Another portal page, and the workspace's login page: still English.
    page.get_by_role("link", name="Release calendar").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)
    page.goto("/app/account/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert_accessible(page)
