"""The step-1 filter form (GET): year, part of the year, agency, status, topic, class."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility, Periodicity
from satudata.catalog.models import Topic
from satudata.schedule.choices import FillStatus
from satudata.schedule.fill_check import OVERDUE
from satudata.schedule.periods import InvalidPeriod, Period


def period_choices(year: int) -> list[tuple[str, str]]:
    """The whole year, then its semesters, quarters and months, with their months in words."""

    def span(period: Period) -> str:
        first, last = (date_format(d, "M") for d in (period.start, period.end))
        return f"{first}–{last}"

    choices: list[tuple[str, str]] = [("", _("The whole year %(year)s") % {"year": year})]
    for p in Period.of_year(year, Periodicity.SEMESTER):
        choices.append((p.key, _("Semester %(n)s (%(span)s)") % {"n": p.index, "span": span(p)}))
    for p in Period.of_year(year, Periodicity.QUARTERLY):
        choices.append((p.key, _("Quarter %(n)s (%(span)s)") % {"n": p.index, "span": span(p)}))
    for p in Period.of_year(year, Periodicity.MONTHLY):
        choices.append((p.key, date_format(p.start, "F Y")))
    return choices


class Step1FilterForm(forms.Form):
    """Filters of the fill check; every field is optional (the year defaults to this year)."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )
    period = forms.CharField(label=gettext_lazy("Period"), required=False, max_length=10)
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Producer"),
        queryset=Agency.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=gettext_lazy("All producers"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Fill status"),
        choices=[
            ("", gettext_lazy("All statuses")),
            (OVERDUE, gettext_lazy("Overdue (due, not complete)")),
            *FillStatus.choices,
        ],
        required=False,
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=gettext_lazy("All topics"),
    )
    accessibility = forms.ChoiceField(
        label=gettext_lazy("Accessibility"),
        choices=[("", gettext_lazy("All classes")), *Accessibility.choices],
        required=False,
    )

    def __init__(self, *args: Any, years: list[int], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].choices = [(y, str(y)) for y in years]
        shown = self.data.get("year") or self.data.get("period", "")[:4]
        year = int(shown) if shown.isdigit() else today.year
        self.fields["period"].widget = forms.Select(choices=period_choices(year))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key = data.get("period") or ""
        data["period"] = None
        if key:
            try:
                period = Period.parse(key)
            except InvalidPeriod:
                self.add_error("period", _("%(period)s is not a period.") % {"period": key})
                return data
            year = data.get("year")
            if year is not None and year != period.year:
                self.add_error("period", _("The period is not in the chosen year."))
                return data
            data["period"] = period
            data["year"] = period.year
            if "year" not in self.errors and period.year not in dict(self.fields["year"].choices):
                self.add_error("period", _("No schedule for that year."))
        return data

    def resolved_year(self) -> int:
        """The year the page shows (after is_valid): the one chosen, else this year."""
        return self.cleaned_data.get("year") or self.today.year

    def show_resolved(self, *, year: int) -> None:
        """Write the defaulted year back so that the select shows it, and offer its periods."""
        self.data = self.data.copy()
        self.data["year"] = str(year)
        self.fields["period"].widget.choices = period_choices(year)
