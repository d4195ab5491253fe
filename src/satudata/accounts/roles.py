"""The role table: which role may do which action. The one place where it is written.

Object-level rules (own agency, accessibility class) are the predicates in each app's
permissions.py; they call `role_may` for the role half of the rule.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person is in the SOP (DOMAIN.md, roles)."""

    WALIDATA = "walidata", _("Walidata")
    PRODUCER_HEAD = "producer_head", _("Head of producing agency")
    PRODUCER_OPERATOR = "producer_operator", _("Producer operator")
    SUPERVISOR = "supervisor", _("Supervisor (BPS)")
    ADMIN = "admin", _("Administrator")


# Roles that belong to one producing agency; the user row must name it.
AGENCY_ROLES = frozenset({Role.PRODUCER_HEAD, Role.PRODUCER_OPERATOR})


class Action(StrEnum):
    """Everything a signed-in user may be allowed to do, by name."""

    AGENCY_VIEW = "agency.view"
    AGENCY_MANAGE = "agency.manage"
    USER_MANAGE = "user.manage"
    REGION_MANAGE = "region.manage"
    DECREE_VIEW = "decree.view"
    DECREE_MANAGE = "decree.manage"
    ITEM_VIEW = "item.view"
    ITEM_MANAGE = "item.manage"
    ITEM_VIEW_VALUES = "item.view_values"
    ACCESSIBILITY_VIEW = "accessibility.view"
    AUDIT_VIEW = "audit.view"
    VALUES_EDIT = "values.edit"
    SCHEDULE_MANAGE = "schedule.manage"
    FILL_CHECK_VIEW = "fill_check.view"
    REMINDER_SEND = "reminder.send"
    DATASET_PUBLISH = "dataset.publish"
    ACCESS_REQUEST_REVIEW = "access_request.review"
    SOP_VIEW = "sop.view"
    SOP_MANAGE = "sop.manage"
    CYCLE_VIEW = "cycle.view"
    CYCLE_MANAGE = "cycle.manage"
    PUBLICATION_VIEW = "publication.view"
    PUBLICATION_INSTRUCT = "publication.instruct"
    PUBLICATION_DRAFT = "publication.draft"
    PUBLICATION_REVIEW = "publication.review"
    PUBLICATION_PUBLISH = "publication.publish"
    CHANNEL_MANAGE = "channel.manage"
    DASHBOARD_VIEW = "dashboard.view"
    REPORT_VIEW = "report.view"
    REPORT_MANAGE = "report.manage"


W, H, OP, S, A = (
    Role.WALIDATA,
    Role.PRODUCER_HEAD,
    Role.PRODUCER_OPERATOR,
    Role.SUPERVISOR,
    Role.ADMIN,
)

# Role half of each rule. "item.view" and "item.view_values" are further narrowed per item
# by catalog.permissions (own agency, accessibility class).
ROLE_TABLE: dict[Action, frozenset[Role]] = {
    Action.AGENCY_VIEW: frozenset({W, H, OP, S, A}),
    Action.AGENCY_MANAGE: frozenset({W, A}),
    Action.USER_MANAGE: frozenset({A}),
    Action.REGION_MANAGE: frozenset({W, A}),
    Action.DECREE_VIEW: frozenset({W, H, OP, S, A}),
    Action.DECREE_MANAGE: frozenset({W, A}),
    Action.ITEM_VIEW: frozenset({W, H, OP, S, A}),
    Action.ITEM_MANAGE: frozenset({W, A}),
    Action.ITEM_VIEW_VALUES: frozenset({W, H, OP, S, A}),
    Action.ACCESSIBILITY_VIEW: frozenset({W, S, A}),
    Action.AUDIT_VIEW: frozenset({W, A}),
    # Narrowed per item by values.permissions: producers edit their own agency's values only.
    Action.VALUES_EDIT: frozenset({W, H, OP, A}),
    Action.SCHEDULE_MANAGE: frozenset({W, A}),
    Action.FILL_CHECK_VIEW: frozenset({W, S, A}),
    Action.REMINDER_SEND: frozenset({W, A}),
    # SOP step 3 is walidata's: publishing to the portal, withdrawing, embargoes.
    Action.DATASET_PUBLISH: frozenset({W, A}),
    # Narrowed per request by access.permissions: a head decides for his own agency's data.
    Action.ACCESS_REQUEST_REVIEW: frozenset({W, H, A}),
    # The SOP itself is revised by an administrator (a new revision; the old one is kept).
    Action.SOP_VIEW: frozenset({W, H, OP, S, A}),
    Action.SOP_MANAGE: frozenset({A}),
    # Dissemination cycles are run by walidata; producers record their own steps (4-6) in them.
    Action.CYCLE_VIEW: frozenset({W, S, A}),
    Action.CYCLE_MANAGE: frozenset({W, A}),
    # SOP steps 4-6 are the producers': the head instructs and reviews, the operator drafts and
    # publishes. Narrowed per publication by publications.permissions (own agency only);
    # walidata and the supervisor read every agency's publications.
    Action.PUBLICATION_VIEW: frozenset({W, H, OP, S, A}),
    Action.PUBLICATION_INSTRUCT: frozenset({H}),
    Action.PUBLICATION_DRAFT: frozenset({OP}),
    Action.PUBLICATION_REVIEW: frozenset({H}),
    Action.PUBLICATION_PUBLISH: frozenset({OP}),
    # An agency's channels (website, social networks) are set up by its head or an administrator.
    Action.CHANNEL_MANAGE: frozenset({H, A}),
    # SOP step 7 and the service standards: walidata's, read by the supervisor.
    Action.DASHBOARD_VIEW: frozenset({W, S, A}),
    Action.REPORT_VIEW: frozenset({W, S, A}),
    Action.REPORT_MANAGE: frozenset({W, A}),
}


def role_may(role: str | None, action: Action) -> bool:
    """True when the role's half of the rule allows the action."""
    return role is not None and role in ROLE_TABLE[action]
