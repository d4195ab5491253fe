"""Publications' fixtures: the shared personas (tests/conftest.py) and an instructed publication.

`agency` is the head's and operator's agency (Dinas Kesehatan); `other_agency` is Dinas
Pendidikan, whose head and operator must never reach the first agency's publications.
"""

from __future__ import annotations

import pytest

from satudata.accounts.roles import Role
from satudata.publications.services import publication_instruct
from tests.factories import UserFactory


@pytest.fixture
def agency(health):
    return health


@pytest.fixture
def other_agency(education):
    return education


@pytest.fixture
def other_head(other_agency):
    return UserFactory(username="kepala2", role=Role.PRODUCER_HEAD, agency=other_agency)


@pytest.fixture
def publication(head, operator, agency):
    return publication_instruct(
        actor=head,
        agency=agency,
        assignee=operator,
        topic="Angka kematian ibu 2025",
        instruction="Siapkan infografis untuk Instagram dan situs web.",
    )
