"""Who may review access requests: pure predicates over the role table and the agency."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can, is_own_agency, user_role
from satudata.accounts.roles import Action, Role


def can_review_requests(user: Any) -> bool:
    """May use the review pages at all (walidata, administrators, agency heads)."""
    return can(user, Action.ACCESS_REQUEST_REVIEW)


def reviews_all_agencies(user: Any) -> bool:
    """Walidata and administrators review every agency's requests; a head only his own."""
    return can_review_requests(user) and user_role(user) != Role.PRODUCER_HEAD


def can_review_request(user: Any, request: Any) -> bool:
    """May see and decide this request: a head only for his own agency's dataset."""
    if not can_review_requests(user):
        return False
    return reviews_all_agencies(user) or is_own_agency(user, request.dataset.item.agency_id)
