"""Pure predicates over a user's role; object rules build on these."""

from __future__ import annotations

from typing import Any

from satudata.accounts.roles import Action, Role, role_may


def user_role(user: Any) -> str | None:
    """The user's SOP role; a Django superuser counts as administrator; anonymous has none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role or None


def can(user: Any, action: Action) -> bool:
    """The role half of a rule: may this user do this kind of action at all."""
    return role_may(user_role(user), action)


def is_own_agency(user: Any, agency_id: int | None) -> bool:
    return agency_id is not None and getattr(user, "agency_id", None) == agency_id
