from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, agencies (Perangkat Daerah) and roles."""

    name = "satudata.accounts"
    verbose_name = _("Accounts")
