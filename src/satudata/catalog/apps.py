from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Regions, decrees (SK Daftar Data) and their data items with metadata."""

    name = "satudata.catalog"
    verbose_name = _("Data list")
