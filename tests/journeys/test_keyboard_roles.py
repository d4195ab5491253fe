"""The rest of the journeys with the keyboard alone: researcher, supervisor, walidata, head.

No click anywhere: every control is reached with Tab (Shift+Tab going back up to the menu),
used with Enter, Space, arrows or typing, and shows where the focus is at every stop on the way
(tab_to checks the ring). The only thing the keyboard cannot drive is a native file dialog: the
file field is reached with Tab and the file handed to it. Each journey makes its own writes,
chosen apart from the mouse journeys' on the same server: another agency's item and head, its
own report period, a researcher found by a unique name.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from satudata.demo.loader import CURRENT_YEAR
from satudata.demo.users import DEMO_PASSWORD
from tests.journeys.conftest import (
    OFFICE,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    focus_ring,
    is_focused,
    new_page,
    tab_to,
)

pytestmark = pytest.mark.browser

# The researcher: Dinas Kesehatan's limited dataset, found by searching; its head decides.
SEARCH = "stunting"
LIMITED = "data-balita-stunting-menurut-nama-dan-alamat-dinkes"
LIMITED_HEAD = "kepala.dinkes"
PDF_LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The supervisor reads the immunisation item's metadata (its MS Indikator fields).
SUPERVISOR = "bps"
ITEM_SEARCH = "imunisasi"
ITEM_NAME = "Cakupan Imunisasi Dasar Lengkap"
# The walidata publishes an open item of Bappeda (test_walidata.py takes Diskominfo's), single
# cell, not on the portal in the demo; and drafts the report of another quarter than Q3.
WALIDATA = "walidata"
BAPPEDA = "Badan Perencanaan Pembangunan Daerah"
GINI_CODE = "5.01.01.005"
GINI_SLUG = "indeks-gini-bappeda"
GINI_VALUE = "0,39"
REPORT_PERIOD = f"{CURRENT_YEAR}-Q2"
# The head of Dinas Pendidikan: Dinkes's instructions are counted by the operator's journey.
HEAD = "kepala.dispendik"
OPERATOR_NAME = "Nur Aini"
INSTRUCTED_ITEM = "1.01.01.005"


# ---------------------------------------------------------------- helpers


def follow(page: Any, selector: str, text: str = "", *, back: bool = False) -> None:
    """Tab to a link or button and press Enter: the page it leads to is loaded."""
    tab_to(page, selector, text, back=back)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab to a field and type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page: Any, selector: str, label: str) -> None:
    """Tab to a drop-down and move to the option reading `label` with the arrow keys."""
    tab_to(page, selector)
    labels, current = page.eval_on_selector(
        selector, "s => [[...s.options].map(o => o.text.trim()), s.selectedIndex]"
    )
    target = labels.index(label)
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    chosen = page.eval_on_selector(selector, "s => s.options[s.selectedIndex].text.trim()")
    assert chosen == label, f"{selector}: {chosen!r} chosen, not {label!r}"


def log_in_by_keyboard(page: Any, username: str) -> None:
    """The login page, typed: its username field has the focus, with a ring, on arrival."""
    page.goto("/app/account/login/")
    assert is_focused(page, "input[name=username]"), "the login page does not focus the username"
    assert focus_ring(page), "the username field shows no focus"
    assert_accessible(page)
    page.keyboard.type(username)
    type_into(page, "input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login/" not in page.url, f"{username} could not log in"
    assert_accessible(page)  # the role's home page


def number(text: str) -> int:
    """An integer as a page shows it ("1,039", "52")."""
    return int(re.sub(r"[^0-9]", "", text))


# ---------------------------------------------------------------- the researcher and the head


def test_a_researcher_requests_limited_data_on_a_phone_and_the_head_approves_with_the_keyboard(
    browser, server
):
    name = f"Bima Peneliti {uuid.uuid4().hex[:6]}"  # the journeys share one server
    page = new_page(browser, server, viewport=PHONE, language="en")
    page.goto("/")
    assert_accessible(page)
    type_into(page, "#home-q", SEARCH)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # The limited dataset among the results: its metadata is public, its values are not.
    follow(page, f"main a[href='/dataset/{LIMITED}/']")
    assert "Limited" in page.inner_text("main")
    assert page.locator("ul.downloads a[href$='.csv']").count() == 0
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    follow(page, "main a[href$='/request/']", "Request access")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    type_into(page, "#id_name", name)
    type_into(page, "#id_institution", "Institut Teknologi Sepuluh Nopember")
    type_into(page, "#id_email", "bima@its.example")
    type_into(page, "#id_purpose", "Tesis tentang sebaran stunting per desa di Jember.")
    tab_to(page, "input[type=file]")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": PDF_LETTER}]
    )
    follow(page, "button", "Send request")
    assert page.url.endswith("/access/sent/"), page.url
    assert_accessible(page)
    page.context.close()

    # The head, on his phone: the menu's access requests, the submitted ones, this request.
    head = new_page(browser, server, viewport=PHONE, language="en")
    log_in_by_keyboard(head, LIMITED_HEAD)
    follow(head, "header a[href='/app/access-requests/']")
    assert_accessible(head)
    choose(head, "select[name=state]", "Submitted")
    follow(head, "button", "Filter")
    assert "state=submitted" in head.url
    row = head.locator("tbody tr", has_text=name)
    assert row.count() == 1
    detail = row.locator("a").first.get_attribute("href")
    assert_no_horizontal_scroll(head)
    assert_accessible(head)
    follow(head, f"main a[href='{detail}']")
    assert name in head.inner_text("main")
    assert_no_horizontal_scroll(head)
    assert_accessible(head)

    tab_to(head, "input[name=decision]")
    head.keyboard.press("Space")  # the first choice: Approve
    assert head.locator("input[name=decision][value=approve]").is_checked()
    assert head.locator("input[name=expires_on]").input_value()  # a date is proposed
    follow(head, "button", "Save decision")
    assert "Request approved" in head.inner_text("body")
    assert "Approved" in head.inner_text("h1")
    assert_accessible(head)
    head.context.close()


# ---------------------------------------------------------------- the supervisor


def test_the_supervisor_reads_an_item_s_metadata_and_the_step_2_list_with_the_keyboard(office):
    page = office
    log_in_by_keyboard(page, SUPERVISOR)
    follow(page, "header a[href='/app/items/']")
    assert_accessible(page)
    type_into(page, "main input[name=q]", ITEM_SEARCH)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow(page, "main table a[href^='/app/items/']", ITEM_NAME)
    assert ITEM_NAME in page.locator("h1").inner_text()
    main = page.inner_text("main")
    for field in ("MS Indikator", "Calculation method / formula", "MS Variabel", "Definition"):
        assert field in main, field
    assert page.locator("main a[href$='/edit/']").count() == 0
    assert_accessible(page)

    # Back up to the menu, then to step 2's list by accessibility.
    follow(page, "header a[href='/app/step-2/']", back=True)
    # Open, limited, closed, and their total.
    counts = [number(t) for t in page.locator(".step2-counts .stat .num").all_inner_texts()]
    assert len(counts) == 4 and sum(counts[:3]) == counts[3] > 0, counts
    assert page.locator("table.step2-agencies tbody tr").count() > 0
    assert_accessible(page)


# ---------------------------------------------------------------- the walidata


def test_the_walidata_exports_step_2_publishes_now_and_drafts_the_report_with_the_keyboard(
    browser, server, office, tmp_path: Path
):
    page = office
    log_in_by_keyboard(page, WALIDATA)

    # Step 2: this year's list (next year's may be registered already), its XLSX by Enter.
    follow(page, "header a[href='/app/step-2/']")
    choose(page, "select[name=year]", str(CURRENT_YEAR))
    follow(page, "button", "Apply")
    assert f"year={CURRENT_YEAR}" in page.url
    assert_accessible(page)
    shown = {
        cls: number(page.locator(f".step2-counts .stat.{cls} .num").inner_text())
        for cls in ("open", "limited", "closed")
    }
    tab_to(page, "main a", "Download XLSX")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    workbook = tmp_path / "langkah-2.xlsx"
    info.value.save_as(workbook)
    book = openpyxl.load_workbook(workbook)
    sheets = {"open": "Terbuka", "limited": "Terbatas", "closed": "Tertutup"}
    assert {cls: book[sheet].max_row - 1 for cls, sheet in sheets.items()} == shown

    # Step 3: Bappeda's open items not on the portal; the Gini index is filled first.
    follow(page, "header a[href='/app/portal/datasets/']", back=True)
    assert_accessible(page)
    choose(page, "select[name=agency]", BAPPEDA)
    choose(page, "select[name=class]", "Open")
    choose(page, "select[name=state]", "Not published")
    follow(page, "button", "Apply")
    row = page.locator("table.ws-list tbody tr", has_text=GINI_CODE)
    assert "Not published" in row.inner_text()
    item = row.locator("input[name=items]").get_attribute("value")
    workspace = page.url

    page.goto(f"/app/values/{item}/{CURRENT_YEAR}/")
    assert_accessible(page)
    type_into(page, "#grid-form td input", GINI_VALUE)
    follow(page, "#grid-form button[type=submit]")
    assert "The item is filled" in page.locator(".messages").inner_text()

    page.goto(workspace)
    row = page.locator("table.ws-list tbody tr", has_text=GINI_CODE)
    assert row.locator("td.num").inner_text().startswith("1 /"), row.inner_text()
    tab_to(page, f"input[name=items][value='{item}']")
    page.keyboard.press("Space")
    assert row.locator("input[name=items]").is_checked()
    assert page.locator("input[name=items]:checked").count() == 1
    # No release time: public at once.
    tab_to(page, "#id_release_at", back=True)
    assert page.locator("#id_release_at").input_value() == ""
    follow(page, "button", "Publish selected")
    message = page.locator(".messages").inner_text()
    assert "1 datasets published" in message and "embargo" not in message, message
    assert_accessible(page)
    visitor = new_page(browser, server, viewport=OFFICE, language="en")
    assert visitor.goto(f"/dataset/{GINI_SLUG}/").status == 200
    assert re.search(r"0[.,]39", visitor.inner_text("main"))
    visitor.context.close()

    # Step 7: a draft report of another quarter, and her narrative saved.
    follow(page, "header a[href='/app/reports/']", back=True)
    assert_accessible(page)
    type_into(page, "main input[name=period]", REPORT_PERIOD)
    follow(page, "button", "Make draft")
    if not re.search(r"/app/reports/\d+/$", page.url):
        # A draft of the quarter already there (a second run on one server): opened from the list.
        assert "already exists: open it from the list" in page.inner_text("main")
        draft = page.locator("tbody tr", has_text=REPORT_PERIOD).filter(has_text="Draft")
        follow(page, f"main a[href='{draft.locator('a').first.get_attribute('href')}']")
    assert re.search(r"/app/reports/\d+/$", page.url), page.url
    assert "Draft" in page.locator("h1 .badge").inner_text()
    assert_accessible(page)
    narrative = (
        f"Catatan walidata {uuid.uuid4().hex[:6]}: keterisian data triwulan ini membaik.\n\n"
        "Perangkat daerah yang terlambat telah diingatkan."
    )
    tab_to(page, "textarea[name=narrative]")
    page.keyboard.press("Control+A")
    page.keyboard.type(narrative)
    follow(page, "button", "Save the narrative")
    assert "The narrative was saved." in page.inner_text("body")
    assert page.locator("textarea[name=narrative]").input_value() == narrative
    assert_accessible(page)


# ---------------------------------------------------------------- the head


def test_the_head_gives_an_instruction_on_a_phone_with_the_keyboard(browser, server):
    topic = f"Angka putus sekolah tahun ajaran ini {uuid.uuid4().hex[:6]}"
    note = "Terbitkan angka putus sekolah per jenjang di portal, paling lambat Jumat."
    page = new_page(browser, server, viewport=PHONE, language="en")
    log_in_by_keyboard(page, HEAD)
    follow(page, "header a[href='/app/publications/']")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    follow(page, "main a[href='/app/publications/new/']", "New instruction")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    choose(page, "select[name=assignee]", OPERATOR_NAME)
    type_into(page, "input[name=topic]", topic)
    # One data item: the arrows move the choice in the list.
    tab_to(page, "select[name=items]")
    codes = page.eval_on_selector("select[name=items]", "s => [...s.options].map(o => o.text)")
    position = next(i for i, label in enumerate(codes) if label.startswith(INSTRUCTED_ITEM))
    page.keyboard.press("Home")
    for _ in range(position):
        page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector(
        "select[name=items]", "s => [...s.selectedOptions].map(o => o.text)"
    )
    assert len(chosen) == 1 and chosen[0].startswith(INSTRUCTED_ITEM), chosen
    type_into(page, "textarea[name=instruction]", note)
    follow(page, "button", "Send the instruction")
    assert re.search(r"/app/publications/\d+/$", page.url), page.url
    assert f"The instruction was sent to {OPERATOR_NAME}." in page.inner_text("body")
    main = page.inner_text("main")
    assert topic in main and note in main
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.context.close()
