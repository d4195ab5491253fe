"""Forms of access requests: the public request form and the reviewer's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.access.constants import DEFAULT_GRANT_DAYS, LETTER_MAGIC, MAX_GRANT_DAYS
from satudata.access.models import AccessRequest


def letter_type(upload: Any) -> str | None:
    """The letter's real type from its first bytes (PDF, PNG, JPEG), or None.

    The content decides, not the name or the browser's content type: both are free text.
    """
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in LETTER_MAGIC.items():
        if head.startswith(magic):
            return content_type
    return None


class AccessRequestForm(forms.ModelForm):
    """Who asks, from which institution, for what, and the signed letter that says so."""

    class Meta:
        model = AccessRequest
        fields = ["name", "institution", "email", "phone", "purpose", "letter"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "letter": forms.FileInput(
                attrs={"accept": "application/pdf,.pdf,image/png,image/jpeg"}
            ),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "institution": forms.TextInput(attrs={"autocomplete": "organization"}),
        }
        labels = {
            "name": _("Full name"),
            "institution": _("Institution"),
            "email": _("E-mail"),
            "phone": _("Phone (optional)"),
            "purpose": _("Purpose of use"),
            "letter": _("Supporting letter"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter"].required = True
        self.fields["letter"].help_text = _(
            "A signed request letter from your institution: PDF, PNG or JPEG, at most %(size)s."
        ) % {"size": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.fields["purpose"].help_text = _(
            "What the data will be used for (research, planning, reporting...)."
        )
        self.fields["email"].help_text = _("The download link is sent to this address.")
        self.letter_type = ""

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if len(purpose) < 20:
            raise ValidationError(_("Describe the purpose in at least one full sentence."))
        return purpose

    def clean_letter(self) -> Any:
        letter = self.cleaned_data.get("letter")
        if letter is None:
            return letter
        if letter.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s is accepted.")
                % {
                    "size": filesizeformat(letter.size),
                    "max": filesizeformat(settings.MAX_UPLOAD_BYTES),
                }
            )
        kind = letter_type(letter)
        if kind is None:
            raise ValidationError(_("The supporting letter must be a PDF, PNG or JPEG file."))
        self.letter_type = kind
        return letter


class DecisionForm(forms.Form):
    """Approve with an expiry date, or refuse with a reason."""

    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (REFUSE, _("Refuse"))],
        widget=forms.RadioSelect,
    )
    expires_on = forms.DateField(
        label=_("Link valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most %(days)s days from today.") % {"days": MAX_GRANT_DAYS},
    )
    reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when refusing; the requester receives it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        widget = self.fields["expires_on"].widget
        widget.attrs.update(
            {
                "min": today.isoformat(),
                "max": (today + dt.timedelta(days=MAX_GRANT_DAYS)).isoformat(),
            }
        )
        if not self.is_bound:
            self.initial["expires_on"] = today + dt.timedelta(days=DEFAULT_GRANT_DAYS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        if decision == self.APPROVE:
            expires_on = data.get("expires_on")
            today = timezone.localdate()
            if expires_on is None:
                self.add_error("expires_on", _("Choose the date the link stops working."))
            elif not today <= expires_on <= today + dt.timedelta(days=MAX_GRANT_DAYS):
                self.add_error(
                    "expires_on",
                    _("Choose a date from today to at most %(days)s days ahead.")
                    % {"days": MAX_GRANT_DAYS},
                )
        elif decision == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for refusing: the requester receives it."))
        return data
