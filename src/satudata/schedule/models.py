"""The release schedule (jadwal rilis) and the fill state of each item per period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satudata.catalog.choices import Periodicity
from satudata.catalog.models import DataItem


class DueRule(models.Model):
    """Walidata's rule per periodicity: values are due this many days after a period ends."""

    periodicity = models.CharField(
        _("periodicity"), max_length=10, choices=Periodicity.choices, unique=True
    )
    days_after_period_end = models.PositiveSmallIntegerField(_("days after the period ends"))

    class Meta:
        ordering = ["periodicity"]
        verbose_name = _("due date rule")
        verbose_name_plural = _("due date rules")

    def __str__(self) -> str:
        return f"{self.get_periodicity_display()}: +{self.days_after_period_end}"


class DueOverride(models.Model):
    """An exception to the rule for one item: for all its periods (period blank) or one."""

    item = models.ForeignKey(
        DataItem, on_delete=models.CASCADE, related_name="due_overrides", verbose_name=_("item")
    )
    period = models.CharField(_("period"), max_length=10, blank=True)
    days_after_period_end = models.PositiveSmallIntegerField(
        _("days after the period ends"), null=True, blank=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("due date override")
        verbose_name_plural = _("due date overrides")
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="one_override_per_period"),
            # Exactly one of the two ways of saying when.
            models.CheckConstraint(
                name="override_says_when",
                condition=(Q(days_after_period_end__isnull=False) & Q(due_date__isnull=True))
                | (Q(days_after_period_end__isnull=True) & Q(due_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.period or '*'}"


class PeriodLock(models.Model):
    """A period closed for entry by walidata (e.g. after the report is final)."""

    period = models.CharField(_("period"), max_length=10, unique=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("locked period")
        verbose_name_plural = _("locked periods")

    def __str__(self) -> str:
        return self.period


class FillState(models.Model):
    """Keterisian of one item for one scheduled period, kept up to date by the value services.

    The fill check reads only this table (thousands of rows a year), never the observations
    (a million rows at scale).
    """

    item = models.ForeignKey(
        DataItem, on_delete=models.CASCADE, related_name="fill_states", verbose_name=_("item")
    )
    period = models.CharField(_("period"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    due_date = models.DateField(_("due date"))
    required_cells = models.PositiveIntegerField(_("required cells"))
    filled_cells = models.PositiveIntegerField(_("filled cells"), default=0)
    # When the last missing cell was filled; cleared when a cell is emptied again.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_change_at = models.DateTimeField(_("last change"), null=True, blank=True)
    # Bumped by every save of the item's values for the period: the grid sends the version
    # it showed, so a second person's save over the first is refused instead of silently lost.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("fill state")
        verbose_name_plural = _("fill states")
        constraints = [
            models.UniqueConstraint(fields=["item", "period"], name="one_fill_state_per_period")
        ]
        indexes = [models.Index(fields=["year", "due_date"])]

    def __str__(self) -> str:
        return f"{self.item.code} {self.period}: {self.filled_cells}/{self.required_cells}"
