"""The citizen's journey with the keyboard alone, on a phone: search, dataset, CSV, citation.

The same steps as test_citizen.py, with no click at all: every control is reached with Tab,
used with Enter or typing, and shows where the focus is on every stop along the way.
"""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

import pytest

from tests.browser import wait_until
from tests.journeys.conftest import assert_accessible, assert_no_horizontal_scroll, tab_to

pytestmark = pytest.mark.browser

QUERY = "kemiskinan"
TITLE = "Persentase Penduduk Miskin"
AGENCY = "Badan Perencanaan Pembangunan Daerah"


def test_a_journalist_searches_downloads_and_copies_the_citation_with_the_keyboard_alone(phone):
    page = phone
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    assert_accessible(page)

    tab_to(page, "#home-q", stops=30)
    page.keyboard.type(QUERY)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dataset/?q=*")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    tab_to(page, "main a", TITLE, stops=60)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text().startswith(TITLE)
    assert_accessible(page)

    # The CSV, from the downloads list.
    tab_to(page, "ul.downloads a[href$='.csv']")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the CSV has no rows"

    # The citation's copy button: Enter puts the citation on the clipboard and says so.
    citation = " ".join(page.locator(".citation").inner_text().split())
    assert AGENCY in citation and TITLE in citation
    assert urlsplit(page.url).path in citation
    tab_to(page, "[data-action=copy]")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('.copy-line [role=status]').textContent !== ''")
    assert page.evaluate("() => navigator.clipboard.readText()") == citation
    assert_accessible(page)
