"""Reads of agencies and users that encode a rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from satudata.accounts.models import Agency, User
from satudata.catalog.choices import Accessibility
from satudata.catalog.selectors import items_visible_to


def agencies_with_item_counts(*, user: Any, search: str = "") -> QuerySet[Agency]:
    """Agencies with `n_open`, `n_limited`, `n_closed` and `n_items`, counting only the items
    the user may know exist (a producer never learns how many closed items another agency has).
    """
    visible = items_visible_to(user).values("pk")
    in_view = Q(items__in=visible)
    agencies = Agency.objects.annotate(
        n_open=Count("items", filter=in_view & Q(items__accessibility=Accessibility.OPEN)),
        n_limited=Count("items", filter=in_view & Q(items__accessibility=Accessibility.LIMITED)),
        n_closed=Count("items", filter=in_view & Q(items__accessibility=Accessibility.CLOSED)),
        n_items=Count("items", filter=in_view),
    )
    search = search.strip()
    if search:
        agencies = agencies.filter(
            Q(name__icontains=search) | Q(short_name__icontains=search) | Q(code__icontains=search)
        )
    return agencies.order_by("name")


def users_for_admin(
    *, role: str = "", agency_id: int | None = None, search: str = ""
) -> QuerySet[User]:
    """Every account with its agency, narrowed by role, agency and a name search."""
    users = User.objects.select_related("agency").order_by("username")
    if role:
        users = users.filter(role=role)
    if agency_id:
        users = users.filter(agency_id=agency_id)
    search = search.strip()
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return users
