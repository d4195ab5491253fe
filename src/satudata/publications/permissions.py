"""Who may see and do what with a publication: small pure predicates over role and agency."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can, is_own_agency, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action


def may_view_publications(user: Any) -> bool:
    return can(user, Action.PUBLICATION_VIEW)


def may_view_publication(user: Any, agency_id: int | None) -> bool:
    """Producers see their own agency's publications; walidata, supervisor, admin see all."""
    if not can(user, Action.PUBLICATION_VIEW):
        return False
    if user_role(user) in AGENCY_ROLES:
        return is_own_agency(user, agency_id)
    return True


def _own(user: Any, action: Action, agency_id: int | None) -> bool:
    return can(user, action) and is_own_agency(user, agency_id)


def may_instruct(user: Any, agency_id: int | None) -> bool:
    return _own(user, Action.PUBLICATION_INSTRUCT, agency_id)


def may_draft(user: Any, agency_id: int | None) -> bool:
    return _own(user, Action.PUBLICATION_DRAFT, agency_id)


def may_review(user: Any, agency_id: int | None) -> bool:
    return _own(user, Action.PUBLICATION_REVIEW, agency_id)


def may_publish(user: Any, agency_id: int | None) -> bool:
    return _own(user, Action.PUBLICATION_PUBLISH, agency_id)


def may_manage_channels(user: Any, agency_id: int | None) -> bool:
    """The agency's head for his own agency; an administrator for any."""
    if not can(user, Action.CHANNEL_MANAGE):
        return False
    if user_role(user) in AGENCY_ROLES:
        return is_own_agency(user, agency_id)
    return True
