"""Choices of the SOP app: the unit of a step's standard time, and a step's state in a cycle."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """Unit of a Mutu Baku standard time."""

    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    # "hari" in the SOP's Mutu Baku column means working days (Monday to Friday): the office
    # does not work on weekends. Public holidays are not known to the product yet.
    WORKING_DAYS = "working_days", _("working days")


class StepState(models.TextChoices):
    """Where one step of a cycle stands, as the timeline shows it."""

    NOT_STARTED = "not_started", _("Not started")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
