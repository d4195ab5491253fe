from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and reminders to agencies (e-mail and in-app)."""

    name = "satudata.notifications"
    verbose_name = _("Notifications")
