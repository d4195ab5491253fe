"""The draft editor in a real browser: typing saves itself, survives a reload and a conflict."""

from __future__ import annotations

import pytest

from satudata.publications.services import draft_save
from tests.browser import browser_page

pytestmark = pytest.mark.browser

SAVE_WAIT_MS = 10_000  # autosave fires 2 s after the last key; generous for a slow machine


@pytest.fixture
def page(live_server, operator, monkeypatch):
    with browser_page(live_server.url, monkeypatch, user=operator) as page:
        yield page


def test_typing_saves_itself_survives_a_reload_and_a_conflict_keeps_the_typing(
    page, live_server, operator, publication, transactional_db
):
    page.goto(f"{live_server.url}/app/publications/{publication.pk}/edit/")
    status = page.locator("[data-save-status]")
    area = page.locator("[data-rich-area]")
    assert page.locator("textarea[name=body]").is_hidden()  # the toolbar's area replaces it
    page.locator("input[name=title]").fill("Angka kematian ibu turun")
    area.click()
    page.keyboard.type("Pada 2025 angka kematian ibu ")
    page.locator("[data-rich-toolbar] button[data-cmd=bold]").click()
    page.keyboard.type("turun")
    status.filter(has_text="Saved at").wait_for(timeout=SAVE_WAIT_MS)

    publication.refresh_from_db()
    assert publication.title == "Angka kematian ibu turun"
    assert "<b>turun</b>" in publication.body
    assert publication.revision >= 1

    page.reload()
    assert page.locator("input[name=title]").input_value() == "Angka kematian ibu turun"
    assert "Pada 2025 angka kematian ibu" in area.inner_text()

    # Another tab saves meanwhile: this page's next save is refused and its text stays.
    draft_save(actor=operator, publication=publication, title="Dari tab lain")
    area.click()
    page.keyboard.press("End")
    page.keyboard.type(" sebesar 12 persen")
    status.filter(has_text="changed elsewhere").wait_for(timeout=SAVE_WAIT_MS)
    assert "sebesar 12 persen" in area.inner_text()
    assert page.locator("input[name=title]").input_value() == "Angka kematian ibu turun"
    publication.refresh_from_db()
    assert publication.title == "Dari tab lain"
