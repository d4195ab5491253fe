from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Accessibility(models.TextChoices):
    """Sifat data per the SK Daftar Data: who may see an item's values."""

    OPEN = "open", _("Open")
    LIMITED = "limited", _("Limited")
    CLOSED = "closed", _("Closed")


class Periodicity(models.TextChoices):
    """How often an item is released; its periods follow from it."""

    ANNUAL = "annual", _("Annual")
    SEMESTER = "semester", _("Semester")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")


class PresentationLevel(models.TextChoices):
    """The region level an item's values are given at."""

    REGENCY = "regency", _("Regency")
    DISTRICT = "district", _("District (kecamatan)")
    VILLAGE = "village", _("Village (desa/kelurahan)")


class DataType(models.TextChoices):
    STATISTIC = "statistic", _("Statistical")
    GEOSPATIAL = "geospatial", _("Geospatial")
    FINANCIAL = "financial", _("Financial")


class ItemKind(models.TextChoices):
    INDICATOR = "indicator", _("Indicator")
    VARIABLE = "variable", _("Variable")


class RegionLevel(models.TextChoices):
    """Kemendagri code depth: 35 / 35.09 / 35.09.01 / 35.09.01.2001."""

    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/City")
    DISTRICT = "district", _("District (kecamatan)")
    VILLAGE = "village", _("Village (desa/kelurahan)")


REGION_LEVEL_BY_DEPTH = {
    1: RegionLevel.PROVINCE,
    2: RegionLevel.REGENCY,
    3: RegionLevel.DISTRICT,
    4: RegionLevel.VILLAGE,
}
