"""Fixtures of the access-request tests: the portal world, a head of another agency, a letter."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from satudata.accounts.roles import Role
from tests.factories import UserFactory
from tests.portal.conftest import (  # noqa: F401 - fixtures shared with the portal tests
    jember,
    portal_world,
    sex,
    social,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the cache: one test's submissions must not block the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_head(education):
    """Head of Dinas Pendidikan: reviews his own agency's requests, never Dinkes'."""
    return UserFactory(username="kepala2", role=Role.PRODUCER_HEAD, agency=education)


def letter(content: bytes = PDF, name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**overrides) -> dict:
    data = {
        "name": "Siti Rahmawati",
        "institution": "Universitas Jember",
        "email": "siti@unej.ac.id",
        "phone": "08123456789",
        "purpose": "Penelitian skripsi tentang kemiskinan di Kabupaten Jember tahun 2025.",
        "letter": letter(),
    }
    data.update(overrides)
    return data
