"""Shared fixtures: the personas every test speaks of, and what each may see.

- walidata: Diskominfo's custodian; sees and manages every item.
- head / operator: Dinas Kesehatan (the `health` agency); see their own items, closed ones too.
- other_operator: Dinas Pendidikan; sees other agencies' open and limited items, never their
  closed ones, and never the values of limited ones.
- supervisor: BPS; reads every item's metadata and open and limited values, changes nothing.
- admin: the administrator; everything, including users.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from satudata.accounts.roles import Role
from tests.factories import PASSWORD, AgencyFactory, DecreeFactory, UserFactory


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests do not run collectstatic; hashed names would need its manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files of a test go to its own folder, never into the developer's data folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    # Each test starts in the product's default language (Indonesian), whatever language an
    # earlier test's request left active in this thread.
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _region_name_not_carried_over():
    # The page header's region name is cached per process once found; a name found in an
    # earlier test's (rolled back) data must not spare a later test its query.
    from satudata.core.context_processors import _region_name

    _region_name.cache_clear()
    yield
    _region_name.cache_clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # A full-strength hash costs half a second per login; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _api_counters_per_test(settings):
    # Rate-limit counts and buffered API usage must not carry from one test into another.
    from django.core.cache import cache

    settings.API_USAGE_FLUSH_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def health(db):
    return AgencyFactory(code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def education(db):
    return AgencyFactory(code="1.01.01", name="Dinas Pendidikan", short_name="Dispendik")


@pytest.fixture
def decree(db):
    return DecreeFactory()


@pytest.fixture
def walidata(db):
    return UserFactory(username="walidata", role=Role.WALIDATA)


@pytest.fixture
def head(health):
    return UserFactory(username="kepala", role=Role.PRODUCER_HEAD, agency=health)


@pytest.fixture
def operator(health):
    return UserFactory(username="operator", role=Role.PRODUCER_OPERATOR, agency=health)


@pytest.fixture
def other_operator(education):
    return UserFactory(username="operator2", role=Role.PRODUCER_OPERATOR, agency=education)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="bps", role=Role.SUPERVISOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN)


def use_language(client: Client, code: str) -> Client:
    """Choose the interface language as the language switch does (Indonesian otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    return client


@pytest.fixture
def login():
    """login(user, language=None) -> a test client signed in as that user."""

    def _login(user, language: str | None = None) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        if language:
            use_language(client, language)
        return client

    return _login


def pytest_terminal_summary(terminalreporter) -> None:
    """Say at the end of every run, xdist or not, when the browser journeys were skipped."""
    from tests.journeys.conftest import journeys_skip_reason

    reason = journeys_skip_reason()
    if reason:
        terminalreporter.write_line(f"NOTICE: browser journeys skipped: {reason}", yellow=True)
