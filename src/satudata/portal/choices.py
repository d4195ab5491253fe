from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatasetState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RevisionKind(models.TextChoices):
    """What happened to a dataset, as its public revision history tells it."""

    LISTED = "listed", _("Listed on the portal")
    RELEASED = "released", _("Period released")
    VALUES_REVISED = "values_revised", _("Values revised")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPUBLISHED = "republished", _("Published again")


class DownloadFormat(models.TextChoices):
    """The files a dataset's values can be downloaded as; the value is the URL suffix."""

    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"
    JSONSTAT = "stat.json", "JSON-stat 2.0"


DEFAULT_LICENSE = "CC-BY-4.0"
