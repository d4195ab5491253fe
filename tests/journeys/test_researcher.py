"""The researcher's journey: a limited dataset's request, the head's approval, the granted link."""

from __future__ import annotations

import csv
import re
import uuid

import pytest

from tests.journeys.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
    new_page,
    shot,
)

pytestmark = pytest.mark.browser

# A limited dataset of Dinas Kesehatan, whose head (kepala.dinkes) decides on its requests.
DATASET = "data-balita-stunting-menurut-nama-dan-alamat-dinkes"
HEAD = "kepala.dinkes"
PDF_LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PURPOSE = "Skripsi tentang faktor risiko stunting di Kabupaten Jember, tahun 2026."


def test_a_researcher_requests_limited_data_the_head_approves_and_the_link_works(browser, server):
    # Unique per run: the journeys share one server, so this request is found by its name.
    name = f"Ratna Peneliti {uuid.uuid4().hex[:6]}"
    researcher = new_page(browser, server, viewport=PHONE, language="en")
    page = researcher
    page.goto(f"/dataset/{DATASET}/")
    assert_accessible(page)
    page.get_by_role("link", name="Request access").click()
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, "peneliti-formulir")

    page.get_by_label("Full name").fill(name)
    page.get_by_label("Institution").fill("Universitas Jember")
    page.get_by_label("E-mail").fill("ratna@unej.example")
    page.get_by_label("Purpose of use").fill(PURPOSE)
    # The wrong file first: a text file named like a PDF is refused beside its field, and
    # what was typed stays.
    page.get_by_label("Supporting letter").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}]
    )
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    assert page.locator("[role=alert]").first.is_visible()
    assert "PDF, PNG or JPEG" in page.inner_text("main")
    assert page.get_by_label("Full name").input_value() == name
    assert page.get_by_label("Purpose of use").input_value() == PURPOSE
    assert_accessible(page)

    page.get_by_label("Supporting letter").set_input_files(
        files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": PDF_LETTER}]
    )
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/access/sent/")
    assert_accessible(page)
    shot(page, "peneliti-terkirim")

    # The head, on his phone, approves it in the workspace.
    head = new_page(browser, server, viewport=PHONE, language="en")
    log_in(head, HEAD)
    head.goto("/app/access-requests/?state=submitted")
    assert_no_horizontal_scroll(head)
    assert_accessible(head)
    head.locator("tr", has_text=name).get_by_role("link").first.click()
    head.wait_for_load_state()
    assert name in head.inner_text("main")
    assert_no_horizontal_scroll(head)
    assert_accessible(head)
    shot(head, "peneliti-persetujuan")
    mail_from = len(server.output())
    head.get_by_label("Approve").check()
    head.get_by_role("button", name="Save decision").click()
    head.wait_for_load_state()
    assert "Request approved" in head.inner_text("body")
    head.context.close()

    # The link arrives by e-mail (the console backend writes it to the server's output).
    mail = server.wait_for_output(r"To: ratna@unej\.example", after=mail_from)
    link = re.compile(re.escape(server.url) + r"/access/[A-Za-z0-9_-]{20,}/").search(
        server.output(), mail.start()
    )
    assert link, "no download link in the approval e-mail"
    page.goto(link.group(0))
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, "peneliti-tautan")
    with page.expect_download() as download_info:
        page.locator("a[href$='data.csv']").click()
    with open(download_info.value.path(), newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows, "the granted CSV has no values"
    assert {"kode", "periode", "nilai"} <= set(rows[0])
    page.context.close()


def test_a_wrong_download_link_says_so_and_gives_nothing(browser, server):
    page = new_page(browser, server, viewport=PHONE, language="en")
    response = page.goto("/access/not-a-real-token/")
    assert response.status == 404
    assert page.locator("a[href$='data.csv']").count() == 0
    assert_accessible(page)
    page.context.close()
