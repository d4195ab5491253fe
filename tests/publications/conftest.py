"""Two agencies with a head and an operator each, and a publication instructed in the first."""

from __future__ import annotations

import pytest

from satudata.accounts.roles import Role
from satudata.publications.services import publication_instruct
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(name="Dinas Pendidikan", short_name="Dispendik")


@pytest.fixture
def head(agency):
    return UserFactory(username="kepala", role=Role.PRODUCER_HEAD, agency=agency)


@pytest.fixture
def operator(agency):
    return UserFactory(username="operator", role=Role.PRODUCER_OPERATOR, agency=agency)


@pytest.fixture
def other_operator(other_agency):
    return UserFactory(username="operator2", role=Role.PRODUCER_OPERATOR, agency=other_agency)


@pytest.fixture
def other_head(other_agency):
    return UserFactory(username="kepala2", role=Role.PRODUCER_HEAD, agency=other_agency)


@pytest.fixture
def walidata(db):
    return UserFactory(username="walidata", role=Role.WALIDATA)


@pytest.fixture
def publication(head, operator, agency):
    return publication_instruct(
        actor=head,
        agency=agency,
        assignee=operator,
        topic="Angka kematian ibu 2025",
        instruction="Siapkan infografis untuk Instagram dan situs web.",
    )
