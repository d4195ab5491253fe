"""The letterhead settings: who may edit, what a logo must be, the audit entry, the demo."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError
from satudata.core.models import Letterhead, letterhead
from satudata.core.services import letterhead_update
from satudata.demo.letterhead import letterhead_demo_load
from tests.factories import SYSTEM


def _png(size=(60, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_demo_sets_jembers_letterhead_and_signature_block(db):
    letterhead_demo_load(SYSTEM)
    head = letterhead()
    assert head.government == "PEMERINTAH KABUPATEN JEMBER"
    assert head.office == "DINAS KOMUNIKASI DAN INFORMATIKA"
    assert head.head_name == "REGAR JEANE DN., S.STP, M.Si"
    assert head.head_nip == "19830111 200112 1 002"
    assert head.head_rank == "Pembina Tingkat I (IV/b)"
    assert AuditEntry.objects.filter(action="letterhead.update").count() == 1


def test_a_real_image_is_accepted_as_logo(walidata):
    saved = letterhead_update(
        actor=walidata,
        government="PEMERINTAH KABUPATEN JEMBER",
        office="DINAS KOMUNIKASI DAN INFORMATIKA",
        logo=SimpleUploadedFile("logo.png", _png(), "image/png"),
    )
    assert saved.logo.name.startswith("letterhead/")
    assert Letterhead.objects.get(pk=1).logo


def test_a_file_that_is_not_an_image_is_refused_as_logo(walidata):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.7 not an image", "image/png")
    with translation.override("en"), pytest.raises(DomainError, match="not an image"):
        letterhead_update(actor=walidata, logo=fake)
    assert not Letterhead.objects.exists()


def test_a_logo_over_2_mb_is_refused(walidata):
    big = SimpleUploadedFile("logo.png", _png() + b"\0" * (2 * 1024 * 1024), "image/png")
    with pytest.raises(DomainError, match="2 MB"):
        letterhead_update(actor=walidata, logo=big)


def test_producers_and_the_supervisor_may_not_edit_the_letterhead(operator, supervisor):
    for user in (operator, supervisor):
        with pytest.raises(PermissionDenied):
            letterhead_update(actor=user, office="X")


def test_the_settings_page_saves_and_shows_the_logo_error_by_the_field(walidata, login):
    client = login(walidata, language="en")
    fields = {
        "government": "PEMERINTAH KABUPATEN JEMBER",
        "office": "DINAS KOMUNIKASI DAN INFORMATIKA",
        "city": "Jember",
        "head_name": "REGAR JEANE DN., S.STP, M.Si",
    }
    bad = SimpleUploadedFile("logo.png", b"not an image at all", "image/png")
    response = client.post(reverse("reports:letterhead"), {**fields, "logo": bad})
    assert response.status_code == 200
    assert b"The logo is not an image" in response.content
    assert b"REGAR JEANE" in response.content  # what was typed is kept

    good = SimpleUploadedFile("logo.png", _png(), "image/png")
    response = client.post(reverse("reports:letterhead"), {**fields, "logo": good})
    assert response.status_code == 302
    head = Letterhead.objects.get(pk=1)
    assert head.city == "Jember" and head.logo
