"""The reminders page's selection (GET and the send POST): a year, optionally one period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.schedule.periods import InvalidPeriod, Period


class ReminderSelectionForm(forms.Form):
    """Year of the periods, and a period of it (2026-Q3, 2026-07...) or the whole year."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999, required=False)
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        required=False,
        strip=True,
        help_text=_("Empty for the whole year; or e.g. 2026-S1, 2026-Q3, 2026-07."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        data["year"] = data.get("year") or timezone.localdate().year
        period = data.get("period") or ""
        if period:
            try:
                parsed = Period.parse(period)
            except InvalidPeriod:
                self.add_error("period", _("Write a period such as 2026-Q3, 2026-S1 or 2026-07."))
                return data
            if parsed.year != data["year"]:
                self.add_error("period", _("The period must be of the year chosen."))
                return data
            period = parsed.key
        data["period"] = period
        return data
