"""Who may enter and change values: the item's own agency, walidata and administrators."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can, is_own_agency, user_role
from satudata.accounts.roles import Action, Role


def can_edit_values(user: Any, item: Any) -> bool:
    """Operators and heads fill their own agency's items; walidata may enter on their behalf."""
    if not can(user, Action.VALUES_EDIT):
        return False
    return user_role(user) in (Role.WALIDATA, Role.ADMIN) or is_own_agency(user, item.agency_id)
