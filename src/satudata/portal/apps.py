from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "satudata.portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from satudata.portal import (
            receivers,  # noqa: F401  (connects the signal receivers)
            search_receivers,  # noqa: F401  (keeps the search index current)
        )
