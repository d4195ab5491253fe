from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    """The kinds of Perangkat Daerah of a regency."""

    SECRETARIAT = "secretariat", _("Secretariat")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    OFFICE = "dinas", _("Office (dinas)")
    BOARD = "badan", _("Board (badan)")
    HOSPITAL = "hospital", _("Regional hospital")
    UNIT = "unit", _("Unit (satuan)")
    DISTRICT = "kecamatan", _("District office (kecamatan)")
