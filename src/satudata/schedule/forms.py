"""The step-2 filter form (GET): decree year and decree, agency, topic, class, periodicity, text."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility, Periodicity
from satudata.catalog.models import DataListDecree, Topic


class Step2FilterForm(forms.Form):
    """Filters of the data list by accessibility; every field is optional."""

    year = forms.TypedChoiceField(
        label=_("Decree year"), coerce=int, required=False, empty_value=None
    )
    decree = forms.ModelChoiceField(
        label=_("Decree"), queryset=DataListDecree.objects.all(), required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Agency.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("All producers"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("All topics"),
    )
    accessibility = forms.ChoiceField(
        label=_("Accessibility"),
        choices=[("", _("All classes")), *Accessibility.choices],
        required=False,
    )
    periodicity = forms.ChoiceField(
        label=_("Periodicity"),
        choices=[("", _("All periodicities")), *Periodicity.choices],
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["q"].widget.input_type = "search"

    def show_resolved(self, *, year: int | None, decree: DataListDecree | None) -> None:
        """Make the year and decree selects show what the page resolved them to.

        The defaults (newest year, the year's newest decree) are chosen after validation, and a
        bound form renders what was submitted; so the resolved values are written back into
        its data, which only affects how it renders.
        """
        self.data = self.data.copy()
        self.data["year"] = "" if year is None else str(year)
        self.data["decree"] = "" if decree is None else str(decree.pk)

    def set_decree_options(self, decrees: list[DataListDecree]) -> None:
        """Offer only the chosen year's decrees (already fetched), without another query."""
        self.fields["decree"].widget.choices = [(d.pk, str(d)) for d in decrees]


# ---------------------------------------------------------------- release schedule (helper D)

# A due date more than two years after the period's end is a typing error, not a schedule.
MAX_DUE_DAYS = 730


class DueRulesForm(forms.Form):
    """Walidata's rule per periodicity: days after a period ends, one field each."""

    def __init__(self, *args: Any, rules: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Periodicity:
            self.fields[kind.value] = forms.IntegerField(
                label=kind.label,
                min_value=0,
                max_value=MAX_DUE_DAYS,
                initial=rules.get(kind.value),
                help_text=_("days after the period ends"),
            )


class PeriodLockForm(forms.Form):
    """Close a period for entry."""

    period = forms.CharField(
        label=_("Period"), max_length=10, help_text=_("e.g. 2025, 2025-S1, 2025-Q3, 2025-07")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ItemOverrideForm(forms.Form):
    """An item's own rule for all its periods: days after each period ends."""

    days_after_period_end = forms.IntegerField(
        label=_("Days after the period ends"), min_value=0, max_value=MAX_DUE_DAYS
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PeriodDueDateForm(forms.Form):
    """An item's due date for one period."""

    period = forms.ChoiceField(label=_("Period"))
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, periods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, p) for p in periods]


class CalendarFilterForm(forms.Form):
    """The release calendar's filters: year of the periods, producer, periodicity."""

    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2999, required=False)
    agency = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Agency.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("All producers"),
    )
    periodicity = forms.ChoiceField(
        label=_("Periodicity"),
        choices=[("", _("All periodicities")), *Periodicity.choices],
        required=False,
    )
