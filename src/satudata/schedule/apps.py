from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    """SOP steps 1 and 2: fill state against the release schedule, grouping by accessibility."""

    name = "satudata.schedule"
    verbose_name = _("Schedule and fill check")

    def ready(self) -> None:
        from satudata.schedule import receivers  # noqa: F401  (connects the signal receivers)
