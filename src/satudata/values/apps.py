from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValuesConfig(AppConfig):
    """Observations (nilai data): entry, revisions, spreadsheet import and export."""

    name = "satudata.values"
    verbose_name = _("Values")
