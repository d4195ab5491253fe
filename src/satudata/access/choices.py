"""States of an access request and the transitions between them: the workflow in one table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessRequestState(models.TextChoices):
    """Where a request for limited data stands."""

    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Expired")


S = AccessRequestState
# The only moves a request may make. Refused and expired are final: a requester who still
# needs the data asks again, so every grant has its own reviewed purpose and expiry.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.APPROVED, S.REFUSED}),
    S.APPROVED: frozenset({S.EXPIRED}),
    S.REFUSED: frozenset(),
    S.EXPIRED: frozenset(),
}


def may_move(source: str, target: str) -> bool:
    """True when the state table allows going from `source` to `target`."""
    return target in TRANSITIONS.get(source, frozenset())


class DownloadFormat(models.TextChoices):
    """The files a granted requester may download."""

    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
