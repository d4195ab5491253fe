"""Every workspace page of the menu fits a 360-pixel phone: wide tables scroll in their box."""

from __future__ import annotations

import pytest

from tests.journeys.conftest import PHONE, assert_no_horizontal_scroll, log_in, new_page

pytestmark = pytest.mark.browser


# Known and not yet fixed (issue 10): at 360 px the home page's due table is not in a
# .table-wrap (586 px), the publication filters' agency select does not shrink (678 px), and the
# agencies and users lists overflow their box (1,250 / 1,017 px). Strict: it fails once fixed,
# so the mark is taken off with the fix.
@pytest.mark.xfail(strict=True, reason="workspace pages wider than a phone (issue 10)")
@pytest.mark.parametrize("username", ["walidata", "admin", "operator.dinkes"])
def test_every_menu_page_fits_a_phone(browser, server, username):
    page = new_page(browser, server, viewport=PHONE)
    log_in(page, username)
    page.goto("/app/")
    menu = page.eval_on_selector_all(
        "nav.mainnav a[href^='/app/']", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(menu) >= 3, menu
    wide = []
    for href in ["/app/", *menu]:
        page.goto(href)
        try:
            assert_no_horizontal_scroll(page)
        except AssertionError as error:
            wide.append(str(error))
    assert wide == [], "\n".join(wide)
    page.context.close()
