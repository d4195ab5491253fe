"""The whole role x action matrix, written out so that any change to the rules shows here."""

from __future__ import annotations

import pytest

from satudata.accounts.permissions import can
from satudata.accounts.roles import ROLE_TABLE, Action, Role

W, H, OP, S, A = "walidata", "producer_head", "producer_operator", "supervisor", "admin"

EXPECTED: dict[Action, set[str]] = {
    Action.AGENCY_VIEW: {W, H, OP, S, A},
    Action.AGENCY_MANAGE: {W, A},
    Action.USER_MANAGE: {A},
    Action.REGION_MANAGE: {W, A},
    Action.DECREE_VIEW: {W, H, OP, S, A},
    Action.DECREE_MANAGE: {W, A},
    Action.ITEM_VIEW: {W, H, OP, S, A},
    Action.ITEM_MANAGE: {W, A},
    Action.ITEM_VIEW_VALUES: {W, H, OP, S, A},
    Action.ACCESSIBILITY_VIEW: {W, S, A},
    Action.AUDIT_VIEW: {W, A},
    Action.VALUES_EDIT: {W, H, OP, A},
    Action.SCHEDULE_MANAGE: {W, A},
    Action.FILL_CHECK_VIEW: {W, S, A},
    Action.REMINDER_SEND: {W, A},
    Action.DATASET_PUBLISH: {W, A},
    Action.ACCESS_REQUEST_REVIEW: {W, H, A},
    Action.SOP_VIEW: {W, H, OP, S, A},
    Action.SOP_MANAGE: {A},
    Action.CYCLE_VIEW: {W, S, A},
    Action.CYCLE_MANAGE: {W, A},
    Action.PUBLICATION_VIEW: {W, H, OP, S, A},
    Action.PUBLICATION_INSTRUCT: {H},
    Action.PUBLICATION_DRAFT: {OP},
    Action.PUBLICATION_REVIEW: {H},
    Action.PUBLICATION_PUBLISH: {OP},
    Action.CHANNEL_MANAGE: {H, A},
    Action.DASHBOARD_VIEW: {W, S, A},
    Action.REPORT_VIEW: {W, S, A},
    Action.REPORT_MANAGE: {W, A},
}


class FakeUser:
    """A plain stand-in: the predicates are pure and read only these attributes."""

    is_authenticated = True
    is_active = True
    is_superuser = False

    def __init__(self, role: str, agency_id: int | None = None) -> None:
        self.role = role
        self.agency_id = agency_id


def test_every_action_has_a_row_in_the_expected_matrix():
    assert set(EXPECTED) == set(Action) == set(ROLE_TABLE)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_matrix(role, action):
    assert can(FakeUser(role, agency_id=1), action) is (role in EXPECTED[action])


@pytest.mark.parametrize("action", list(Action))
def test_anonymous_and_inactive_users_may_do_nothing(action):
    class Anonymous:
        is_authenticated = False
        is_active = False

    inactive = FakeUser(Role.ADMIN)
    inactive.is_active = False
    assert not can(Anonymous(), action)
    assert not can(inactive, action)


def test_the_supervisor_changes_nothing():
    supervisor = FakeUser(Role.SUPERVISOR)
    changing = [a for a in Action if a.value.endswith(".manage")]
    assert changing and not any(can(supervisor, a) for a in changing)
