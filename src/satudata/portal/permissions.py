"""Who may publish to the portal: pure predicates (the role half is accounts/roles.py)."""

from __future__ import annotations

from typing import Any

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action


def can_publish_datasets(user: Any) -> bool:
    """Publish, schedule (embargo) and withdraw datasets: SOP step 3, walidata's."""
    return can(user, Action.DATASET_PUBLISH)
