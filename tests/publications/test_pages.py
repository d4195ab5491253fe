"""Steps 4-5 through the pages: instruction, list, detail, review and diff, cancel; who sees what.

The drafting itself goes through the services (the editor is another part of the workspace).
"""

from __future__ import annotations

import re

import pytest

from satudata.audit.models import AuditEntry
from satudata.publications.choices import ChannelKind, PublicationState
from satudata.publications.models import Channel, Publication, Review
from satudata.publications.services import draft_save, draft_submit, publication_instruct


def _field_error(page: str, name: str) -> str:
    """The field block (label, input, error) holding the input `name`, if it shows an error."""
    at = page.index(f'name="{name}"')
    start = page.rfind('<div class="field', 0, at)
    after = re.search(r'<div class="field[ "]|</form>', page[at:])
    block = page[start : at + after.start()] if after else page[start:]
    return block if "has-error" in block else ""


def _write_and_submit(publication, operator, **fields):
    draft_save(actor=operator, publication=publication, **fields)
    return draft_submit(actor=operator, publication=publication)


# --- The instruction (step 4's input) -----------------------------------------------------------


def test_the_instruction_page_shows_the_due_date_from_the_sops_standard_time(login, head):
    page = login(head, language="en").get("/app/publications/new/").content.decode()
    assert "The draft will be due on" in page
    assert "5 working days" in page


def test_the_head_instructs_his_operator_and_lands_on_the_publication(
    login, head, operator, agency
):
    channel = Channel.objects.create(agency=agency, kind=ChannelKind.INSTAGRAM, name="IG Dinkes")
    client = login(head, language="en")
    response = client.post(
        "/app/publications/new/",
        {
            "assignee": operator.pk,
            "topic": "Cakupan imunisasi 2025",
            "instruction": "Pakai grafik per kecamatan.",
            "channels": [channel.pk],
        },
    )
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/app/publications/{publication.pk}/"
    assert (publication.assignee, publication.instructed_by) == (operator, head)
    assert list(publication.channels.all()) == [channel]
    page = client.get(response["Location"]).content.decode()
    assert "Cakupan imunisasi 2025" in page and "Pakai grafik per kecamatan." in page
    assert "IG Dinkes" in page


def test_without_a_channel_chosen_the_publication_goes_to_the_portal(login, head, operator):
    login(head).post("/app/publications/new/", {"assignee": operator.pk, "topic": "AKI 2025"})
    publication = Publication.objects.get()
    assert [c.kind for c in publication.channels.all()] == [ChannelKind.PORTAL]


def test_a_form_error_keeps_what_was_typed(login, head, operator):
    response = login(head, language="en").post(
        "/app/publications/new/",
        {"assignee": operator.pk, "topic": "", "instruction": "Tulis tentang imunisasi dasar."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Publication.objects.exists()
    assert "Tulis tentang imunisasi dasar." in page
    assert "This field is required." in _field_error(page, "topic")
    assert f'value="{operator.pk}" selected' in page


def test_an_operator_of_another_agency_cannot_be_chosen(login, head, other_operator):
    response = login(head, language="en").post(
        "/app/publications/new/", {"assignee": other_operator.pk, "topic": "AKI"}
    )
    assert response.status_code == 200
    assert not Publication.objects.exists()
    assert "Select a valid choice" in _field_error(response.content.decode(), "assignee")


# --- The list ------------------------------------------------------------------------------------


def test_producers_list_their_agency_and_walidata_lists_all_with_filters(
    login, publication, head, other_head, other_operator, other_agency, walidata
):
    theirs = publication_instruct(
        actor=other_head, agency=other_agency, assignee=other_operator, topic="Angka putus sekolah"
    )
    mine = login(head, language="en").get("/app/publications/").content.decode()
    assert "Angka kematian ibu 2025" in mine and "Angka putus sekolah" not in mine
    assert "New instruction" in mine
    assert "Step 4" in mine and "on time" in mine
    everything = login(walidata, language="en").get("/app/publications/")
    assert {publication, theirs} <= set(everything.context["rows"])
    assert "New instruction" not in everything.content.decode()
    filtered = login(walidata).get(f"/app/publications/?agency={other_agency.pk}")
    assert list(filtered.context["rows"]) == [theirs]
    by_state = login(walidata).get("/app/publications/?state=submitted")
    assert list(by_state.context["rows"]) == []


def test_a_producer_cannot_widen_the_list_to_another_agency(
    login, publication, other_operator, agency
):
    response = login(other_operator).get(f"/app/publications/?agency={agency.pk}")
    assert list(response.context["rows"]) == []


def test_the_list_flags_a_late_step(login, head, publication):
    publication.steps.update(due_at=publication.instructed_at.replace(year=2020))
    page = login(head, language="en").get("/app/publications/").content.decode()
    assert 'class="is-late"' in page and "late" in page


# --- The whole path through the pages ------------------------------------------------------------


def test_instruct_draft_submit_return_resubmit_diff_approve(login, head, operator):
    head_client = login(head, language="en")
    head_client.post("/app/publications/new/", {"assignee": operator.pk, "topic": "AKI 2025"})
    publication = Publication.objects.get()
    url = f"/app/publications/{publication.pk}/"

    page = login(operator, language="en").get(url).content.decode()
    assert "Edit draft" in page and f"{url}edit/" in page
    assert f"{url}review/" not in page

    _write_and_submit(
        publication,
        operator,
        title="Angka kematian ibu turun",
        body="<p>AKI turun menjadi 80 per 100.000 kelahiran.</p>",
    )
    page = head_client.get(url).content.decode()
    assert f'href="{url}review/"' in page and "Edit draft" not in page
    review = head_client.get(f"{url}review/").content.decode()
    assert "the first" in review and "<ins>" in review

    # Returning without a comment is refused next to the comment field, nothing decided.
    refused = head_client.post(f"{url}review/", {"decision": "return", "comment": ""})
    assert refused.status_code == 400
    assert "returned draft needs a comment" in _field_error(refused.content.decode(), "comment")
    assert not Review.objects.exists()

    returned = head_client.post(
        f"{url}review/", {"decision": "return", "comment": "Pakai grafik kecamatan, bukan tabel."}
    )
    assert returned.status_code == 302
    publication.refresh_from_db()
    assert publication.state == PublicationState.DRAFTING
    page = login(operator, language="en").get(url).content.decode()
    assert "Pakai grafik kecamatan, bukan tabel." in page and "Returned for revision" in page

    _write_and_submit(
        publication, operator, body="<p>AKI turun menjadi 75 per 100.000 kelahiran.</p>"
    )
    review = head_client.get(f"{url}review/").content.decode()
    assert "since version 1" in review
    assert re.search(r"<del><span class=\"diff-label\">removed:</span> 80</del>", review)
    assert re.search(r"<ins><span class=\"diff-label\">added:</span> 75</ins>", review)
    assert "Pakai grafik kecamatan, bukan tabel." in review  # the comment it answers

    approved = head_client.post(f"{url}review/", {"decision": "approve", "comment": ""})
    assert approved.status_code == 302
    publication.refresh_from_db()
    assert publication.state == PublicationState.APPROVED
    assert publication.posts.count() == 1
    assert head_client.get(url).status_code == 200  # the posts part renders

    # A second approval (another tab) is an illegal move: the service's message, nothing more.
    again = head_client.post(f"{url}review/", {"decision": "approve", "comment": "lagi"})
    assert again.status_code == 409
    assert "cannot be sent to" in again.content.decode()
    assert Review.objects.count() == 2

    page = head_client.get(url).content.decode()
    assert page.count('<li class="pub-run') == 5  # steps 4, 5 (returned), 4, 5, 6
    assert "returned for revision" in page


def test_each_version_shows_what_changed_from_the_one_before(login, head, operator, publication):
    _write_and_submit(publication, operator, title="Versi satu", body="<p>Isi</p>")
    page = login(operator, language="en").get(f"/app/publications/{publication.pk}/versions/1/")
    assert page.status_code == 200 and "Send the decision" not in page.content.decode()
    assert login(operator).get(f"/app/publications/{publication.pk}/versions/2/").status_code == 404


def test_the_body_is_rendered_as_cleaned_html_and_the_diff_escapes_it(
    login, head, operator, publication
):
    _write_and_submit(
        publication,
        operator,
        title="Judul",
        body='<p>Naik <strong>12%</strong><script>alert("x")</script></p>',
        caption="<b>tebal</b>",
    )
    client = login(head, language="en")
    page = client.get(f"/app/publications/{publication.pk}/").content.decode()
    assert "<strong>12%</strong>" in page and "alert(" not in page
    review = client.get(f"/app/publications/{publication.pk}/review/").content.decode()
    assert "<strong>" not in review.split('class="pub-diff"', 1)[1]


# --- Cancelling -----------------------------------------------------------------------------------


def test_the_head_cancels_a_draft_with_a_reason_and_a_missing_reason_keeps_the_form(
    login, head, publication
):
    client = login(head, language="en")
    url = f"/app/publications/{publication.pk}/cancel/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "This field is required." in _field_error(refused.content.decode(), "reason")
    assert client.post(url, {"reason": "Data belum final."}).status_code == 302
    publication.refresh_from_db()
    assert publication.state == PublicationState.CANCELLED
    entry = AuditEntry.objects.get(action="publication.cancel")
    assert entry.after["reason"] == "Data belum final."
    again = client.post(url, {"reason": "Lagi."})
    assert again.status_code == 409 and "cannot be sent to" in again.content.decode()


# --- Who sees what ------------------------------------------------------------------------------


PAGES = ["", "review/", "versions/1/"]


@pytest.mark.parametrize("who", ["other_operator", "other_head"])
@pytest.mark.parametrize("page", PAGES)
def test_another_agencys_producers_get_403_on_every_page(
    request, login, publication, operator, who, page
):
    _write_and_submit(publication, operator, title="T", body="<p>B</p>")
    client = login(request.getfixturevalue(who))
    assert client.get(f"/app/publications/{publication.pk}/{page}").status_code == 403


@pytest.mark.parametrize("who", ["other_operator", "other_head", "operator", "supervisor"])
def test_only_the_own_head_may_cancel_or_decide(request, login, publication, who):
    client = login(request.getfixturevalue(who))
    url = f"/app/publications/{publication.pk}/"
    assert client.post(f"{url}cancel/", {"reason": "x"}).status_code == 403
    assert client.post(f"{url}review/", {"decision": "approve"}).status_code == 403
    publication.refresh_from_db()
    assert publication.state == PublicationState.DRAFTING


@pytest.mark.parametrize("who", ["operator", "walidata", "supervisor", "admin_user"])
def test_only_a_head_may_open_the_instruction_form(request, login, operator, who):
    client = login(request.getfixturevalue(who))
    assert client.get("/app/publications/new/").status_code == 403
    posted = client.post("/app/publications/new/", {"assignee": operator.pk, "topic": "x"})
    assert posted.status_code == 403
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["walidata", "supervisor"])
def test_walidata_and_supervisor_read_every_agency_without_a_write_control(
    request, login, publication, operator, who
):
    _write_and_submit(publication, operator, title="Judul", body="<p>Isi</p>")
    client = login(request.getfixturevalue(who), language="en")
    page = client.get(f"/app/publications/{publication.pk}/").content.decode()
    assert "Judul" in page
    main = page.split('<main id="main">', 1)[1]
    for control in ("pub-actions", "/edit/", "/review/", "/cancel/", "<form method"):
        assert control not in main
    assert client.get(f"/app/publications/{publication.pk}/versions/1/").status_code == 200
    assert client.get(f"/app/publications/{publication.pk}/review/").status_code == 403
