"""Who may review which access request: the role x predicate matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from satudata.access.permissions import (
    can_review_request,
    can_review_requests,
    reviews_all_agencies,
)
from satudata.access.selectors import requests_visible_to
from satudata.access.services import request_submit
from satudata.accounts.roles import Action, Role, role_may

# persona -> (may use the review pages, may review a Dinkes request, sees all agencies)
MATRIX = {
    "walidata": (True, True, True),
    "admin_user": (True, True, True),
    "head": (True, True, False),  # Dinkes' head: his own agency
    "other_head": (True, False, False),  # Dispendik's head: not Dinkes'
    "operator": (False, False, False),
    "other_operator": (False, False, False),
    "supervisor": (False, False, False),
}


@pytest.fixture
def dinkes_request(portal_world):
    return request_submit(
        actor=None,
        dataset=portal_world.limited_ds,
        name="Budi",
        institution="Bappeda",
        purpose="Perencanaan pembangunan daerah tahun depan.",
        email="budi@example.org",
    )


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_the_review_matrix(persona, request, dinkes_request):
    user = request.getfixturevalue(persona)
    pages, this_one, everything = MATRIX[persona]
    assert can_review_requests(user) is pages
    assert can_review_request(user, dinkes_request) is this_one
    assert reviews_all_agencies(user) is everything
    visible = list(requests_visible_to(user))
    assert (dinkes_request in visible) is this_one


def test_the_role_half_comes_from_the_role_table():
    for role in Role:
        assert can_review_requests(_StandInUser(role)) == role_may(
            role, Action.ACCESS_REQUEST_REVIEW
        )


def test_anonymous_may_review_nothing(dinkes_request):
    anonymous = AnonymousUser()
    assert not can_review_requests(anonymous)
    assert not can_review_request(anonymous, dinkes_request)
    assert not requests_visible_to(anonymous).exists()


class _StandInUser:
    """A tiny stand-in user for the role table check."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    agency_id = None

    def __init__(self, role: str) -> None:
        self.role = role
