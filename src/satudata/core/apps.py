from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting pieces: errors, health, CLI commands, the base layout."""

    name = "satudata.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from satudata.core import (
            checks,  # noqa: F401  (registers the production checks)
            metrics,  # noqa: F401  (counts job outcomes in every process)
        )
