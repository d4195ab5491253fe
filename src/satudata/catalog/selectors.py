"""Reads of the data list that encode a rule: what a user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataItemQuerySet, DataListDecree
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


def decree_item_counts_for(user: Any) -> dict[int, dict[str, int]]:
    """Per decree id, counts by class ({"open": n, ..., "total": n}) of the items the user sees."""
    # Counted over visible items only: a count must not reveal another agency's closed items.
    counts: dict[int, dict[str, int]] = {}
    rows = (
        items_visible_to(user)
        .order_by()
        .values_list("decree_id", "accessibility")
        .annotate(n=Count("id"))
    )
    for decree_id, accessibility, n in rows:
        per = counts.setdefault(decree_id, {a.value: 0 for a in Accessibility} | {"total": 0})
        per[accessibility] = n
        per["total"] += n
    return counts


def decree_for_year(year: int) -> DataListDecree | None:
    """The data list in force for a year's periods: the newest decree of that year or before.

    Years older than every decree fall back to the oldest one, so that the history a region
    brings along (values of earlier years) still has a list to belong to.
    """
    decrees = DataListDecree.objects.order_by("-year", "-decree_date", "-pk")
    return decrees.filter(year__lte=year).first() or decrees.order_by("year", "decree_date").first()
