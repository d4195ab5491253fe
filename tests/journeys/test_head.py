"""The head of Dinas Kesehatan on her phone: instructs a publication, returns it, approves it.

Between meetings, on a 360 px phone: the head (kepala.dinkes) tells the operator to publish the
immunisation figures on the agency's website and the portal; opens the draft from a
notification, sees what changed since the last version, returns it with one comment, approves
the next version with the keyboard alone, and finds it published with the links to both posts.
The operator's part (office PC) is kept short: the draft, the revision, the posting.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tests.journeys.conftest import (
    OFFICE,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
    new_page,
    shot,
    tab_to,
)

pytestmark = pytest.mark.browser

HEAD = "kepala.dinkes"
OPERATOR = "operator.dinkes"
OPERATOR_NAME = "Rizky Ramadhan"
# The demo's Dinas Kesehatan has two channels: its website, posted by hand (a demo holds no
# real site's password), and the portal's own publications section. No network is reachable.
WEBSITE = "Situs web Dinkes"
PORTAL = "Publikasi di portal"
ITEM = "Cakupan Imunisasi Dasar Lengkap"
TOPIC = "Cakupan imunisasi dasar lengkap triwulan III 2026"
NOTE = "Terbitkan angka imunisasi triwulan III di situs web dinas dan portal, paling lambat Jumat."
TITLE_1 = "Cakupan Imunisasi Dasar Lengkap Triwulan III 2026"
TITLE_2 = "Cakupan Imunisasi Dasar Lengkap per Kecamatan, Triwulan III 2026"
BODY = (
    "Cakupan imunisasi dasar lengkap bayi di Kabupaten Jember terus dipantau per kecamatan. "
    "Data lengkap dapat diunduh di Portal Satu Data."
)
COMMENT = "Pakai grafik per kecamatan, bukan tabel."
PROOF_URL = "https://dinkes.jemberkab.go.id/berita/imunisasi-triwulan-3-2026"
# WCAG 2.2 SC 2.5.8 (Target Size, Minimum): 24 x 24 CSS pixels.
MIN_TARGET = 24
JAKARTA = ZoneInfo("Asia/Jakarta")  # the server's TIME_ZONE: the proof's time is typed in it


# ---------------------------------------------------------------- helpers


def review_notice(title: str, version: int) -> str:
    """The notification's title, in the site's language whatever language the operator uses."""
    with translation.override("id"):
        notice = translation.gettext("Publication to review: %(title)s (version %(n)s)")
    return notice % {"title": title, "n": version}


def check_head_page(page) -> None:
    """Every page the head sees on the phone: no sideways scrolling, no serious axe finding."""
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def assert_target_size(locator) -> None:
    """The control is at least 24 x 24 CSS pixels (WCAG 2.5.8), measured as laid out."""
    box = locator.bounding_box()
    assert box, "the control is not laid out"
    assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (
        f"{locator} is {box['width']:.0f} x {box['height']:.0f} px"
    )


def open_notification(page, title: str, *, screenshot: str = "") -> None:
    """The head opens the newest notification with this title (it leads to the publication)."""
    page.goto("/app/notifications/")
    check_head_page(page)
    link = page.locator("a.n-title", has_text=title).first
    assert link.is_visible()
    assert_target_size(link)
    if screenshot:
        shot(page, screenshot)
    link.click()
    page.wait_for_url(re.compile(r"/app/publications/\d+/$"))


def choose(select, text: str) -> None:
    """Select the first option of `select` whose label contains `text` (newest year first)."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(label for label in labels if text in label))


def add_block(page, *, kind: str, chart: str = "") -> None:
    """The operator adds a table or a chart of the immunisation item (its latest period)."""
    choose(page.locator("#pub-item"), ITEM)
    page.locator("#pub-kind").select_option(kind)
    if chart:
        page.locator("#pub-chart").select_option(chart)
    page.get_by_role("button", name="Add table or chart").click()


# ---------------------------------------------------------------- the journey


def test_the_head_instructs_returns_approves_and_sees_the_publication_published(browser, server):
    head = new_page(browser, server, viewport=PHONE, language="en")
    office = new_page(browser, server, viewport=OFFICE, language="en")

    # 1. The instruction, from the phone.
    log_in(head, HEAD)
    head.goto("/app/publications/")
    check_head_page(head)
    new = head.get_by_role("link", name="New instruction")
    assert_target_size(new)
    # The header's own controls, on every page, are large enough to tap too.
    assert_target_size(head.get_by_role("button", name="Log out"))
    assert_target_size(head.get_by_label("Language"))
    new.click()
    head.wait_for_url("**/app/publications/new/")
    check_head_page(head)
    shot(head, "kepala-instruksi", full_page=True)
    assert "The draft will be due on" in head.inner_text("main")
    head.get_by_label("Operator").select_option(label=OPERATOR_NAME)
    head.get_by_label("Data or topic").fill(TOPIC)
    choose(head.get_by_label("Data items (optional)"), ITEM)
    head.get_by_label(WEBSITE).check()
    head.get_by_label(PORTAL).check()
    head.get_by_label("Instruction").fill(NOTE)
    send = head.get_by_role("button", name="Send the instruction")
    assert_target_size(send)
    send.click()
    head.wait_for_url(re.compile(r"/app/publications/\d+/$"))
    pk = int(head.url.rstrip("/").rsplit("/", 1)[-1])
    detail = f"/app/publications/{pk}/"
    main = head.inner_text("main")
    assert f"The instruction was sent to {OPERATOR_NAME}." in head.inner_text("body")
    assert TOPIC in main and NOTE in main
    assert WEBSITE in main and PORTAL in main
    step_4_due = head.locator(".pub-run").first.locator("dd").nth(1).inner_text()
    assert re.fullmatch(r"\d{1,2} \w{3} 20\d\d \d\d:\d\d", step_4_due), step_4_due
    check_head_page(head)

    # It is in the operator's list, due when the head's page says.
    page = office
    log_in(page, OPERATOR)
    page.goto("/app/publications/")
    row = page.locator("tr", has=page.locator(f"a[href='{detail}']"))
    assert row.count() == 1
    assert TOPIC in row.inner_text()
    assert "Drafting" in row.inner_text() and step_4_due in row.inner_text()
    assert_accessible(page)

    # 2. The operator writes the first version (a table) and submits it.
    page.goto(f"{detail}edit/")
    assert NOTE in page.inner_text("main")
    page.get_by_label("Title").fill(TITLE_1)
    page.locator("[data-rich-area]").fill(BODY)
    add_block(page, kind="table")
    page.locator("[data-pub-list] li", has_text=f"Table: {ITEM}").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Submit to the head").click()
    page.wait_for_url(f"**{detail}")
    assert "Version 1 was submitted to the head for review." in page.inner_text("body")

    # 6. Wrong role: the operator sees no review control and the review page refuses him.
    assert "Awaiting review" in page.inner_text(".pub-head")
    assert page.get_by_role("link", name="Review the draft").count() == 0
    assert page.locator("input[name=decision]").count() == 0
    token = page.eval_on_selector("input[name=csrfmiddlewaretoken]", "e => e.value")
    answer = page.goto(f"{detail}review/")
    assert answer.status == 403
    assert "Your role does not allow this page or action." in page.inner_text("main")
    assert page.locator("input[name=decision]").count() == 0
    assert_accessible(page)
    refused = page.request.post(
        f"{detail}review/",
        form={"csrfmiddlewaretoken": token, "decision": "approve", "comment": ""},
        headers={"X-CSRFToken": token},
        max_redirects=0,
    )
    assert refused.status == 403
    assert "Not allowed" in refused.text()
    for url in ("/app/publications/999999/", "/app/publications/abc/"):
        answer = page.goto(url)
        assert answer.status == 404, url
        assert "The page you asked for does not exist." in page.inner_text("main")
        assert_accessible(page)
    page.goto(detail)
    assert "Awaiting review" in page.inner_text(".pub-head")

    # 3. The head opens the draft from the notification; version 1 is all new.
    open_notification(head, review_notice(TITLE_1, 1), screenshot="kepala-notifikasi")
    assert head.url.endswith(detail)
    assert "Awaiting review" in head.inner_text(".pub-head")
    assert TITLE_1 in head.inner_text(".pub-article")
    check_head_page(head)
    assert_target_size(head.get_by_role("link", name="Review the draft"))
    # From here on the keyboard alone: Tab, Enter, arrows, typing.
    tab_to(head, f"a[href$='{detail}review/']")
    head.keyboard.press("Enter")
    head.wait_for_url(f"**{detail}review/")
    lead = head.inner_text(".lead")
    assert "Version 1, the first" in lead and "all of it is new" in lead
    assert TITLE_1 in head.inner_text(".pub-diff")
    assert head.locator(".pub-diff ins").count() >= 1
    assert head.locator(".pub-diff del").count() == 0
    check_head_page(head)
    assert_target_size(head.get_by_role("button", name="Send the decision"))
    for choice in ("Approve", "Return for revision"):
        assert_target_size(head.locator("label", has_text=choice))
    shot(head, "kepala-tinjau", full_page=True)

    # Return without a comment: refused, the message beside the comment field, choice kept.
    tab_to(head, "[name=decision]")
    head.keyboard.press("ArrowDown")  # the second choice: Return for revision
    assert head.locator("input[name=decision][value=return]").is_checked()
    tab_to(head, "button", "Send the decision")
    with head.expect_navigation():
        head.keyboard.press("Enter")
    comment = head.get_by_label("Comment")
    assert comment.get_attribute("aria-invalid") == "true"
    error_id = next(
        i for i in (comment.get_attribute("aria-describedby") or "").split() if "error" in i
    )
    error = head.locator(f"[id='{error_id}']")
    assert "a returned draft needs a comment" in error.inner_text()
    assert head.locator("input[name=decision][value=return]").is_checked()
    check_head_page(head)

    tab_to(head, "#id_comment")
    head.keyboard.type(COMMENT)
    tab_to(head, "button", "Send the decision")
    head.keyboard.press("Enter")
    head.wait_for_url(f"**{detail}")
    assert "The draft was returned to the operator with your comment." in head.inner_text("body")
    assert COMMENT in head.inner_text(".pub-reviews")
    assert "Drafting" in head.inner_text(".pub-head")
    check_head_page(head)

    # 4. The operator reads the comment, swaps the table for the district chart, resubmits.
    page.goto(f"{detail}edit/")
    assert COMMENT in page.inner_text(".pub-returned")
    page.get_by_label("Title").fill(TITLE_2)
    page.locator("[data-pub-list] li", has_text=f"Table: {ITEM}").wait_for()
    page.get_by_role("button", name=re.compile(f"^Remove: Table: {ITEM}")).click()
    page.locator("[data-pub-list] li", has_text="No tables or charts yet.").wait_for()
    add_block(page, kind="chart", chart="bar")
    page.locator("[data-pub-list] li", has_text=f"Chart: {ITEM}").wait_for()
    page.get_by_role("button", name="Submit to the head").click()
    page.wait_for_url(f"**{detail}")
    assert "Version 2 was submitted to the head for review." in page.inner_text("body")

    # The head sees what changed since version 1, and approves with the keyboard.
    open_notification(head, review_notice(TITLE_2, 2))
    check_head_page(head)
    tab_to(head, f"a[href$='{detail}review/']")
    head.keyboard.press("Enter")
    head.wait_for_url(f"**{detail}review/")
    assert "What changed in version 2" in head.inner_text(".lead")
    assert COMMENT in head.inner_text(".pub-note")
    title_diff = head.locator(".pub-diff-field", has=head.locator("#diff-title"))
    assert "per Kecamatan" in title_diff.locator("ins").first.inner_text()
    blocks_diff = head.locator(".pub-diff-field", has=head.locator("#diff-blocks"))
    assert "changed" in blocks_diff.locator("h3").inner_text()
    assert re.search(r"table|tabel", blocks_diff.locator("del").first.inner_text(), re.I)
    assert re.search(r"chart|grafik|bar", blocks_diff.locator("ins").first.inner_text(), re.I)
    check_head_page(head)
    shot(head, "kepala-perubahan", full_page=True)

    tab_to(head, "[name=decision]")
    head.keyboard.press("Space")  # the first choice: Approve
    assert head.locator("input[name=decision][value=approve]").is_checked()
    tab_to(head, "button", "Send the decision")
    head.keyboard.press("Enter")
    head.wait_for_url(f"**{detail}")
    assert "The draft was approved" in head.inner_text("body")
    assert "Approved" in head.inner_text(".pub-head")
    check_head_page(head)

    # 5. The operator publishes: the portal at once, the website post recorded by hand.
    page.goto(detail)
    posts = page.locator("#pub-posts-section")
    with page.expect_navigation():
        posts.get_by_role("button", name="Publish now").first.click()
    assert "Posted" in page.locator("li.post", has_text=PORTAL).inner_text()
    website = page.locator("li.post", has_text=WEBSITE)
    assert "Waiting" in website.inner_text()
    website.get_by_label("Link to the post").fill(PROOF_URL)
    posted_at = dt.datetime.now(JAKARTA).replace(second=0, microsecond=0)
    website.get_by_label("Posted at").fill(posted_at.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        website.get_by_role("button", name="Record the post").click()
    assert "Published" in page.inner_text(".pub-head")
    office.context.close()

    # The head sees it published, with the links to both posts.
    head.goto(detail)
    assert "Published" in head.inner_text(".pub-head")
    links = head.locator("#pub-posts-section .post-link a")
    hrefs = links.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert PROOF_URL in hrefs
    public = next(h for h in hrefs if "/publikasi/" in h)
    check_head_page(head)
    head.goto(f"{detail}#pub-posts-section")  # the posts, where the page opens for the guide
    shot(head, "kepala-terbit")
    head.context.close()

    # Anyone sees it on the portal's publications page.
    visitor = new_page(browser, server, viewport=PHONE)
    visitor.goto("/publikasi/")
    path = public.split("://", 1)[-1].split("/", 1)[-1]
    item = visitor.locator(f"a[href='/{path}']", has_text=TITLE_2)
    assert item.count() == 1
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.context.close()
