"""The operator's journey (Dinas Kesehatan, office PC): the overdue quarter, from template to grid.

He logs in, reads what is due, downloads his agency's template for the overdue quarter, fills it
offline, has the upload refused whole for one "12,5%" cell, uploads the corrected file, and types
the one value he left empty in the grid on screen. The monthly entry from a prepared spreadsheet
is counted (at most six interactions from the login page to saved), done again with the keyboard
only, and wrong files and addresses are refused clearly without changing anything.

Every test starts from the demo as `satudata demo` loads it (the journeys' shared server): the
operator's agency has one overdue item (immunisation coverage, the last quarter past due), the
head's newest instruction not yet begun, and monthly items still to fill this month.
"""

from __future__ import annotations

import csv
import io
import random
import re
from typing import Any

import openpyxl
import pytest

from satudata.demo.users import DEMO_PASSWORD
from tests.journeys.conftest import (
    OFFICE,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    focus_ring,
    is_focused,
    log_in,
    new_page,
    shot,
    tab_to,
)

pytestmark = pytest.mark.browser

OPERATOR = "operator.dinkes"
IMMUNISATION = "Cakupan Imunisasi Dasar Lengkap"  # the demo's one overdue item of Dinkes
# The head's instruction the demo gives Dinkes's operator last: not begun yet.
INSTRUCTION = "Data bulan ini untuk media sosial"
SUMBERJAMBE = "35.09.31"  # the kecamatan the operator has no figure for yet
# The monthly item left empty in the keyboard journey's file, typed in the grid instead.
PBI_ITEM = "1.02.01.018"
# An item of Dinas Sosial: Dinkes's operator may not enter its values.
OTHER_AGENCY_ITEM = "1.06.01.002"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The header block of every item sheet of the template, in its order (column A).
HEADER_LABELS = [
    "Kode Data",
    "Nama Data",
    "Satuan",
    "Definisi",
    "Periode",
    "Tingkat Penyajian",
    "Rincian",
    "Status",
    "Sumber",
]
MAX_INTERACTIONS = 6  # from the login page to the values saved (JOURNEYS.md: short, obvious)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


# ---------------------------------------------------------------- the spreadsheet, offline


class ItemSheet:
    """One item's sheet of the template as openpyxl reads it: header block, table, regions."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.labels = [ws.cell(row=r, column=1).value for r in range(1, len(HEADER_LABELS) + 1)]
        self.info = {
            label: ws.cell(row=r, column=2).value or ""
            for r, label in enumerate(HEADER_LABELS, start=1)
        }
        self.head_row = next(
            r for r in range(1, 41) if ws.cell(row=r, column=1).value == "Kode Wilayah"
        )
        self.columns = [
            c
            for c in range(3, ws.max_column + 1)
            if ws.cell(row=self.head_row - 1, column=c).value  # the hidden key row above
        ]
        first = self.head_row + 1
        while not str(ws.cell(row=first, column=1).value or "").startswith("35.09"):
            first += 1  # a second header row (two breakdowns)
        self.rows = {
            str(ws.cell(row=r, column=1).value): r
            for r in range(first, ws.max_row + 1)
            if ws.cell(row=r, column=1).value
        }

    def category(self, column: int) -> str:
        return str(self.ws.cell(row=self.head_row, column=column).value)

    def empty_cells(self) -> list[tuple[int, int]]:
        return [
            (row, column)
            for row in self.rows.values()
            for column in self.columns
            if self.ws.cell(row=row, column=column).value in (None, "")
        ]


def read_template(data: bytes) -> tuple[Any, dict[str, ItemSheet]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    items = {
        ws.title: ItemSheet(ws)
        for ws in book.worksheets
        if ws.sheet_state == "visible" and ws.title != "Petunjuk"
    }
    return book, items


def fill_counts(items: dict[str, ItemSheet], *, seed: int, skip: str = "") -> int:
    """Type counts in every empty cell (all sheets but `skip`); how many were typed."""
    rng = random.Random(seed)
    typed = 0
    for code, sheet in items.items():
        if code == skip:
            continue
        for row, column in sheet.empty_cells():
            # A regency total is large; a village's count of cases or people is small.
            value = rng.randint(20_000, 450_000) if len(sheet.rows) == 1 else rng.randint(0, 60)
            sheet.ws.cell(row=row, column=column).value = value
            typed += 1
    return typed


def saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def indonesian(value: float) -> str:
    """A one-decimal percentage as the grid shows it (87.3 -> "87,3")."""
    return repr(value).replace(".", ",")


# ---------------------------------------------------------------- the pages


def download_template(page: Any, period: str, *, period_label: str, button: str) -> bytes:
    """On the upload page: type the period, download the XLSX template, return its bytes."""
    page.get_by_label(period_label).fill(period)
    with page.expect_download() as download:
        page.get_by_role("button", name=button, exact=True).click()
    with open(download.value.path(), "rb") as handle:
        return handle.read()


def upload(page: Any, data: bytes, *, name: str, label: str, button: str, mime: str = XLSX):
    page.get_by_label(label).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def grid_values(page: Any) -> list[str]:
    return page.locator("#grid-form td input").evaluate_all("els => els.map(e => e.value)")


def home_due(page: Any) -> tuple[int, int, int]:
    """(items due this month, of them filled, overdue) from the Indonesian home page."""
    text = page.locator(".home-due .due-summary").inner_text()
    found = re.search(
        r"(\d+) data jatuh tempo bulan ini(?: \((\d+) terisi\))?, (\d+) lewat jatuh tempo", text
    )
    assert found, text
    return int(found[1]), int(found[2] or 0), int(found[3])


def monthly_periods(page: Any) -> list[str]:
    """The monthly periods in the home page's "due in the next 60 days" list, oldest first."""
    texts = page.locator(".home-due table.due-upcoming tbody td:nth-child(3)").all_inner_texts()
    return sorted({t.strip() for t in texts if re.fullmatch(r"\d{4}-\d{2}", t.strip())})


def immunisation(page: Any) -> tuple[str, str]:
    """The immunisation item's id and this year, from the entry page's list of items."""
    page.goto("/app/values/?periodicity=quarterly")
    link = page.locator("table.vh-items tbody tr", has_text=IMMUNISATION).locator("a").first
    found = re.fullmatch(r"/app/values/(\d+)/(\d{4})-Q1/", link.get_attribute("href") or "")
    assert found, "the immunisation item is not among the operator's items"
    return found[1], found[2]


# ---------------------------------------------------------------- the journey


def test_the_operator_fills_the_overdue_quarter_from_the_template_then_in_the_grid(browser, server):
    # In Indonesian, as the operator reads it (and as the guide's screenshots show it).
    page = new_page(browser, server, viewport=OFFICE)
    log_in(page, OPERATOR)

    # 1. Home: what falls due this month, the one overdue item, the head's instruction.
    due_now, done, overdue = home_due(page)
    assert (due_now - done, overdue) == (4, 1)
    late = page.locator(".home-due table.due-overdue tbody tr")
    assert late.count() == 1
    assert IMMUNISATION in late.inner_text()
    period = late.locator("td").nth(2).inner_text().strip()
    assert re.fullmatch(r"\d{4}-Q[1-4]", period), period
    assert late.locator("td").nth(5).inner_text().startswith("0/")
    grid_url = late.get_by_role("link", name="Isi", exact=True).get_attribute("href")
    waiting = page.locator(".home-publications .pub-waiting")
    assert INSTRUCTION in waiting.inner_text()
    assert_accessible(page)
    shot(page, "operator-beranda")
    page.locator(".home-due").evaluate("section => section.scrollIntoView()")
    shot(page, "operator-jatuh-tempo")

    # 2. The template of the quarter, from the upload page the home page links to.
    page.get_by_role("link", name="Unggah nilai dari lembar kerja").click()
    page.wait_for_url("**/app/values/upload/")
    assert_accessible(page)
    page.get_by_label("Periode").fill(period)
    shot(page, "operator-templat")
    template = download_template(page, period, period_label="Periode", button="Unduh")
    # The quarter's items of his agency, as the entry page lists them (it links back).
    page.goto(f"/app/values/?periodicity=quarterly&year={period[:4]}")
    codes = page.locator("table.vh-items tbody tr td:first-child").all_inner_texts()
    assert len(codes) >= 2
    assert_accessible(page)
    page.get_by_role("link", name="Unggah nilai dari lembar kerja").click()
    page.wait_for_url("**/app/values/upload/")
    book, items = read_template(template)
    assert book.sheetnames[0] == "Petunjuk"
    assert sorted(items) == sorted(codes), "one sheet per item of the quarter"
    for code, sheet in items.items():
        assert sheet.labels == HEADER_LABELS, code
        assert (sheet.info["Kode Data"], sheet.info["Periode"]) == (code, period)
        assert sheet.info["Nama Data"] and sheet.info["Satuan"], code
        assert sheet.ws.cell(row=sheet.head_row, column=2).value == "Nama Wilayah"
    code = next(c for c, s in items.items() if s.info["Nama Data"] == IMMUNISATION)
    sheet = items[code]
    assert sheet.info["Satuan"] == "persen"
    assert sheet.info["Definisi"].startswith("Persentase anak")
    assert sheet.info["Tingkat Penyajian"] == "Kecamatan"
    assert [sheet.category(c) for c in sheet.columns] == ["Laki-laki", "Perempuan"]
    assert len(sheet.rows) == 31 and SUMBERJAMBE in sheet.rows  # kecamatan down the side
    assert len(sheet.empty_cells()) == 62  # nothing of the quarter entered yet

    # 3. Filled offline: coverage by kecamatan and sex, Sumberjambe's girls not known yet,
    # and one cell typed as the report had it, "12,5%" (row 17 in Excel's numbering).
    rng = random.Random(2026)
    typed: dict[tuple[int, int], float] = {}
    for region, row in sheet.rows.items():
        for column in sheet.columns:
            if region == SUMBERJAMBE and sheet.category(column) == "Perempuan":
                continue
            value = round(rng.uniform(82, 99), 1)
            value = value + 0.3 if value == int(value) else value
            typed[(row, column)] = value
            sheet.ws.cell(row=row, column=column).value = value
    bad_row, bad_column = 17, sheet.columns[0]
    assert bad_row in sheet.rows.values()
    sheet.ws.cell(row=bad_row, column=bad_column).value = "12,5%"
    filename = f"nilai-1.02.01-{period}.xlsx"
    upload(
        page,
        saved(book),
        name=filename,
        label="Templat yang sudah diisi (XLSX atau CSV)",
        button="Unggah",
    )
    problems = page.locator(".import-problems tbody tr")
    assert problems.count() == 1
    assert problems.first.locator("td").all_inner_texts() == [
        code,
        "17",
        "C",
        '"12,5%" adalah teks, bukan angka: ketik 12,5 tanpa tanda %.',
    ]
    assert "Tidak ada yang disimpan" in page.locator(".errorbox[role=alert]").inner_text()
    assert page.locator(".import-result").count() == 0
    assert_accessible(page)
    shot(page, "operator-ditolak")
    page.goto(grid_url)
    assert set(grid_values(page)) == {""}, "a refused file saved something"
    assert_accessible(page)

    # 4. Corrected and uploaded again: the summary says what was saved and what is missing.
    sheet.ws.cell(row=bad_row, column=bad_column).value = 12.5
    typed[(bad_row, bad_column)] = 12.5
    page.goto("/app/values/upload/")
    upload(
        page,
        saved(book),
        name=filename,
        label="Templat yang sudah diisi (XLSX atau CSV)",
        button="Unggah",
    )
    result = page.locator(".import-result")
    assert result.locator(".upload-summary-text").inner_text() == (
        f"61 sel disimpan, {len(items) - 1} data kini lengkap, "
        "1 masih terisi sebagian (Sumberjambe belum terisi)"
    )
    line = result.locator("tbody tr", has_text=code)
    assert line.locator("td").nth(3).inner_text() == "61 / 62"
    assert line.locator("td").nth(4).inner_text() == "Terisi sebagian"
    assert line.locator("td").nth(5).inner_text() == "Sumberjambe"
    assert_accessible(page)
    shot(page, "operator-ringkasan")

    # 5. The missing cell typed in the grid, the Indonesian way; the item turns filled.
    line.get_by_role("link", name=code).click()
    page.wait_for_url(f"**{grid_url}")
    # The uploaded values are shown back the Indonesian way (87.3 written by openpyxl: "87,3").
    first_row = min(sheet.rows.values())
    first_cell = page.get_by_label(f"{sheet.ws.cell(row=first_row, column=2).value} Laki-laki")
    assert first_cell.input_value() == indonesian(typed[(first_row, sheet.columns[0])])
    cell = page.get_by_label("Sumberjambe Perempuan", exact=True)
    assert cell.input_value() == ""
    cell.fill("91,75")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_load_state()
    message = page.locator(".messages").inner_text()
    assert re.search(r"Data telah terisi(, terlambat \d+ hari)? \(jatuh tempo", message), message
    status = page.locator(".grid-head dd", has_text="62/62")
    assert re.match(r"Terisi( terlambat)? 62/62", status.inner_text())
    assert page.get_by_label("Sumberjambe Perempuan", exact=True).input_value() == "91,75"
    assert first_cell.input_value() == indonesian(typed[(first_row, sheet.columns[0])])
    assert_accessible(page)
    shot(page, "operator-grid")
    page.context.close()


class Counted:
    """The page, with its interactions counted.

    The counting rule: every fill of a field, every click, every file chosen, every option
    selected and every key pressed is one interaction. Opening the login page (the bookmark)
    is where the count starts; waiting and reading are free.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def fill(self, locator: Any, text: str) -> None:
        locator.fill(text)
        self.count += 1

    def click(self, locator: Any) -> None:
        locator.click()
        self.count += 1

    def choose_file(self, locator: Any, name: str, data: bytes) -> None:
        locator.set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
        self.count += 1


def test_the_monthly_entry_from_a_prepared_spreadsheet_takes_at_most_six_interactions(
    browser, server, office
):
    # The spreadsheet prepared beforehand: last month's template, every empty cell filled.
    prepare = new_page(browser, server, viewport=OFFICE, language="en")
    log_in(prepare, OPERATOR)
    month = monthly_periods(prepare)[0]
    prepare.goto("/app/values/upload/")
    template = download_template(prepare, month, period_label="Period", button="Download")
    prepare.context.close()
    book, items = read_template(template)
    typed = fill_counts(items, seed=10)
    assert typed > 0, f"the demo left nothing of {month} to fill"

    page = Counted(office)
    office.goto("/app/account/login/")
    assert_accessible(office)
    page.fill(office.get_by_label("Username"), OPERATOR)
    page.fill(office.get_by_label("Password"), DEMO_PASSWORD)
    page.click(office.get_by_role("button", name="Log in"))
    assert_accessible(office)  # the home page (reading it is no interaction)
    page.click(office.get_by_role("link", name="Upload values from a spreadsheet"))
    page.choose_file(
        office.get_by_label("Filled template (XLSX or CSV)"), f"{month}.xlsx", saved(book)
    )
    page.click(office.get_by_role("button", name="Upload", exact=True))
    summary = office.locator(".import-result .upload-summary-text").inner_text()
    assert summary == f"{typed} cells saved, {len(items)} items now complete", summary
    assert page.count <= MAX_INTERACTIONS, f"{page.count} interactions from login to saved"
    assert_accessible(office)


# ---------------------------------------------------------------- keyboard only


def test_the_operator_uploads_and_corrects_with_the_keyboard_only(browser, server):
    page = new_page(browser, server, viewport=OFFICE, language="en")
    keys = page.keyboard
    # Listening from the start: Playwright then takes over file dialogs before any key opens
    # one (expect_file_chooser, armed just before the key, can lose that race).
    choosers: list[Any] = []
    page.on("filechooser", lambda chooser: choosers.append(chooser))
    page.goto("/app/account/login/")
    assert is_focused(page, "input[name=username]"), "the login page does not focus the username"
    assert focus_ring(page), "the username field shows no focus"
    keys.type(OPERATOR)
    tab_to(page, "input[name=password]")
    keys.type(DEMO_PASSWORD)
    with page.expect_navigation():
        keys.press("Enter")
    # This month's template: the counted journey fills last month's, so the two never meet.
    month = monthly_periods(page)[-1]
    assert_accessible(page)
    tab_to(page, ".due-actions a", "Upload values from a spreadsheet")
    with page.expect_navigation():
        keys.press("Enter")
    assert_accessible(page)

    # The template of the month: period typed, downloaded with Enter on the button.
    tab_to(page, "input[name=period]")
    keys.type(month)
    tab_to(page, "button", "Download")
    with page.expect_download() as download:
        keys.press("Enter")
    with open(download.value.path(), "rb") as handle:
        book, items = read_template(handle.read())
    typed = fill_counts(items, seed=11, skip=PBI_ITEM)
    assert PBI_ITEM in items and typed > 0

    # Back up to the file field: Space opens the file chooser, as it does for a person.
    tab_to(page, "input[type=file]", back=True)
    keys.press("Space")
    for _ in range(50):
        if choosers:
            break
        page.wait_for_timeout(100)
    assert choosers, "Space on the file field opened no file chooser"
    choosers[0].set_files(files=[{"name": "bulan.xlsx", "mimeType": XLSX, "buffer": saved(book)}])
    tab_to(page, "button", "Upload")
    with page.expect_navigation():
        keys.press("Enter")
    summary = page.locator(".import-result .upload-summary-text").inner_text()
    assert summary.startswith(f"{typed} cells saved"), summary
    assert "1 still empty" in summary
    assert_accessible(page)

    # The empty item's grid from the summary, its one cell typed, saved with Enter on Save.
    tab_to(page, ".import-result a", PBI_ITEM)
    with page.expect_navigation():
        keys.press("Enter")
    assert_accessible(page)
    tab_to(page, "#grid-form td input")
    keys.type("412.508")
    tab_to(page, "#grid-form select")
    tab_to(page, "#grid-form button[type=submit]")
    with page.expect_navigation():
        keys.press("Enter")
    assert "The item is filled" in page.locator(".messages").inner_text()
    assert grid_values(page) == ["412.508"]
    assert_accessible(page)
    page.context.close()


# ---------------------------------------------------------------- wrong files and addresses


def test_wrong_files_and_addresses_are_refused_clearly_and_change_nothing(browser, server, office):
    page = office
    log_in(page, OPERATOR)
    item_pk, year = immunisation(page)
    next_quarter = f"/app/values/{item_pk}/{year}-Q4/"
    page.goto(next_quarter)
    before = grid_values(page)
    assert before and set(before) == {""}

    # A picture instead of the spreadsheet.
    page.goto("/app/values/upload/")
    label, button = "Filled template (XLSX or CSV)", "Upload"
    upload(page, PNG, name="nilai.png", label=label, button=button, mime="image/png")
    error = page.locator(".field-error[role=alert]").inner_text()
    assert "not a spreadsheet this page reads" in error and ".xlsx" in error
    assert page.locator(".import-result").count() == 0
    assert_accessible(page)

    # A CSV with one good row of his own, and one of another agency's item: refused whole.
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["kode_data", "periode", "kode_wilayah", "nama_wilayah", "rincian", "nilai"])
    writer.writerow(
        ["1.02.01.004", f"{year}-Q4", "35.09.01", "Jombang", "jenis-kelamin=Laki-laki", "88,5"]
    )
    writer.writerow([OTHER_AGENCY_ITEM, f"{year}-Q4", "35.09.01", "Jombang", "", "1.234"])
    upload(
        page,
        rows.getvalue().encode(),
        name="nilai.csv",
        label=label,
        button=button,
        mime="text/csv",
    )
    problem = page.locator(".import-problems tbody tr")
    assert problem.count() == 1
    assert problem.locator("td").all_inner_texts()[:2] == ["3", "kode_data"]
    assert "belongs to Dinas Sosial" in problem.inner_text()
    assert "Nothing was saved" in page.locator(".errorbox[role=alert]").inner_text()
    assert_accessible(page)
    page.goto(next_quarter)
    assert grid_values(page) == before, "a refused file saved its good row"

    # Addresses typed wrong: a clear 400 or 404 page, never a server error.
    response = page.goto("/app/values/upload/?period=xyz")
    assert response.status == 400
    assert "Type a period like 2025" in page.locator(".field-error").inner_text()
    assert_accessible(page)
    for url in (
        f"/app/values/99999999/{year}-Q3/",  # no such item
        f"/app/values/{item_pk}/{year}-Q9/",  # no such quarter
        f"/app/values/template/1/{year}-Q3.pdf",  # no such format (nor his agency)
    ):
        response = page.goto(url)
        assert response.status == 404, url
        assert page.get_by_role("heading", name="Not found").is_visible(), url
        assert_accessible(page)


def test_the_upload_and_grid_pages_fit_a_phone(browser, server):
    page = new_page(browser, server, viewport=PHONE)
    log_in(page, OPERATOR)
    item_pk, year = immunisation(page)
    page.goto("/app/values/upload/")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    # A refusal's table of errors fits too (it scrolls inside its own box when wide).
    rows = (
        "kode_data,periode,kode_wilayah,rincian,nilai\n"
        f'1.02.01.004,{year}-Q4,35.09.01,jenis-kelamin=Laki-laki,"12,5%"\n'
    )
    upload(
        page,
        rows.encode(),
        name="nilai.csv",
        label="Templat yang sudah diisi (XLSX atau CSV)",
        button="Unggah",
        mime="text/csv",
    )
    assert page.locator(".import-problems").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.goto(f"/app/values/{item_pk}/{year}-Q3/")
    assert page.locator("#grid-form td input").count() == 62
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.context.close()
