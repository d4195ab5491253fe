"""Reads of the data list that encode a rule: what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataItemQuerySet
from satudata.catalog.permissions import ALL_ITEMS_ROLES


def items_visible_to(user: Any) -> DataItemQuerySet:
    """Items whose existence the user may know (the queryset twin of can_view_item)."""
    items = DataItem.objects.all()
    role = user_role(user)
    if role is None:
        return items.public()
    if not can(user, Action.ITEM_VIEW):
        return items.none()
    if role in ALL_ITEMS_ROLES:
        return items
    return items.filter(~Q(accessibility=Accessibility.CLOSED) | Q(agency_id=user.agency_id))


def items_of_agency_for(user: Any) -> DataItemQuerySet:
    """A producer's own list: every item of the user's agency, closed ones included."""
    if getattr(user, "agency_id", None) is None:
        return DataItem.objects.none()
    return items_visible_to(user).filter(agency_id=user.agency_id)
