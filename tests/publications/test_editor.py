"""The operator's draft editor (SOP step 4): the page, autosave, submission, who may use them.

Personas (tests/publications/conftest.py): `operator` drafts for `agency`; `head` instructs and
reviews there (reads the draft on the detail page, never edits it); `other_operator` and
`other_head` belong to `other_agency` and see nothing of it; `walidata` reads everything.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from satudata.catalog.choices import Accessibility
from satudata.portal.services import datasets_publish
from satudata.publications.choices import PublicationState
from satudata.publications.models import Publication, PublicationVersion
from satudata.publications.services import draft_save, draft_submit, publication_return
from tests.factories import PASSWORD, SYSTEM, DataItemFactory

SCRIPT_BODY = (
    '<p onclick="steal()">Angka <strong>naik</strong></p>'
    "<script>alert(1)</script>"
    '<img src="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">tautan</a>'
)


def _edit(publication):
    return f"/app/publications/{publication.pk}/edit/"


def _autosave(publication):
    return f"/app/publications/{publication.pk}/autosave"


def _submit(publication):
    return f"/app/publications/{publication.pk}/submit/"


def _post_json(client, url, data):
    return client.post(
        url, json.dumps(data), content_type="application/json", HTTP_ACCEPT="application/json"
    )


def _form(publication, **fields):
    """What the page's form posts without JavaScript."""
    data = {
        "revision": publication.revision,
        "title": publication.title,
        "body": publication.body,
        "caption": publication.caption,
        "hashtags": publication.hashtags,
        "dataset": "",
        "blocks": "[]",
    }
    data.update(fields)
    return data


# --- The page ---------------------------------------------------------------------------------


def test_the_operator_opens_the_editor_with_the_stored_draft(login, operator, publication):
    draft_save(actor=operator, publication=publication, title="AKI 2025", body="<p>Turun</p>")
    page = login(operator, language="en").get(_edit(publication)).content.decode()
    assert 'value="AKI 2025"' in page
    assert "&lt;p&gt;Turun&lt;/p&gt;" in page  # the textarea without JavaScript, escaped
    assert "<p>Turun</p>" in page  # the editable area, already cleaned by the service
    assert f'data-autosave-url="{_autosave(publication)}"' in page
    assert 'name="revision" value="1"' in page
    assert 'name="blocks" value="[]"' in page  # the tables-and-charts include inside the form
    assert 'aria-live="polite"' in page


def test_a_returned_draft_shows_the_heads_comment_at_the_top(login, head, operator, publication):
    draft_save(actor=operator, publication=publication, title="AKI", body="<p>x</p>")
    draft_submit(actor=operator, publication=publication)
    publication_return(actor=head, publication=publication, comment="Tambahkan sumber data.")
    page = login(operator, language="en").get(_edit(publication)).content.decode()
    assert "Returned for revision (version 1)" in page
    assert page.index("Tambahkan sumber data.") < page.index("data-draft-editor")


def test_a_submitted_draft_is_not_edited_here(login, operator, publication):
    draft_save(actor=operator, publication=publication, title="AKI", body="<p>x</p>")
    draft_submit(actor=operator, publication=publication)
    response = login(operator).get(_edit(publication))
    assert response.status_code == 302
    assert response["Location"] == f"/app/publications/{publication.pk}/"


@pytest.mark.parametrize("persona", ["head", "other_operator", "other_head", "walidata"])
def test_only_the_agencys_operator_may_edit_save_or_submit(request, login, publication, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(_edit(publication)).status_code == 403
    answer = _post_json(client, _autosave(publication), {"title": "Bukan saya", "revision": 0})
    assert answer.status_code == 403
    assert answer.json()["error"]
    assert client.post(_submit(publication)).status_code == 403
    publication.refresh_from_db()
    assert (publication.title, publication.revision, publication.version) == ("", 0, 0)


def test_a_signed_out_autosave_answers_json(client, publication):
    answer = _post_json(client, _autosave(publication), {"title": "x"})
    assert answer.status_code == 403
    assert "error" in answer.json()


# --- Autosave -----------------------------------------------------------------------------------


def test_autosave_saves_and_answers_the_new_revision(login, operator, publication):
    client = login(operator, language="en")
    answer = _post_json(
        client,
        _autosave(publication),
        {"revision": 0, "title": "Angka kematian ibu", "body": "<p>Turun 5%</p>", "caption": "AKI"},
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["revision"] == 1
    assert data["message"].startswith("Saved at ")
    publication.refresh_from_db()
    assert (publication.title, publication.body, publication.caption) == (
        "Angka kematian ibu",
        "<p>Turun 5%</p>",
        "AKI",
    )


def test_autosave_leaves_fields_it_was_not_sent_alone(login, operator, publication):
    draft_save(actor=operator, publication=publication, caption="Tetap", hashtags="#SatuData")
    answer = _post_json(login(operator), _autosave(publication), {"revision": 1, "title": "Baru"})
    assert answer.status_code == 200
    publication.refresh_from_db()
    assert (publication.title, publication.caption, publication.hashtags) == (
        "Baru",
        "Tetap",
        "#SatuData",
    )


def test_a_stale_revision_is_refused_with_409_and_the_stored_text_stays(
    login, operator, publication
):
    client = login(operator, language="en")
    first = _post_json(client, _autosave(publication), {"revision": 0, "title": "Tab satu"})
    assert first.status_code == 200
    # The second tab still holds revision 0.
    stale = _post_json(client, _autosave(publication), {"revision": 0, "title": "Tab dua"})
    assert stale.status_code == 409
    assert "changed elsewhere" in stale.json()["error"]
    publication.refresh_from_db()
    assert (publication.title, publication.revision) == ("Tab satu", 1)


def test_autosave_needs_the_csrf_token(operator, publication):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=operator.username, password=PASSWORD)
    client.get(_edit(publication))  # sets the CSRF cookie, as the page does
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    without = _post_json(client, _autosave(publication), {"revision": 0, "title": "x"})
    assert without.status_code == 403
    with_token = client.post(
        _autosave(publication),
        json.dumps({"revision": 0, "title": "x"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert with_token.status_code == 200


def test_autosave_accepts_a_form_body_as_a_beacon_sends_it(login, operator, publication):
    answer = login(operator).post(_autosave(publication), {"revision": 0, "title": "Beacon"})
    assert answer.status_code == 200
    publication.refresh_from_db()
    assert publication.title == "Beacon"


def test_autosave_refuses_unreadable_blocks_with_a_message(login, operator, publication):
    answer = _post_json(
        login(operator, language="en"), _autosave(publication), {"revision": 0, "blocks": "[{"}
    )
    assert answer.status_code == 400
    assert "could not be read" in answer.json()["error"]
    publication.refresh_from_db()
    assert publication.revision == 0


def test_script_markup_is_stored_harmlessly_and_re_rendered_harmlessly(
    login, operator, publication
):
    client = login(operator)
    answer = _post_json(client, _autosave(publication), {"revision": 0, "body": SCRIPT_BODY})
    assert answer.status_code == 200
    publication.refresh_from_db()
    stored = publication.body
    for danger in ("<script", "onclick", "onerror", "javascript:", "alert("):
        assert danger not in stored
    assert "<strong>naik</strong>" in stored
    page = client.get(_edit(publication)).content.decode()
    for danger in ("<script>alert", "onclick=", "<img", "javascript:alert"):
        assert danger not in page


def test_typed_script_markup_re_rendered_after_an_error_stays_inert(login, operator, publication):
    client = login(operator)
    draft_save(actor=operator, publication=publication, title="Dari tab lain")
    # A stale form: refused, and the page shows the typing again.
    response = client.post(_edit(publication), _form(publication, revision=0, body=SCRIPT_BODY))
    assert response.status_code == 409
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # kept, escaped, in the textarea
    for danger in ("<script>alert", 'onclick="steal', "<img", 'href="javascript'):
        assert danger not in page


# --- The form without JavaScript --------------------------------------------------------------


def test_the_form_saves_without_javascript(login, operator, publication):
    client = login(operator, language="en")
    response = client.post(
        _edit(publication),
        _form(publication, title="Judul", body="<p>Isi</p>", caption="Keterangan"),
    )
    assert response.status_code == 302
    assert response["Location"] == _edit(publication)
    publication.refresh_from_db()
    assert (publication.title, publication.body, publication.revision) == ("Judul", "<p>Isi</p>", 1)
    assert "The draft was saved." in client.get(_edit(publication)).content.decode()


def test_a_stale_form_keeps_what_was_typed_and_says_why(login, operator, publication):
    client = login(operator, language="en")
    draft_save(actor=operator, publication=publication, title="Dari tab lain")
    response = client.post(_edit(publication), _form(publication, revision=0, title="Ketikan saya"))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Ketikan saya"' in page
    assert "changed elsewhere" in page
    publication.refresh_from_db()
    assert publication.title == "Dari tab lain"


def test_a_too_long_title_is_shown_next_to_the_field(login, operator, publication):
    response = login(operator, language="en").post(
        _edit(publication), _form(publication, title="x" * 301, body="<p>Tetap</p>")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "has-error" in page[: page.index('name="title"')]
    assert "&lt;p&gt;Tetap&lt;/p&gt;" in page
    publication.refresh_from_db()
    assert publication.revision == 0


# --- The portal dataset link ------------------------------------------------------------------


def test_the_dataset_choice_holds_only_the_agencys_published_datasets(
    login, operator, agency, other_agency, publication
):
    own = DataItemFactory(agency=agency, accessibility=Accessibility.LIMITED, name="Jumlah bidan")
    other = DataItemFactory(
        agency=other_agency, accessibility=Accessibility.LIMITED, name="Jumlah guru"
    )
    unpublished = DataItemFactory(agency=agency, accessibility=Accessibility.LIMITED, name="Belum")
    result = datasets_publish(actor=SYSTEM, items=[own, other])
    own_dataset, other_dataset = result.datasets
    client = login(operator, language="en")
    page = client.get(_edit(publication)).content.decode()
    assert "Jumlah bidan" in page
    assert "Jumlah guru" not in page
    assert unpublished.name not in page
    refused = _post_json(client, _autosave(publication), {"dataset": other_dataset.pk})
    assert refused.status_code == 400
    saved = _post_json(client, _autosave(publication), {"dataset": own_dataset.pk})
    assert saved.status_code == 200
    publication.refresh_from_db()
    assert publication.dataset == own_dataset


# --- Submitting -------------------------------------------------------------------------------


def test_submitting_makes_version_1_and_goes_to_the_publication(login, operator, publication):
    client = login(operator, language="en")
    response = client.post(
        _submit(publication), _form(publication, title="AKI 2025", body="<p>Turun</p>")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/app/publications/{publication.pk}/"
    version = PublicationVersion.objects.get(publication=publication)
    assert (version.number, version.title, version.body) == (1, "AKI 2025", "<p>Turun</p>")
    publication.refresh_from_db()
    assert publication.state == PublicationState.SUBMITTED
    assert "Version 1 was submitted" in client.get(response["Location"]).content.decode()


def test_submitting_without_fields_submits_the_stored_draft(login, operator, publication):
    draft_save(actor=operator, publication=publication, title="AKI", body="<p>x</p>")
    response = login(operator).post(_submit(publication))
    assert response.status_code == 302
    assert Publication.objects.get().version == 1


def test_a_draft_without_body_is_refused_with_the_services_message(login, operator, publication):
    response = login(operator, language="en").post(
        _submit(publication), _form(publication, title="Hanya judul", body="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The draft needs a body before it can be submitted." in page
    assert 'value="Hanya judul"' in page
    # The title was saved: the page carries the new revision so the next save is not stale.
    assert 'name="revision" value="1"' in page
    publication.refresh_from_db()
    assert (publication.state, publication.version, publication.title) == (
        PublicationState.DRAFTING,
        0,
        "Hanya judul",
    )
    assert not PublicationVersion.objects.exists()
