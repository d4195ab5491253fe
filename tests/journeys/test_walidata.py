"""The walidata's SOP at Diskominfo (office PC): the decree import, steps 1, 2, 3 and 7.

Dewi, the walidata, imports next year's SK Daftar Data from a spreadsheet (a wrong agency
refused with its rows, then fixed), runs the fill check of a quarter and reminds the agencies
behind in one click, exports the data list by accessibility, publishes a filled open item under
an embargo that lifts for every visitor at its minute and not before, and finalises the
dissemination report with her narrative. An operator is refused her pages; wrong addresses
answer a plain 404. The import and the reminders are done with the keyboard alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.conf import settings
from django.utils.text import slugify

from satudata.demo.agencies import AGENCIES
from satudata.demo.loader import CURRENT_YEAR
from satudata.demo.users import USERS
from tests.journeys.conftest import OFFICE, assert_accessible, log_in, new_page, shot, tab_to

pytestmark = pytest.mark.browser

WALIDATA = "walidata"
OPERATOR = "operator.dinkes"
# The fill check and the report look back on the quarter that ended last (the journey's Q3).
QUARTER = f"{CURRENT_YEAR}-Q3"
# Her own office: a producer too, whose new items of this year's list are not on the portal yet.
DISKOMINFO = "Dinas Komunikasi dan Informatika"
# An agency the legal office typed that the regency does not have.
NO_SUCH_AGENCY = "Dinas Statistik Daerah"
BAD_ROWS = (4, 7, 10)  # spreadsheet rows (row 1 is the header)
# The embargo needs this much time before it lifts: the visitor's checks run in it.
EMBARGO_LEAD_SECONDS = 15
NARRATIVE = (
    "Pada triwulan ini keterisian data sektoral meningkat dibanding triwulan sebelumnya.\n\n"
    "Walidata mengingatkan perangkat daerah yang terlambat agar melengkapi datanya."
)


# ---------------------------------------------------------------- helpers


def number(text: str) -> int:
    """An integer as a page shows it ("1,039", "1.039", "52")."""
    return int(re.sub(r"[^0-9]", "", text))


def cells(row: Any) -> list[str]:
    return [c.strip() for c in row.locator("td, th").all_inner_texts()]


def download(page: Any, locator: Any, folder: Path) -> Path:
    with page.expect_download() as info:
        locator.click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def wait_for_files(page: Any, *, seconds: float = 90) -> None:
    """The report's background job has finished and its files are offered.

    While the job runs the page polls its status and reloads itself when it is done; the test
    waits for that, reloading itself only if the page stopped waiting (bounded in time).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + seconds
    ready = page.locator("#report-status[data-active='0'] a[href$='/download/pdf/']")
    while True:
        try:
            ready.wait_for(timeout=3000)
            return
        except PlaywrightTimeout:
            assert time.monotonic() < deadline, "the report's files were never ready"
            assert page.locator("#report-status [role=alert]").count() == 0, page.inner_text(
                "#report-status"
            )
            if page.locator("#report-status[data-active='1']").count() == 0:
                page.reload()


def next_minute(zone: ZoneInfo, lead: int) -> dt.datetime:
    """The first minute boundary at least `lead` seconds from now (the form takes minutes)."""
    now = dt.datetime.now(zone)
    boundary = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    if (boundary - now).total_seconds() < lead:
        boundary += dt.timedelta(minutes=1)
    return boundary


# ---------------------------------------------------------------- 1. the decree


def _fill_data_list(template: Path, target: Path, rows: list[dict[str, str]]) -> None:
    """The data list on the template's first sheet, under its own header row."""
    book = openpyxl.load_workbook(template)
    sheet = book["Daftar Data"]
    header = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for r, row in enumerate(rows, start=2):
        for label, value in row.items():
            sheet.cell(row=r, column=header[label], value=value)
    book.save(target)


def _data_list(agency_of_bad_rows: str) -> list[dict[str, str]]:
    """Twelve rows of next year's list; rows BAD_ROWS name `agency_of_bad_rows`."""
    rows = []
    agencies = ("2.16.01", "1.02.01", "1.06.01")
    for n in range(2, 14):
        row = {
            "Kode": f"DD-{CURRENT_YEAR + 1}-{n - 1:03d}",
            "Nama Data": f"Data uji impor walidata nomor {n - 1}",
            "Kode Produsen Data": agency_of_bad_rows if n in BAD_ROWS else agencies[n % 3],
            "Satuan": "orang",
            "Periodisitas": "Tahunan",
            "Tingkat Penyajian": "Kabupaten",
            "Sifat Data": "Terbuka",
        }
        if n == 13:
            row["Sifat Data"] = "Terbatas"
            row["Dasar Hukum Sifat Data"] = "UU 14/2008 pasal 17 huruf h"
        rows.append(row)
    return rows


def _upload_with_keyboard(page: Any, workbook: Path) -> None:
    """Choose the file and send the form without the mouse."""
    tab_to(page, "input[type=file]")
    page.locator("input[type=file]").set_input_files(workbook)
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_walidata_imports_next_year_s_decree_refused_then_fixed(browser, server, tmp_path):
    # In Indonesian, as at her desk: the import answers a POST, which a screenshot's reload
    # would send again, so the page is taken in the guide's language at once.
    page = new_page(browser, server, viewport=OFFICE, language="id")
    log_in(page, WALIDATA)
    decree_number = f"188.45/{uuid.uuid4().hex[:6]}/1.3/{CURRENT_YEAR + 1}"
    page.goto("/app/decrees/new/")
    assert_accessible(page)
    page.locator("#id_number").fill(decree_number)
    page.locator("#id_title").fill(f"Daftar Data Statistik Sektoral Tahun {CURRENT_YEAR + 1}")
    page.locator("#id_decree_date").fill(f"{CURRENT_YEAR}-11-20")
    page.locator("#id_year").fill(str(CURRENT_YEAR + 1))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert re.search(r"/app/decrees/\d+/$", page.url), page.url
    decree_url = page.url
    assert decree_number in page.inner_text("main")
    assert_accessible(page)

    # From the decree's page to its import page, by the keyboard.
    tab_to(page, "main a[href$='/import/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/import/")
    assert_accessible(page)
    shot(page, "walidata-impor")
    tab_to(page, "main a[href$='data-list-template.xlsx']")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)

    # The legal office's file: three rows name an agency the regency does not have.
    wrong = tmp_path / "daftar-data-salah.xlsx"
    _fill_data_list(template, wrong, _data_list(NO_SUCH_AGENCY))
    _upload_with_keyboard(page, wrong)
    assert page.locator("main [role=alert]").first.is_visible()
    problems = page.locator(".import-problems tbody tr")
    assert problems.count() == len(BAD_ROWS)
    for row, expected in zip(problems.all(), BAD_ROWS, strict=True):
        found = cells(row)
        assert found[0] == str(expected)
        assert found[1] == "Kode Produsen Data"
        assert NO_SUCH_AGENCY in found[2]
    assert page.locator(".import-result").count() == 0
    assert_accessible(page)
    shot(page, "walidata-impor-ditolak")
    # Nothing was saved: the decree still has no item.
    page.goto(decree_url)
    assert number(page.locator(".stat").first.locator(".num").inner_text()) == 0
    assert_accessible(page)

    # Fixed (Diskominfo's code in those rows) and uploaded again: every row imported.
    page.goto(decree_url + "import/")
    fixed = tmp_path / "daftar-data.xlsx"
    rows = _data_list("2.16.01")
    _fill_data_list(template, fixed, rows)
    _upload_with_keyboard(page, fixed)
    summary = page.locator(".import-result")
    assert summary.is_visible()
    figures = [number(t) for t in summary.locator("td.num").all_inner_texts()]
    assert figures[:2] == [len(rows), len(rows)]  # rows in the file, items added
    assert page.locator(".import-problems").count() == 0
    assert_accessible(page)
    shot(page, "walidata-impor-selesai")
    page.goto(decree_url)
    stats = [number(t) for t in page.locator(".stat .num").all_inner_texts()[:4]]
    assert stats == [len(rows), len(rows) - 1, 1, 0]  # total, open, limited, closed
    assert_accessible(page)
    page.context.close()


# ---------------------------------------------------------------- 2. step 1


def _emails_of(agency_name: str) -> list[str]:
    """The demo staff addresses of an agency (its head and operator), as the mail lists them."""
    codes = {a.code for a in AGENCIES if a.name == agency_name}
    return sorted(f"{u.username}@jember.example" for u in USERS if u.agency_code in codes)


def test_step_1_fill_check_reminders_in_one_click_and_the_printed_list(office, server, tmp_path):
    page = office
    log_in(page, WALIDATA)
    page.goto("/app/step-1/")
    assert_accessible(page)
    page.get_by_label("Year").select_option(str(CURRENT_YEAR))
    page.get_by_label("Period").select_option(QUARTER)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert f"period={QUARTER}" in page.url
    assert f"Periods ending in {QUARTER}" in page.inner_text("main")
    assert_accessible(page)

    # By name first, then by the Overdue column: the agencies behind come first.
    table = page.locator("table.step1-agencies")
    table.get_by_role("link", name="Producer").click()
    page.wait_for_url(re.compile(r"sort=agency"))
    table.get_by_role("link", name="Overdue").click()
    page.wait_for_url(re.compile(r"sort=-overdue"))
    assert table.locator("th", has_text="Overdue").get_attribute("aria-sort") == "descending"
    rows = [cells(r) for r in table.locator("tbody tr").all()]
    overdue = [number(r[-1]) for r in rows]
    assert overdue == sorted(overdue, reverse=True)
    behind = {r[0] for r in rows if number(r[-1]) > 0}
    assert behind, "the demo has agencies behind in the quarter"
    total_overdue = number(cells(table.locator("tfoot tr"))[-1])
    assert total_overdue == sum(overdue)
    assert_accessible(page)
    shot(page, "walidata-langkah-1")

    # The official output: the XLSX of the same list, and the printed page.
    shown = number(page.locator("#list h2 .count").inner_text())
    workbook = openpyxl.load_workbook(
        download(page, page.get_by_role("link", name="Download XLSX"), tmp_path)
    )
    summary = workbook["Ringkasan"]
    assert summary["A1"].value.startswith("DAFTAR KETERISIAN DATA")
    assert summary["A3"].value == f"Periode yang berakhir dalam {QUARTER}"
    totals = next(r for r in summary.iter_rows(values_only=True) if r[1] == "Jumlah")
    assert totals[-1] == total_overdue
    assert workbook["Keterisian"].max_row - 1 == shown
    page.emulate_media(media="print")
    heading = page.locator(".print-heading")
    assert heading.is_visible()
    assert "Step 1 of the SOP" in heading.inner_text()
    assert QUARTER in heading.inner_text()
    assert not page.locator(".step1-actions").is_visible()
    assert "Dewi Lestari" in page.locator(".signature").inner_text()
    page.emulate_media(media="screen")

    # The reminder, by the keyboard alone: to the reminders of the quarter, then one button.
    tab_to(page, "main a[href*='/notifications/reminders/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"period={QUARTER}" in page.url
    assert_accessible(page)
    listed = [cells(r) for r in page.locator("table.reminders-behind tbody tr").all()]
    assert {r[0] for r in listed} == behind
    with_staff = [r[0] for r in listed if r[-1].isdigit()]
    assert with_staff, "no agency behind has an account to mail"
    shot(page, "walidata-pengingat")
    mail_from = len(server.output())
    tab_to(page, "form.reminder-send button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    status = page.locator(".messages").inner_text()
    assert re.search(rf"Reminders? sent to {len(listed)} agenc", status), status
    assert_accessible(page)
    for agency in with_staff:
        addresses = _emails_of(agency)
        assert addresses, agency
        for address in addresses:
            server.wait_for_output(rf"To: [^\n]*{re.escape(address)}", after=mail_from)
    history = page.locator("table.reminders-history tbody tr")
    assert history.count() >= len(listed)


# ---------------------------------------------------------------- 3. step 2


def test_step_2_counts_by_accessibility_match_the_exports(office, tmp_path):
    page = office
    log_in(page, WALIDATA)
    page.goto("/app/step-2/")
    assert_accessible(page)
    # Next year's list may be registered already: this year's is the one in force.
    page.get_by_label("Year").select_option(str(CURRENT_YEAR))
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert_accessible(page)
    counts = {
        cls: number(page.locator(f".step2-counts .stat.{cls} .num").inner_text())
        for cls in ("open", "limited", "closed")
    }
    total = number(page.locator(".step2-counts .stat:not(.open):not(.limited):not(.closed) .num")
                   .inner_text())  # fmt: skip
    assert sum(counts.values()) == total > 0
    foot = [number(t) for t in cells(page.locator("table.step2-agencies tfoot tr"))[1:]]
    assert foot == [counts["open"], counts["limited"], counts["closed"], total]
    shot(page, "walidata-langkah-2")

    book = openpyxl.load_workbook(
        download(page, page.get_by_role("link", name="Download XLSX"), tmp_path)
    )
    sheets = {"open": "Terbuka", "limited": "Terbatas", "closed": "Tertutup"}
    assert {cls: book[name].max_row - 1 for cls, name in sheets.items()} == counts
    summary_total = next(
        r for r in book["Ringkasan"].iter_rows(values_only=True) if r[1] == "Jumlah"
    )
    assert list(summary_total[2:6]) == [counts["open"], counts["limited"], counts["closed"], total]

    exported = download(page, page.get_by_role("link", name="Download CSV"), tmp_path)
    with exported.open(newline="", encoding="utf-8-sig") as handle:
        classes = [row["Sifat Data"] for row in csv.DictReader(handle)]
    assert {cls: classes.count(name) for cls, name in sheets.items()} == counts
    assert len(classes) == total


# ---------------------------------------------------------------- 4. step 3


def _visitor_sees(visitor: Any, *, slug: str, code: str, name: str) -> dict[str, bool]:
    """Where an anonymous visitor finds the dataset: its page, search, CKAN API, sitemap."""
    page = visitor.goto(f"/dataset/{slug}/").status == 200
    visitor.goto(f"/dataset/?q={name}")
    search = visitor.locator(f"main a[href='/dataset/{slug}/']").count() > 0
    api = visitor.request.get(f"/api/3/action/package_show?id={code}")
    answer = api.json()
    ckan = api.status == 200 and answer["success"] and answer["result"]["name"] == slug
    sitemap = f"/dataset/{slug}/" in visitor.request.get("/sitemap.xml").text()
    return {"page": page, "search": search, "api": ckan, "sitemap": sitemap}


NOWHERE = dict.fromkeys(("page", "search", "api", "sitemap"), False)
EVERYWHERE = dict.fromkeys(("page", "search", "api", "sitemap"), True)


def _filter_workspace(page: Any, **choices: str) -> None:
    page.get_by_label("Producer").select_option(label=DISKOMINFO)
    page.get_by_label("Accessibility").select_option("open")
    for label, value in choices.items():
        page.get_by_label(label).select_option(value)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()


def test_step_3_an_embargo_lifts_for_every_visitor_at_its_minute_not_before(
    browser, server, office
):
    page = office
    log_in(page, WALIDATA)
    page.goto("/app/portal/datasets/")
    assert_accessible(page)
    # Her office's open items not on the portal yet: new rows of this year's list.
    _filter_workspace(page, **{"Dataset state": "unpublished"})
    assert_accessible(page)
    row = page.locator("table.ws-list tbody tr").first
    code, name, agency = cells(row)[1:4]
    item = row.locator("input[name=items]").get_attribute("value")
    slug = slugify(f"{name} {agency}")[:100]

    # The figure of this year, typed in the item's grid: the item is now filled.
    page.goto(f"/app/values/{item}/{CURRENT_YEAR}/")
    assert_accessible(page)
    for cell in page.locator("#grid-form table.grid input").all():
        cell.fill("3,12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved:" in page.inner_text("main")
    assert_accessible(page)

    visitor = new_page(browser, server, viewport=OFFICE, language="en")
    started = time.monotonic()
    assert _visitor_sees(visitor, slug=slug, code=code, name=name) == NOWHERE
    # The checks are made again under the embargo: leave them room, however busy the machine.
    lead = max(EMBARGO_LEAD_SECONDS, int(6 * (time.monotonic() - started)) + 8)
    assert_accessible(visitor)  # the search page, without the dataset

    # Every open filled item of her office not yet released, ticked in one go, released at a
    # minute ahead: the form takes minutes (dd/mm/yyyy HH:MM), so the first whole minute at
    # least `lead` away.
    page.goto("/app/portal/datasets/")
    _filter_workspace(page, **{"Dataset state": "new"})
    assert_accessible(page)
    shot(page, "walidata-langkah-3")  # before ticking: a screenshot reloads the page
    # One such control shows: the script's button (the link is for pages without script).
    assert page.locator("[data-select-ready-link]").is_hidden()
    page.get_by_role("button", name="Select all open filled").click()
    ticked = [box.get_attribute("value") for box in page.locator("input[name=items]:checked").all()]
    assert item in ticked
    release = next_minute(ZoneInfo(settings.TIME_ZONE), lead)
    typed = release.strftime("%d/%m/%Y %H:%M")
    page.get_by_label("Release date and time (optional)").fill(typed)
    page.get_by_role("button", name="Publish selected").click()
    page.wait_for_load_state()
    message = page.locator(".messages").inner_text()
    assert f"{len(ticked)} datasets published" in message, message
    assert f"They become public on {typed}" in message, message
    # Her list of what waits for its time.
    _filter_workspace(page, **{"Dataset state": "scheduled"})
    ours = page.locator("table.ws-list tbody tr", has_text=code)
    assert "Scheduled (embargo)" in ours.inner_text()
    assert typed in ours.inner_text()
    assert_accessible(page)
    shot(page, "walidata-embargo")

    # Before its minute the visitor finds it nowhere (every answer came before the minute).
    assert _visitor_sees(visitor, slug=slug, code=code, name=name) == NOWHERE
    assert time.time() < release.timestamp(), "the checks under the embargo came too late"
    # Then its page is asked for every half second until it appears.
    last_absent = first_seen = None
    while time.time() < release.timestamp() + 30:
        asked = time.time()
        status = visitor.goto(f"/dataset/{slug}/").status
        if status == 200:
            first_seen = time.time()
            break
        assert status == 404
        last_absent = asked
        visitor.wait_for_timeout(500)
    assert first_seen is not None, "the dataset never appeared after its embargo"
    # Not before its time (the first answer showing it came after it), and right at it.
    assert first_seen >= release.timestamp()
    assert first_seen - release.timestamp() < 15
    assert last_absent is not None and last_absent > release.timestamp() - 8
    assert re.search(r"3[.,]12", visitor.inner_text("main"))
    assert_accessible(visitor)
    assert _visitor_sees(visitor, slug=slug, code=code, name=name) == EVERYWHERE
    assert_accessible(visitor)  # the search page, with the dataset
    visitor.goto("/dataset/not-a-dataset/")
    assert_accessible(visitor)  # the 404 page the visitor saw before
    visitor.context.close()

    # In her list the item's dataset is now published.
    _filter_workspace(page, **{"Dataset state": "published"})
    assert ours.locator(".ws-state-published").count() == 1


# ---------------------------------------------------------------- 5. step 7


def test_step_7_the_report_with_narrative_finalised_as_pdf_and_xlsx(office, tmp_path):
    import pypdf  # a test requirement: reads the report's PDF as text

    page = office
    log_in(page, WALIDATA)
    page.goto("/app/reports/letterhead/")
    assert_accessible(page)
    government = page.get_by_label("Government").input_value()
    office_name = page.get_by_label("Office").input_value()
    assert government and office_name

    page.goto("/app/reports/")
    assert_accessible(page)
    page.get_by_label("Period").fill(QUARTER)
    page.get_by_role("button", name="Make draft").click()
    page.wait_for_load_state()
    if not re.search(r"/app/reports/\d+/$", page.url):
        # A draft of the quarter already there (a second run on the same server): the page
        # says so, and she opens it from the list.
        assert "already exists: open it from the list" in page.inner_text("main")
        draft = page.locator("tbody tr", has_text=QUARTER).filter(has_text="Draft")
        draft.get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/app/reports/\d+/$"))
    wait_for_files(page)
    assert_accessible(page)

    page.get_by_label("Narrative").fill(NARRATIVE)
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_load_state()
    assert "The narrative was saved." in page.inner_text("body")
    wait_for_files(page)
    shot(page, "walidata-laporan")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finalise").click()
    page.wait_for_load_state()
    wait_for_files(page)
    assert page.locator("h1 .badge").inner_text() == "Final"
    assert page.locator(".checksums").is_visible()
    assert_accessible(page)
    shot(page, "walidata-laporan-final")

    pdf = download(page, page.get_by_role("link", name="Download PDF"), tmp_path)
    assert pdf.name == f"laporan-diseminasi-{QUARTER}.pdf"
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(pdf).pages)
    assert government in text
    assert office_name in text
    for paragraph in NARRATIVE.split("\n\n"):
        assert paragraph[:60] in text, paragraph

    # A figure of the screen's table, the same in the workbook (sheets in the page's order).
    first = cells(page.locator("#table-items tbody tr").first)
    book = openpyxl.load_workbook(
        download(page, page.get_by_role("link", name="Download XLSX"), tmp_path)
    )
    sheet = book.worksheets[1]
    assert sheet.cell(row=5, column=1).value == first[0]
    assert sheet.cell(row=5, column=5).value == number(first[4])


# ---------------------------------------------------------------- 6. refusals


def test_an_operator_is_refused_and_wrong_addresses_answer_404(browser, server):
    operator = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(operator, OPERATOR)
    for url in ("/app/decrees/1/import/", "/app/portal/datasets/"):
        response = operator.goto(url)
        assert response.status == 403, url
        assert operator.locator("h1").inner_text() == "Not allowed"
        assert "Your role does not allow this page" in operator.inner_text("main")
        assert_accessible(operator)
    operator.context.close()

    page = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(page, WALIDATA)
    for url in ("/app/decrees/abc/", "/app/reports/999999/"):
        response = page.goto(url)
        assert response.status == 404, url
        assert page.locator("h1").inner_text() == "Not found"
        assert_accessible(page)
    page.context.close()
