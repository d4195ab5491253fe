"""Forms of the SOP pages: the revise form with its step formset, starting a cycle, a step's end."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from satudata.accounts.roles import Role
from satudata.schedule.periods import Period
from satudata.sop.choices import TimeUnit
from satudata.sop.constants import HEADER_FIELDS, STEP_FIELDS
from satudata.sop.models import Sop

_LIST_HELP = _("One entry per line.")
# A browser date field reads and writes ISO dates whatever the interface language.
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SopHeaderForm(forms.Form):
    """The header of the printed SOP form and its text blocks."""

    number = forms.CharField(label=_("SOP number"), max_length=100)
    name = forms.CharField(label=_("SOP name"), max_length=200)
    made_on = forms.DateField(label=_("Made on"), widget=_DATE)
    revised_on = forms.DateField(label=_("Revised on"), required=False, widget=_DATE)
    ratified_on = forms.DateField(label=_("Ratified on"), widget=_DATE)
    ratified_by_name = forms.CharField(label=_("Ratified by (name)"), max_length=200)
    ratified_by_nip = forms.CharField(label=_("NIP"), max_length=40, required=False)
    ratified_by_position = forms.CharField(label=_("Position"), max_length=200)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_LIST_HELP,
    )
    qualifications = forms.CharField(
        label=_("Qualifications of performers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_LIST_HELP,
    )
    related_units = forms.CharField(
        label=_("Related units"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_LIST_HELP,
    )
    equipment = forms.CharField(
        label=_("Equipment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_LIST_HELP,
    )
    warnings = forms.CharField(
        label=_("Warnings"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    recording = forms.CharField(
        label=_("Recording and data keeping"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    @classmethod
    def initial_from(cls, sop: Sop) -> dict[str, Any]:
        return {name: getattr(sop, name) for name in HEADER_FIELDS}


class SopStepForm(forms.Form):
    """One row of the procedure table."""

    number = forms.IntegerField(label=_("No."), min_value=1, max_value=99)
    description = forms.CharField(label=_("Procedure"), widget=forms.Textarea(attrs={"rows": 2}))
    performer = forms.ChoiceField(label=_("Performer"), choices=Role.choices)
    requirement = forms.CharField(
        label=_("Requirement"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    time_amount = forms.IntegerField(label=_("Standard time"), min_value=1, max_value=10000)
    time_unit = forms.ChoiceField(label=_("Unit"), choices=TimeUnit.choices)
    output = forms.CharField(
        label=_("Output"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    note = forms.CharField(label=_("Note"), required=False)


class BaseStepFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        numbers = [
            f.cleaned_data["number"]
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]
        if not numbers:
            raise forms.ValidationError(_("An SOP needs at least one step."))
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            raise forms.ValidationError(
                _("Steps must be numbered 1, 2, 3… without gaps or repeats.")
            )

    def steps(self) -> list[dict[str, Any]]:
        return [
            {name: f.cleaned_data[name] for name in STEP_FIELDS}
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]


StepFormSet = forms.formset_factory(
    SopStepForm, formset=BaseStepFormSet, extra=1, can_delete=True, max_num=30
)


def step_initial(sop: Sop) -> list[dict[str, Any]]:
    return [{name: getattr(s, name) for name in STEP_FIELDS} for s in sop.steps.order_by("number")]


class CycleStartForm(forms.Form):
    """A month, a quarter or a year, chosen as the walidata says it."""

    KINDS = (
        ("monthly", _("Month")),
        ("quarterly", _("Quarter")),
        ("annual", _("Year")),
    )
    kind = forms.ChoiceField(label=_("Cycle per"), choices=KINDS, initial="monthly")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=list(MONTHS.items()),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(q, f"Q{q}") for q in range(1, 5)],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        kind, year = data["kind"], data["year"]
        if kind == "monthly" and not data.get("month"):
            self.add_error("month", _("Choose the month."))
        elif kind == "quarterly" and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter."))
        else:
            index = {"monthly": data.get("month"), "quarterly": data.get("quarter")}.get(kind, 1)
            data["period"] = Period(year, int(index or 1), kind).key
        return data


class StepFinishForm(forms.Form):
    """What a finished step produced, and where to see it."""

    output_label = forms.CharField(label=_("Output"), max_length=200, required=False)
    output_url = forms.CharField(
        label=_("Output link"),
        max_length=500,
        required=False,
        help_text=_("An address (https://…) or a page of this system (/app/…)."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
