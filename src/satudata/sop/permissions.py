"""Who may read and change the SOP and record a cycle's steps: small pure predicates."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can, is_own_agency, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action, Role
from satudata.sop.models import SopStep

# Walidata runs the cycle and may record any step on a producer's behalf (e.g. from a phone
# call); the administrator may correct anything.
RECORD_ANY_ROLES = frozenset({Role.WALIDATA, Role.ADMIN})


def may_view_sop(user: Any) -> bool:
    return can(user, Action.SOP_VIEW)


def may_manage_sop(user: Any) -> bool:
    return can(user, Action.SOP_MANAGE)


def may_view_cycles(user: Any) -> bool:
    return can(user, Action.CYCLE_VIEW)


def may_manage_cycles(user: Any) -> bool:
    return can(user, Action.CYCLE_MANAGE)


def may_record_steps(user: Any) -> bool:
    """The role half: walidata, administrators and producers record steps."""
    return user_role(user) in RECORD_ANY_ROLES | AGENCY_ROLES


def may_record_step(user: Any, step: SopStep, agency_id: int | None) -> bool:
    """The step's performer records it: producers only for their own agency."""
    role = user_role(user)
    if role in RECORD_ANY_ROLES:
        return True
    if role is None or role != step.performer:
        return False
    if role in AGENCY_ROLES:
        return is_own_agency(user, agency_id)
    return True
