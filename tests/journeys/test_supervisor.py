"""The supervisor's visit (BPS): he reads everything the SOP shows him and can change nothing."""

from __future__ import annotations

import re

import pytest

from tests.journeys.conftest import assert_accessible, log_in, shot

pytestmark = pytest.mark.browser

SUPERVISOR = "bps"
# The two forms every workspace page has, which are no write to the product's data.
SITE_FORMS = ("/i18n/setlang/", "/app/account/logout/")
# Where a link would lead to a change: creating, editing, importing, deciding, publishing...
WRITE_LINK = re.compile(
    r"/(new|edit|import|upload|decide|review|cancel|publish|withdraw|close|revise|generate|"
    r"finalise|narrative|letterhead|retry|instruct)/"
)
# The menu pages he opens, and from some of them the first row's page.
MENU = (
    ("/app/", None),
    ("/app/items/", "main table a[href^='/app/items/']"),
    ("/app/decrees/", "main a[href^='/app/decrees/'][href$='/']:not([href='/app/decrees/'])"),
    ("/app/step-1/", None),
    ("/app/step-2/", None),
    ("/app/publications/", "main a[href^='/app/publications/'][href$='/']"),
    ("/app/cycles/", "main a[href^='/app/cycles/'][href$='/']:not([href='/app/cycles/'])"),
    ("/app/dashboard/", None),
    ("/app/reports/", None),
)
# A sample of the product's write addresses (ids from the demo: the first rows of each).
WRITE_URLS = (
    "/app/items/new/",
    "/app/decrees/new/",
    "/app/decrees/1/import/",
    "/app/values/upload/",
    "/app/publications/new/",
    "/app/publications/1/review/",
    "/app/publications/1/cancel/",
    "/app/access-requests/1/decide/",
    "/app/portal/datasets/publish/",
    "/app/cycles/1/close/",
    "/app/sop/revise/",
    "/app/reports/letterhead/",
    "/app/account/agencies/new/",
    "/app/account/users/new/",
)


def write_controls(page) -> list[str]:
    """The controls on the page that would change data: write forms and links to write pages."""
    forms = page.eval_on_selector_all(
        "form[method=post], form[method=POST]",
        """(forms, site) => forms
            .filter(f => !site.includes(f.getAttribute('action')))
            .filter(f => f.querySelector(
                'button, input[type=submit], input:not([type=hidden]), textarea, select'))
            .map(f => 'form ' + (f.getAttribute('action') || f.id || '(this page)'))""",
        list(SITE_FORMS),
    )
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    links = [f"link {href}" for href in hrefs if WRITE_LINK.search(href)]
    return forms + links


def test_the_supervisor_reads_every_page_and_finds_no_write_control(office):
    page = office
    log_in(page, SUPERVISOR)
    visited = []
    for url, first_row in MENU:
        page.goto(url)
        visited.append(page.url)
        if url == "/app/step-2/":
            shot(page, "pembina-langkah-2")
        assert write_controls(page) == [], page.url
        assert_accessible(page)
        if first_row and page.locator(first_row).count():
            page.locator(first_row).first.click()
            page.wait_for_load_state()
            visited.append(page.url)
            assert write_controls(page) == [], page.url
            assert_accessible(page)
    assert len(visited) >= 12
    # He reads values too: the grid of an open item shows them, with no input and no save.
    page.goto("/app/items/")
    page.locator("main table a[href^='/app/items/']").first.click()
    page.wait_for_load_state()
    shot(page, "pembina-data")
    item = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"/app/values/{item}/2025/")
    assert page.locator("#grid-form td.num").count() > 0
    assert page.locator("#grid-form input, #grid-form button").count() == 0
    assert write_controls(page) == []
    assert_accessible(page)


def test_the_supervisor_s_writes_are_refused(office):
    page = office
    log_in(page, SUPERVISOR)
    page.goto("/app/")
    token = page.eval_on_selector("input[name=csrfmiddlewaretoken]", "e => e.value")

    def post(url: str) -> int:
        response = page.request.post(
            url,
            form={"csrfmiddlewaretoken": token, "name": "x"},
            headers={"X-CSRFToken": token},
            max_redirects=0,
        )
        return response.status

    # The same token passes where he may post (his language), so a 403 below is the refusal
    # of the write itself, not of the CSRF check.
    assert post("/i18n/setlang/") in (204, 302)
    refused = {url: post(url) for url in WRITE_URLS}
    assert refused == dict.fromkeys(WRITE_URLS, 403)
