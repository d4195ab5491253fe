"""Forms of walidata's portal workspace: the list filters, the publish action, the withdrawal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility
from satudata.portal.selectors_workspace import WorkspaceState

STATE_CHOICES = [
    ("", _("All states")),
    (WorkspaceState.UNPUBLISHED, _("Not published")),
    (WorkspaceState.PUBLISHED, _("Published")),
    (WorkspaceState.SCHEDULED, _("Scheduled (embargo)")),
    (WorkspaceState.WITHDRAWN, _("Withdrawn")),
    (WorkspaceState.NEW_PERIODS, _("Has new periods to release")),
]

# How people type a release time: the Indonesian way (31/03/2026 09:00) and what an
# <input type=datetime-local> sends (2026-03-31T09:00).
RELEASE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def parse_release_time(text: str) -> dt.datetime:
    """A typed local time (the server's zone, Asia/Jakarta by default) as an aware datetime."""
    text = " ".join(text.split())
    for fmt in RELEASE_FORMATS:
        try:
            naive = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive, timezone.get_default_timezone())
    raise ValueError(text)


class WorkspaceFilterForm(forms.Form):
    """The list's filters (GET); every field is optional. `class` is added in __init__."""

    agency = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Agency.objects.only("pk", "name").order_by("name"),
        required=False,
        empty_label=_("All producers"),
    )
    state = forms.ChoiceField(label=_("Dataset state"), choices=STATE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "class" is the word of the SOP's step 2 and of the links from it; Python reserves it.
        self.fields["class"] = forms.ChoiceField(
            label=_("Accessibility"),
            choices=[("", _("All classes")), *Accessibility.choices],
            required=False,
        )
        self.order_fields(["agency", "class", "state"])


class PublishForm(forms.Form):
    """The selected items and an optional release time (the embargo)."""

    items = forms.TypedMultipleChoiceField(
        label=_("Selected data items"),
        coerce=int,
        error_messages={"required": _("Select at least one data item to publish.")},
    )
    release_at = forms.CharField(
        label=_("Release date and time (optional)"),
        required=False,
        max_length=40,
        help_text=_(
            "Local time, typed as dd/mm/yyyy HH:MM, e.g. 31/03/2026 09:00. Empty: public at once. "
            "A time ahead is an embargo: nothing shows before it, then everything at once."
        ),
        # A text box, not datetime-local: it shows back exactly what was typed when refused.
        widget=forms.TextInput(attrs={"placeholder": "31/03/2026 09:00", "autocomplete": "off"}),
    )
    # The list's filters, carried along so the page comes back as it was.
    query = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any integer passes here; the view keeps only the list's items and names the others.
        posted = self.data.getlist("items") if hasattr(self.data, "getlist") else []
        self.fields["items"].choices = [(str(i), str(i)) for i in posted]

    def clean_release_at(self) -> dt.datetime | None:
        text = self.cleaned_data["release_at"].strip()
        if not text:
            return None
        try:
            return parse_release_time(text)
        except ValueError:
            raise forms.ValidationError(
                _("Type the release time as dd/mm/yyyy HH:MM, e.g. 31/03/2026 09:00."),
                code="invalid",
            ) from None


class WithdrawForm(forms.Form):
    """The reason for a withdrawal: required, and shown to the public."""

    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown to the public on the dataset's page and in its revision history."),
        error_messages={
            "required": _("Say why the dataset is withdrawn: the reason is shown to the public.")
        },
    )
