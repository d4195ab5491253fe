from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """Who started a reminder: walidata's click, or the scheduled daily job."""

    MANUAL = "manual", _("Sent by walidata")
    DAILY = "daily", _("Daily job")
