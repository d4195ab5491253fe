"""Observations (nilai data) and their revisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satudata.catalog.models import DataItem, Region
from satudata.values.choices import ValueStatus

# Exact decimals: at most 15 significant digits are accepted by the parser, so that SQLite's
# NUMERIC storage round-trips them exactly too.
MAX_DIGITS, DECIMAL_PLACES = 21, 6


class Observation(models.Model):
    """One value of an item for a period, a region and a breakdown cell."""

    item = models.ForeignKey(DataItem, on_delete=models.CASCADE, related_name="observations")
    period = models.CharField(_("period"), max_length=10)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # "" without breakdowns; else "slug=category" pairs sorted by slug and joined by ";".
    breakdown_key = models.CharField(_("breakdown"), max_length=300, blank=True)
    value = models.DecimalField(_("value"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    status = models.CharField(
        _("status"), max_length=12, choices=ValueStatus.choices, default=ValueStatus.PRELIMINARY
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "period", "region", "breakdown_key"], name="one_value_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.region_id} {self.breakdown_key}={self.value}"


class ObservationRevision(models.Model):
    """The previous state of a value that was changed or emptied: who changed it, and when."""

    item = models.ForeignKey(DataItem, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    region_id = models.CharField(_("region"), max_length=20)
    breakdown_key = models.CharField(_("breakdown"), max_length=300, blank=True)
    previous_value = models.DecimalField(
        _("previous value"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    previous_status = models.CharField(_("previous status"), max_length=12)
    new_value = models.DecimalField(
        _("new value"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_by_label = models.CharField(_("changed by"), max_length=150)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("value revision")
        verbose_name_plural = _("value revisions")
        indexes = [models.Index(fields=["item", "period"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.period} {self.region_id}: {self.previous_value}"
