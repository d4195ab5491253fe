"""The citizen's journey on a phone: search, the dataset, its chart, the CSV and the citation."""

from __future__ import annotations

import csv
from urllib.parse import urlsplit

import pytest

from tests.journeys.conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    new_page,
    shot,
)

pytestmark = pytest.mark.browser

# "kemiskinan" (poverty) is the word people type; the title says "Miskin" (poor): only the
# Indonesian stemmer (ke-...-an) joins them.
QUERY = "kemiskinan"
TITLE = "Persentase Penduduk Miskin"
AGENCY = "Badan Perencanaan Pembangunan Daerah"
# The home page of a visitor on a slow line: everything it loads, compressed as sent.
HOME_BUDGET_BYTES = 500 * 1024


def test_a_journalist_finds_the_poverty_rate_on_a_phone_and_downloads_and_cites_it(phone):
    page = phone
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, "warga-beranda")

    page.fill("#home-q", QUERY)
    page.press("#home-q", "Enter")
    page.wait_for_url("**/dataset/?q=*")
    hit = page.get_by_role("link", name=TITLE, exact=True)
    assert hit.is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, "warga-pencarian")

    hit.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(TITLE)
    # The chart is drawn (vega-embed renders SVG) beside the table with the same values.
    page.locator(".chart-box svg").first.wait_for()
    assert page.locator(".chart-box svg").count() >= 1
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, "warga-dataset", full_page=True)

    with page.expect_download() as download_info:
        page.locator("ul.downloads a", has_text="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the CSV has no rows"
    periods = {row.get("period") or row.get("periode") for row in rows}
    assert "2025" in periods, rows[0]

    citation = page.locator(".citation").inner_text()
    assert AGENCY in citation and TITLE in citation
    assert urlsplit(page.url).path in citation


def test_the_home_page_is_small_and_asks_no_other_host(browser, server):
    page = new_page(browser, server, viewport={"width": 360, "height": 740})
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto("/", wait_until="networkidle")
    hosts = {urlsplit(r.url).netloc for r in finished if not r.url.startswith("data:")}
    assert hosts == {urlsplit(server.url).netloc}
    total = 0
    for request in finished:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    page.context.close()
    assert total < HOME_BUDGET_BYTES, f"{total} bytes on first load"
