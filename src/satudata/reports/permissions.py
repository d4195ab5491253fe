"""Who may read and make the dissemination report and edit the letterhead: pure predicates."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action


def may_view_reports(user: Any) -> bool:
    return can(user, Action.REPORT_VIEW)


def may_manage_reports(user: Any) -> bool:
    return can(user, Action.REPORT_MANAGE)


def may_edit_letterhead(user: Any) -> bool:
    """The letterhead is the office's identity on every report and card: walidata (whose
    office signs the report) and the administrator keep it, as they make the report."""
    return can(user, Action.REPORT_MANAGE)
