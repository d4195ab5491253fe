"""Who may see and change data items: pure predicates over the user and the item.

The accessibility class narrows the role table (accounts/roles.py):
- an open item, its metadata and values: everyone who may view items;
- a limited item: its metadata is public, its values only for its own agency, walidata,
  administrators and the supervisor (BPS);
- a closed item: its values only for its own agency, walidata and administrators; its very
  existence is hidden from the public and from other agencies.
"""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can, is_own_agency, user_role
from satudata.accounts.roles import Action, Role
from satudata.catalog.choices import Accessibility

# Roles that see every item of every agency (not only their own).
ALL_ITEMS_ROLES = frozenset({Role.WALIDATA, Role.ADMIN, Role.SUPERVISOR})


def can_view_item(user: Any, item: Any) -> bool:
    """May the user know the item exists and read its metadata."""
    if item.accessibility != Accessibility.CLOSED:
        return user_role(user) is None or can(user, Action.ITEM_VIEW)
    if not can(user, Action.ITEM_VIEW):
        return False
    return user_role(user) in ALL_ITEMS_ROLES or is_own_agency(user, item.agency_id)


def can_view_item_values(user: Any, item: Any) -> bool:
    """May the user read the item's values (observations)."""
    role = user_role(user)
    if item.accessibility == Accessibility.OPEN:
        return True
    if role is None or not can(user, Action.ITEM_VIEW_VALUES):
        return False
    if is_own_agency(user, item.agency_id) or role in (Role.WALIDATA, Role.ADMIN):
        return True
    return item.accessibility == Accessibility.LIMITED and role == Role.SUPERVISOR


def can_manage_items(user: Any) -> bool:
    """Create, edit, classify and import data items (walidata's work)."""
    return can(user, Action.ITEM_MANAGE)


def can_manage_decrees(user: Any) -> bool:
    return can(user, Action.DECREE_MANAGE)


def can_view_accessibility_list(user: Any) -> bool:
    """The step-2 page (the whole list grouped by accessibility)."""
    return can(user, Action.ACCESSIBILITY_VIEW)
