from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SopConfig(AppConfig):
    """The SOP as data (steps, performers, standard times) and the dissemination cycles."""

    name = "satudata.sop"
    verbose_name = _("SOP and cycles")
