from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FillStatus(models.TextChoices):
    """Keterisian of one item for one scheduled period (SOP step 1)."""

    FILLED = "filled", _("Filled")
    FILLED_LATE = "filled_late", _("Filled late")
    PARTIAL = "partial", _("Partly filled")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not yet due")


# Default rule: days after the end of a period by which its values are due. Annual data by
# 31 March of the next year (90 days after 31 December), quarterly 45 days after the quarter.
DEFAULT_DUE_DAYS = {"annual": 90, "semester": 60, "quarterly": 45, "monthly": 30}
