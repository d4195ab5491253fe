"""The whole life of an access request, through the pages a requester and a reviewer use."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from satudata.access.choices import AccessRequestState
from satudata.access.models import AccessDownload, AccessRequest
from satudata.audit.models import AuditEntry
from satudata.notifications.models import Notification
from tests.access.conftest import form_data, letter
from tests.portal.conftest import (
    CLOSED_MARKER,
    EMBARGO_MARKER,
    LIMITED_VALUE,
    VALUE_MARKERS,
    WITHDRAWN_MARKER,
)

HIDDEN = (CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER)


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _main(response) -> str:
    return re.split(r"<main[^>]*>", _text(response), maxsplit=1)[1].split("</main>", 1)[0]


def _assert_no_hidden(text: str) -> None:
    # Case-sensitive: the markers are upper case in names and definitions; a 404 page may
    # echo the (lower-case) slug the client itself typed, which tells nothing.
    for marker in HIDDEN:
        assert marker not in text


def _submit(client: Client, world, capture, **overrides):
    with capture(execute=True):
        return client.post(
            reverse("access-request-create", args=[world.limited_ds.slug]), form_data(**overrides)
        )


@pytest.fixture
def submitted(portal_world, head, walidata, django_capture_on_commit_callbacks):
    response = _submit(Client(), portal_world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    return AccessRequest.objects.get()


def test_the_form_of_a_limited_dataset_has_labelled_fields_and_csrf(portal_world):
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("access-request-create", args=[portal_world.limited_ds.slug]))
    text = _text(response)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in text
    for name in ("name", "institution", "email", "phone", "purpose", "letter"):
        assert f'<label for="id_{name}"' in text
    assert 'enctype="multipart/form-data"' in text
    _assert_no_hidden(text)
    for value in VALUE_MARKERS:
        assert value not in text


def test_a_post_without_csrf_token_is_refused(portal_world):
    client = Client(enforce_csrf_checks=True)
    url = reverse("access-request-create", args=[portal_world.limited_ds.slug])
    assert client.post(url, form_data()).status_code == 403
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize("which", ["closed", "embargoed", "withdrawn", "unknown"])
def test_slugs_that_are_not_public_limited_data_give_the_same_404(portal_world, which):
    slugs = {
        "closed": "data-tertutup-" + CLOSED_MARKER.lower(),
        "embargoed": portal_world.embargoed_ds.slug,
        "withdrawn": portal_world.withdrawn_ds.slug,
        "unknown": "tidak-ada",
    }
    client = Client()
    url = reverse("access-request-create", args=[slugs[which]])
    for response in (client.get(url), client.post(url, form_data())):
        assert response.status_code == 404
        _assert_no_hidden(_text(response))
    assert not AccessRequest.objects.exists()


def test_an_open_dataset_needs_no_request_and_redirects_to_its_page(portal_world):
    response = Client().get(reverse("access-request-create", args=[portal_world.open_ds.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dataset-detail", args=[portal_world.open_ds.slug])


def test_invalid_input_keeps_what_was_typed_and_ties_errors_to_fields(portal_world):
    url = reverse("access-request-create", args=[portal_world.limited_ds.slug])
    response = Client().post(
        url,
        form_data(email="bukan-alamat", purpose="singkat", letter=letter(b"MZ\x90\x00", "x.pdf")),
    )
    text = _text(response)
    assert response.status_code == 400
    assert 'value="Siti Rahmawati"' in text
    assert 'value="Universitas Jember"' in text
    assert 'value="bukan-alamat"' in text
    assert re.search(r">\s*singkat</textarea>", text)
    for field in ("email", "purpose", "letter"):
        block = text.split(f'id="field-{field}"', 1)[1].split('id="field-', 1)[0]
        assert "field-error" in block, field
    assert 'id="field-name"' in text
    assert "field-error" not in text.split('id="field-name"', 1)[1].split('id="field-', 1)[0]
    assert not AccessRequest.objects.exists()


def test_a_letter_that_is_not_a_pdf_or_image_is_refused_whatever_its_name(portal_world):
    url = reverse("access-request-create", args=[portal_world.limited_ds.slug])
    response = Client().post(url, form_data(letter=letter(b"<html>hi</html>", "surat.pdf")))
    assert response.status_code == 400
    assert not AccessRequest.objects.exists()


def test_a_png_letter_is_accepted(portal_world, django_capture_on_commit_callbacks):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    response = _submit(
        Client(), portal_world, django_capture_on_commit_callbacks, letter=letter(png, "scan.png")
    )
    assert response.status_code == 302
    assert AccessRequest.objects.get().letter_type == "image/png"


def test_submissions_are_rate_limited_per_address(
    portal_world, settings, django_capture_on_commit_callbacks
):
    settings.ACCESS_REQUEST_RATE = "2/h"
    client = Client()
    codes = [
        _submit(client, portal_world, django_capture_on_commit_callbacks).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert AccessRequest.objects.count() == 2
    # Another address is not blocked by the first one's requests.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _submit(other, portal_world, django_capture_on_commit_callbacks).status_code == 302


def test_submitting_mails_the_requester_and_notifies_the_reviewers(
    submitted, head, walidata, other_head, operator
):
    assert submitted.state == AccessRequestState.SUBMITTED
    assert submitted.letter_type == "application/pdf"
    assert submitted.token_hash == ""
    recipients = {tuple(m.to) for m in mail.outbox}
    assert ("siti@unej.ac.id",) in recipients
    staff = next(m for m in mail.outbox if m.to != ["siti@unej.ac.id"])
    assert set(staff.to) == {head.email, walidata.email}
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {head.username, walidata.username}
    assert AuditEntry.objects.filter(action="access_request_submit", actor_label="public").count()


def test_the_sent_page_shows_no_request(submitted):
    text = _text(Client().get(reverse("access-request-sent")))
    _assert_no_hidden(text)
    assert "siti@unej.ac.id" not in text
    assert "Siti Rahmawati" not in text


def test_whole_flow_approval_link_download_and_expiry(
    submitted, portal_world, head, other_head, login, django_capture_on_commit_callbacks
):
    # A head of another agency neither lists nor opens it.
    other = login(other_head)
    assert "Siti Rahmawati" not in _text(other.get(reverse("access-request-list")))
    detail = reverse("access-request-detail", args=[submitted.pk])
    assert other.get(detail).status_code == 404
    assert other.get(reverse("access-request-letter", args=[submitted.pk])).status_code == 404
    decide = reverse("access-request-decide", args=[submitted.pk])
    expires = timezone.localdate() + dt.timedelta(days=30)
    assert other.post(decide, {"decision": "approve", "expires_on": expires}).status_code == 404

    # The agency head sees it, reads the letter, and approves.
    own = login(head)
    listing = _text(own.get(reverse("access-request-list")))
    assert "Siti Rahmawati" in listing
    _assert_no_hidden(listing)
    page = own.get(detail)
    assert page.status_code == 200
    _assert_no_hidden(_text(page))
    letter_response = own.get(reverse("access-request-letter", args=[submitted.pk]))
    assert letter_response["Content-Type"] == "application/pdf"
    assert b"".join(letter_response.streaming_content).startswith(b"%PDF")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = own.post(decide, {"decision": "approve", "expires_on": expires.isoformat()})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == AccessRequestState.APPROVED
    assert submitted.decided_by == head
    assert len(submitted.token_hash) == 64

    # The e-mail holds the link; the raw token is stored nowhere.
    (message,) = mail.outbox
    assert message.to == ["siti@unej.ac.id"]
    link = re.search(r"https?://[^\s]+/access/([\w-]+)/", message.body)
    assert link
    token = link.group(1)
    assert token not in submitted.token_hash
    assert not AccessRequest.objects.filter(token_hash=token).exists()
    audits = AuditEntry.objects.filter(action="access_request_approve")
    assert audits.count() == 1
    assert token not in str(audits.get().after)

    public = Client()
    page = public.get(reverse("access-grant-download", args=[token]))
    text = _text(page)
    assert page.status_code == 200
    assert portal_world.limited_ds.item.name in text
    assert page["Referrer-Policy"] == "no-referrer"
    assert date_format(expires, "DATE_FORMAT") in text  # the day the reviewer chose
    _assert_no_hidden(text)

    csv_response = public.get(reverse("access-grant-file", args=[token, "csv"]))
    assert csv_response.status_code == 200
    csv_text = _text(csv_response)
    assert "918273.645" in csv_text  # the limited value, exactly
    for value in ("827364", "736455"):  # closed and embargoed values never
        assert value not in csv_text
    xlsx = public.get(reverse("access-grant-file", args=[token, "xlsx"]))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert public.head(reverse("access-grant-file", args=[token, "csv"])).status_code == 405
    assert list(AccessDownload.objects.values_list("format", flat=True).order_by("pk")) == [
        "csv",
        "xlsx",
    ]
    assert AuditEntry.objects.filter(action="access_grant_download").count() == 2
    assert "csv" in _text(own.get(detail)).lower()

    # After the expiry the same link gives the one "invalid or expired" page, never data.
    later = submitted.expires_at + dt.timedelta(seconds=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        expired = public.get(reverse("access-grant-download", args=[token]))
        expired_file = public.get(reverse("access-grant-file", args=[token, "csv"]))
    wrong = public.get(reverse("access-grant-download", args=["x" * 43]))
    assert expired.status_code == expired_file.status_code == wrong.status_code == 404
    assert _main(expired) == _main(wrong)
    assert "Link" in _main(wrong) or "Tautan" in _main(wrong)
    assert AccessDownload.objects.count() == 2


def test_refusal_needs_a_reason_and_mails_it(
    submitted, walidata, login, django_capture_on_commit_callbacks
):
    client = login(walidata)
    decide = reverse("access-request-decide", args=[submitted.pk])
    response = client.post(decide, {"decision": "refuse", "reason": "  "})
    assert response.status_code == 400
    assert "field-error" in _text(response).split('id="field-reason"', 1)[1]
    submitted.refresh_from_db()
    assert submitted.state == AccessRequestState.SUBMITTED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            decide, {"decision": "refuse", "reason": "Tujuan tidak sesuai ketentuan."}
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == AccessRequestState.REFUSED
    assert submitted.token_hash == ""
    (message,) = mail.outbox
    assert "Tujuan tidak sesuai ketentuan." in message.body
    assert AuditEntry.objects.filter(action="access_request_refuse").exists()
    # A refused request cannot be approved afterwards.
    expires = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    again = client.post(decide, {"decision": "approve", "expires_on": expires})
    assert again.status_code == 409
    submitted.refresh_from_db()
    assert submitted.state == AccessRequestState.REFUSED


def test_an_expiry_beyond_the_limit_is_refused(submitted, walidata, login):
    client = login(walidata)
    too_late = (timezone.localdate() + dt.timedelta(days=91)).isoformat()
    response = client.post(
        reverse("access-request-decide", args=[submitted.pk]),
        {"decision": "approve", "expires_on": too_late},
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.state == AccessRequestState.SUBMITTED


@pytest.mark.parametrize("persona", ["operator", "other_operator", "supervisor"])
def test_other_roles_may_not_review(submitted, login, persona, request):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("access-request-list")).status_code == 403
    assert client.get(reverse("access-request-detail", args=[submitted.pk])).status_code == 403


def test_the_review_pages_need_a_login(submitted):
    response = Client().get(reverse("access-request-list"))
    assert response.status_code == 302
    assert "login" in response["Location"]
    letter_url = reverse("access-request-letter", args=[submitted.pk])
    assert Client().get(letter_url).status_code == 302


def test_a_grant_for_a_dataset_reclassified_closed_opens_nothing(
    submitted, walidata, django_capture_on_commit_callbacks
):
    from satudata.access.selectors import granted_observations
    from satudata.access.services import request_approve
    from satudata.catalog.choices import Accessibility

    with django_capture_on_commit_callbacks(execute=True):
        request_approve(
            actor=walidata,
            request=submitted,
            expires_on=timezone.localdate() + dt.timedelta(days=3),
        )
    assert granted_observations(submitted).filter(value=LIMITED_VALUE).exists()
    item = submitted.dataset.item
    type(item).objects.filter(pk=item.pk).update(accessibility=Accessibility.CLOSED)
    submitted.refresh_from_db()
    assert not granted_observations(submitted).exists()
    token = re.search(r"/access/([\w-]+)/", mail.outbox[-1].body).group(1)
    response = Client().get(reverse("access-grant-file", args=[token, "csv"]))
    assert response.status_code == 404


def test_a_grant_too_large_for_xlsx_offers_csv_only(
    submitted, walidata, monkeypatch, django_capture_on_commit_callbacks
):
    from satudata.access import views
    from satudata.access.services import request_approve

    with django_capture_on_commit_callbacks(execute=True):
        request_approve(
            actor=walidata, request=submitted, expires_on=timezone.localdate() + dt.timedelta(1)
        )
    token = re.search(r"/access/([\w-]+)/", mail.outbox[-1].body).group(1)
    monkeypatch.setattr(views, "XLSX_MAX_VALUES", 0)
    client = Client()
    text = _text(client.get(reverse("access-grant-download", args=[token])))
    assert "data.csv" in text
    assert "data.xlsx" not in text
    response = client.get(reverse("access-grant-file", args=[token, "xlsx"]))
    assert response.status_code == 302
    assert not AccessDownload.objects.exists()
