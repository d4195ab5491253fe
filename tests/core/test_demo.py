"""`satudata demo`: the Jember demo loads through the services into an empty database.

The demo is loaded once for the module (it takes a few seconds) inside a transaction that is
rolled back at the end; each test runs in its own savepoint within it. The tests that need an
empty database come first in the file, before the shared load exists.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from django.utils import translation

from satudata.accounts.choices import AgencyKind
from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree, Region
from satudata.catalog.services import decree_create
from satudata.demo.metadata import OFFICIAL
from satudata.demo.users import DEMO_PASSWORD
from tests.factories import SYSTEM


@pytest.fixture(autouse=True)
def _english():
    # The command speaks the default language (Indonesian); the messages matched are English.
    with translation.override("en"):
        yield


def _counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "decrees": DataListDecree.objects.count(),
        "items": DataItem.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# --- on an empty database (these run before the module's shared load) ---


def test_it_refuses_a_region_other_than_jember(db, settings):
    settings.REGION_CODE = "35.10"
    with pytest.raises(CommandError, match="REGION_CODE"):
        call_command("demo", stdout=StringIO())
    assert Agency.objects.count() == 0


def test_a_failure_midway_leaves_nothing_half_loaded(db):
    # The 2026 decree number is taken, so the demo fails after regions and agencies.
    decree_create(
        actor=SYSTEM,
        number="188.45/27/1.3/2026",
        title="Daftar Data 2026",
        decree_date=dt.date(2026, 1, 2),
        year=2026,
    )
    with pytest.raises(CommandError, match="could not be loaded"):
        call_command("demo", stdout=StringIO())
    assert Agency.objects.count() == 0
    assert Region.objects.count() == 0
    assert not AuditEntry.objects.filter(actor_label="demo").exists()


# --- on the loaded demo ---


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's printed report; the data stays loaded for the module's tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        # The values have their own module (test_demo_values); the list alone loads in seconds.
        call_command("demo", "--without-values", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db) -> str:
    return demo


def test_it_loads_between_50_and_60_agencies_of_every_kind(loaded):
    assert 50 <= Agency.objects.count() <= 60
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert kinds == set(AgencyKind.values)
    assert not Agency.objects.exclude(website__startswith="https://").exists()
    assert Agency.objects.exclude(instagram="").count() >= 20


def test_the_kecamatan_offices_are_named_after_real_districts(loaded):
    districts = set(Region.objects.filter(parent_id="35.09").values_list("name", flat=True))
    assert len(districts) == 31
    offices = Agency.objects.filter(kind=AgencyKind.DISTRICT)
    assert offices.count() >= 14
    for office in offices:
        assert office.name.removeprefix("Kecamatan ") in districts


def test_the_2026_list_has_about_300_items_in_all_three_classes(loaded):
    items = DataItem.objects.filter(decree__year=2026)
    counts = {c: items.filter(accessibility=c).count() for c in Accessibility.values}
    total = sum(counts.values())
    assert 280 <= total <= 330
    # About 241 : 52 : 19 of 312, as in Jember's list.
    assert 0.70 <= counts[Accessibility.OPEN] / total <= 0.85
    assert 0.10 <= counts[Accessibility.LIMITED] / total <= 0.25
    assert 0.03 <= counts[Accessibility.CLOSED] / total <= 0.10


def test_every_agency_with_users_has_items_in_the_2026_list(loaded):
    for user in User.objects.filter(role__in=[Role.PRODUCER_HEAD, Role.PRODUCER_OPERATOR]):
        assert DataItem.objects.filter(decree__year=2026, agency=user.agency).count() >= 5


def test_the_2025_list_reuses_part_of_the_2026_codes(loaded):
    codes_2025 = set(DataItem.objects.filter(decree__year=2025).values_list("code", flat=True))
    codes_2026 = set(DataItem.objects.filter(decree__year=2026).values_list("code", flat=True))
    assert 0 < len(codes_2025) < len(codes_2026)
    assert codes_2025 <= codes_2026


def test_every_restricted_item_cites_its_ground_in_uu_14_2008(loaded):
    restricted = DataItem.objects.exclude(accessibility=Accessibility.OPEN)
    assert restricted.exists()
    for reason in restricted.values_list("accessibility_reason", flat=True):
        assert reason.startswith("UU 14/2008 pasal 17 huruf ")
    assert (
        not DataItem.objects.filter(accessibility=Accessibility.OPEN)
        .exclude(accessibility_reason="")
        .exists()
    )


def test_most_items_carry_their_bps_metadata_but_not_all(loaded):
    items = list(DataItem.objects.filter(decree__year=2026))
    complete = [i for i in items if i.metadata_completeness == 100]
    assert 0.75 <= len(complete) / len(items) < 1
    assert all(i.unit and i.periodicity and i.level and i.topic_id for i in items)
    assert sum(1 for i in items if i.source_activity) == len(items)


def test_headline_indicators_carry_their_official_definitions(loaded):
    apm = DataItem.objects.get(decree__year=2026, name="Angka Partisipasi Murni (APM) SD/MI")
    assert apm.agency.short_name == "Dispendik"
    assert apm.kind == "indicator"
    assert "7-12 tahun" in apm.definition
    assert apm.formula.endswith("× 100%")
    assert [b.slug for b in apm.breakdowns.all()] == ["jenis-kelamin"]
    for name in OFFICIAL:
        item = DataItem.objects.get(decree__year=2026, name=name)
        assert item.metadata_completeness == 100, name


def test_the_demo_users_have_their_roles_and_agencies(loaded):
    expected = {
        "admin": (Role.ADMIN, None),
        "walidata": (Role.WALIDATA, "Dinas Komunikasi dan Informatika"),
        "bps": (Role.SUPERVISOR, None),
        "kepala.dinkes": (Role.PRODUCER_HEAD, "Dinas Kesehatan"),
        "operator.dinkes": (Role.PRODUCER_OPERATOR, "Dinas Kesehatan"),
        "kepala.dispendik": (Role.PRODUCER_HEAD, "Dinas Pendidikan"),
        "operator.dispendik": (Role.PRODUCER_OPERATOR, "Dinas Pendidikan"),
    }
    for username, (role, agency) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.agency.name if user.agency else None) == (role, agency)
        assert user.get_full_name() and user.position
    heads = User.objects.filter(role=Role.PRODUCER_HEAD).values_list("agency", flat=True)
    operators = User.objects.filter(role=Role.PRODUCER_OPERATOR).values_list("agency", flat=True)
    assert len(set(heads)) >= 4
    assert set(heads) == set(operators)


def test_demo_accounts_log_in_with_the_published_password_hashed_at_full_strength(loaded, settings):
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the demo used the real ones
    assert Client().login(username="operator.dinkes", password=DEMO_PASSWORD)
    algorithm, iterations, *_ = User.objects.get(username="operator.dinkes").password.split("$")
    assert (algorithm, int(iterations)) == ("pbkdf2_sha256", PBKDF2PasswordHasher.iterations)


def test_loading_writes_audit_rows_in_the_demo_name(loaded):
    by_action = {
        action: AuditEntry.objects.filter(actor_label="demo", action=action).count()
        for action in (
            "regions_load",
            "agency_create",
            "decree_create",
            "item_create",
            "user_create",
        )
    }
    assert by_action == {
        "regions_load": 1,
        "agency_create": Agency.objects.count(),
        "decree_create": 2,
        "item_create": DataItem.objects.count(),
        "user_create": User.objects.count(),
    }


def test_it_prints_the_accounts_and_where_to_sign_in(loaded):
    assert "kepala.dinkes" in loaded and "operator.dispendik" in loaded
    assert loaded.count(DEMO_PASSWORD) == User.objects.count()
    assert "http://127.0.0.1:8000/app/" in loaded


def test_with_if_empty_a_loaded_database_is_left_unchanged(loaded):
    before = _counts()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert _counts() == before
    assert len(out.getvalue().strip().splitlines()) == 1


def test_without_if_empty_it_refuses_a_loaded_database(loaded):
    before = _counts()
    with pytest.raises(CommandError, match="already has agencies"):
        call_command("demo", stdout=StringIO())
    assert _counts() == before
