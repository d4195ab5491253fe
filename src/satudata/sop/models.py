"""The SOP as data (a revision, its steps and their Mutu Baku) and the dissemination cycles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.accounts.roles import AGENCY_ROLES, Role
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.sop.choices import TimeUnit
from satudata.sop.durations import deadline, standard_text


class Sop(models.Model):
    """One revision of the SOP as ratified; a revision is never changed once made."""

    number = models.CharField(_("SOP number"), max_length=100)
    name = models.CharField(_("SOP name"), max_length=200)
    revision = models.PositiveIntegerField(_("revision"), unique=True)
    made_on = models.DateField(_("made on"))
    revised_on = models.DateField(_("revised on"), null=True, blank=True)
    ratified_on = models.DateField(_("ratified on"))
    ratified_by_name = models.CharField(_("ratified by (name)"), max_length=200)
    ratified_by_nip = models.CharField(_("ratified by (NIP)"), max_length=40, blank=True)
    ratified_by_position = models.CharField(_("ratified by (position)"), max_length=200)
    # The printed form's text blocks; lists are one entry per line.
    legal_basis = models.TextField(_("legal basis"), blank=True)
    qualifications = models.TextField(_("qualifications of performers"), blank=True)
    related_units = models.TextField(_("related units"), blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    warnings = models.TextField(_("warnings"), blank=True)
    recording = models.TextField(_("recording and data keeping"), blank=True)
    is_current = models.BooleanField(_("current"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-revision"]
        verbose_name = _("SOP revision")
        constraints = [
            # Only one revision is in force; older ones are kept for the cycles that ran on them.
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="sop_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number}, rev. {self.revision})"

    @staticmethod
    def lines(text: str) -> list[str]:
        """A text block's entries, one per non-empty line."""
        return [line.strip() for line in text.splitlines() if line.strip()]


class SopStep(models.Model):
    """One step of an SOP revision: what, by whom, needing what, in what time, producing what."""

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"))
    description = models.TextField(_("procedure"))
    performer = models.CharField(_("performer"), max_length=20, choices=Role.choices)
    requirement = models.TextField(_("requirement"), blank=True)
    time_amount = models.PositiveIntegerField(_("standard time"))
    # "hari" in a Mutu Baku means working days, Monday to Friday (see TimeUnit).
    time_unit = models.CharField(_("unit"), max_length=20, choices=TimeUnit.choices)
    output = models.TextField(_("output"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["sop", "number"]
        verbose_name = _("SOP step")
        constraints = [
            models.UniqueConstraint(fields=["sop", "number"], name="sop_step_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.description[:60]}"

    @property
    def per_agency(self) -> bool:
        """Producers' steps run once per agency (and publication), walidata's once per cycle."""
        return self.performer in AGENCY_ROLES

    @property
    def standard_text(self) -> str:
        return standard_text(self.time_amount, self.time_unit)

    def due_at(self, started_at: dt.datetime) -> dt.datetime:
        """The deadline of a run started at `started_at`, in the local time zone."""
        return timezone.localtime(deadline(started_at, self.time_amount, self.time_unit))


class Cycle(models.Model):
    """One run of the SOP's steps for a period (a month, a quarter or a year)."""

    period = models.CharField(_("period"), max_length=10, unique=True)
    # The revision in force when the cycle started: a later revision does not rewrite history.
    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="cycles")
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("dissemination cycle")

    def __str__(self) -> str:
        return str(_("Cycle %(period)s") % {"period": self.period})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def period_value(self) -> Period | None:
        try:
            return Period.parse(self.period)
        except InvalidPeriod:
            return None


class StepRun(models.Model):
    """One performance of a step in a cycle: who, from when to when, and a link to its output."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="runs")
    step = models.ForeignKey(SopStep, on_delete=models.PROTECT, related_name="runs")
    # Null for walidata's steps; producers' steps (4-6) run per agency and publication.
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    output_label = models.CharField(_("output"), max_length=200, blank=True)
    output_url = models.CharField(_("output link"), max_length=500, blank=True)
    # What the run worked on, e.g. "publication:12", so steps 4-6 of one publication pair up.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # A review (step 5) that sent the draft back: the previous step must run again.
    returned = models.BooleanField(_("returned for revision"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["step__number", "agency__name", "started_at", "pk"]
        verbose_name = _("step run")
        indexes = [models.Index(fields=["cycle", "step", "agency"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.step.number}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    @property
    def due_at(self) -> dt.datetime:
        return self.step.due_at(self.started_at)

    @property
    def duration(self) -> dt.timedelta | None:
        """The actual time taken; None while running."""
        return None if self.ended_at is None else self.ended_at - self.started_at

    def is_late_at(self, now: dt.datetime) -> bool:
        """Ended after its deadline, or still running past it."""
        return (self.ended_at or now) > self.due_at

    @property
    def is_late(self) -> bool:
        return self.is_late_at(timezone.now())

    def lateness(self, now: dt.datetime) -> dt.timedelta:
        return max((self.ended_at or now) - self.due_at, dt.timedelta(0))
