"""The SOP's role x action matrix, and the performer rule for recording a step."""

from __future__ import annotations

import pytest

from satudata.sop import permissions as p
from tests.factories import UserFactory

#                      view sop, manage sop, view cycles, manage cycles
MATRIX = {
    "walidata": (True, False, True, True),
    "head": (True, False, False, False),
    "operator": (True, False, False, False),
    "supervisor": (True, False, True, False),
    "admin_user": (True, True, True, True),
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_the_role_matrix(persona, request):
    user = request.getfixturevalue(persona)
    got = (
        p.may_view_sop(user),
        p.may_manage_sop(user),
        p.may_view_cycles(user),
        p.may_manage_cycles(user),
    )
    assert got == MATRIX[persona]


def test_nobody_signed_out_may_anything():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not p.may_view_sop(anonymous) and not p.may_record_steps(anonymous)


# Performer of each shipped step: 1-3 and 7 walidata, 4 and 6 operator, 5 head.
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("walidata", {1, 2, 3, 4, 5, 6, 7}),
        ("admin_user", {1, 2, 3, 4, 5, 6, 7}),
        ("operator", {4, 6}),
        ("head", {5}),
        ("supervisor", set()),
    ],
)
def test_the_performer_records_the_step_for_his_own_agency(sop, health, persona, allowed, request):
    user = request.getfixturevalue(persona)
    for step in sop.steps.all():
        agency_id = health.pk if step.per_agency else None
        assert p.may_record_step(user, step, agency_id) == (step.number in allowed), step.number


def test_a_producer_may_not_record_for_another_agency(sop, health, education):
    other = UserFactory(username="op-edu", role="producer_operator", agency=education)
    step4 = sop.steps.get(number=4)
    assert p.may_record_step(other, step4, education.pk)
    assert not p.may_record_step(other, step4, health.pk)
    assert not p.may_record_step(other, step4, None)
