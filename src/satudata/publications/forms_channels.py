"""Forms of step 6: a channel (kind-specific fields, credentials never shown) and a proof."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satudata.core.errors import DomainError
from satudata.publications.channels import address_error
from satudata.publications.choices import ChannelKind
from satudata.publications.connectors import CREDENTIAL_FIELDS
from satudata.publications.models import Channel, Post
from satudata.publications.posting import CLOCK_SKEW, approved_at, screenshot_check

ADDRESS_FIELD: dict[str, tuple[Any, Any, bool]] = {
    # kind: (label, help text, required)
    ChannelKind.WORDPRESS: (
        gettext_lazy("Website address"),
        gettext_lazy("The site's home address, for example https://dinkes.jemberkab.go.id"),
        True,
    ),
    ChannelKind.FACEBOOK: (
        gettext_lazy("Facebook Page id"),
        gettext_lazy("The Page's numeric id (Page settings, About, Page transparency)."),
        True,
    ),
    ChannelKind.INSTAGRAM: (
        gettext_lazy("Instagram account id"),
        gettext_lazy("The numeric id of the professional account linked to the Page."),
        True,
    ),
    ChannelKind.X: (
        gettext_lazy("Account handle"),
        gettext_lazy("For example @diskominfojember; used to build the post's link."),
        False,
    ),
    ChannelKind.MANUAL: (
        gettext_lazy("Where it is posted"),
        gettext_lazy("For example the office's WhatsApp group or its YouTube channel."),
        False,
    ),
}

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ChannelForm(forms.Form):
    """A channel of one kind; on edit, empty credentials keep the saved ones."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    address = forms.CharField(max_length=300, required=False)
    is_active = forms.BooleanField(
        label=gettext_lazy("Active (used for new publications)"), required=False, initial=True
    )

    def __init__(self, *args: Any, kind: str, channel: Channel | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.channel = channel
        if kind == ChannelKind.PORTAL:
            del self.fields["address"]
            del self.fields["is_active"]
            return
        label, help_text, required = ADDRESS_FIELD[kind]
        address = self.fields["address"]
        address.label, address.help_text, address.required = label, help_text, required
        saved = channel is not None and channel.has_credentials
        for key, field_label, secret in CREDENTIAL_FIELDS.get(kind, []):
            widget = forms.PasswordInput(render_value=False) if secret else forms.TextInput()
            widget.attrs["autocomplete"] = "new-password" if secret else "off"
            self.fields[f"cred_{key}"] = forms.CharField(
                label=field_label,
                required=not saved,
                widget=widget,
                strip=True,
                help_text=_("Saved on %(date)s; leave empty to keep.")
                % {"date": formats.date_format(timezone.localtime(channel.credentials_set_at))}
                if saved and channel and channel.credentials_set_at
                else "",
            )

    def clean_address(self) -> str:
        value = self.cleaned_data.get("address", "").strip()
        error = address_error(self.kind, value)
        if error:
            raise ValidationError(error)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        fields = CREDENTIAL_FIELDS.get(self.kind, [])
        given = [key for key, _label, _secret in fields if cleaned.get(f"cred_{key}")]
        if given and len(given) != len(fields):
            for key, _label, _secret in fields:
                if not cleaned.get(f"cred_{key}"):
                    self.add_error(
                        f"cred_{key}", _("Fill in every credential together, or leave all empty.")
                    )
        return cleaned

    def credentials(self) -> dict[str, str] | None:
        values = {
            key: self.cleaned_data.get(f"cred_{key}", "")
            for key, _label, _secret in CREDENTIAL_FIELDS.get(self.kind, [])
        }
        return values if any(values.values()) else None


class ProofForm(forms.Form):
    """Proof of a post made by hand: its link, its time, and a screenshot."""

    url = forms.URLField(
        label=gettext_lazy("Link to the post"),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    posted_at = forms.DateTimeField(
        label=gettext_lazy("Posted at"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    screenshot = forms.FileField(
        label=gettext_lazy("Screenshot (optional)"),
        required=False,
        help_text=gettext_lazy("A PNG, JPEG or WebP picture of the post, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"proof-{post.pk}-%s")
        super().__init__(*args, **kwargs)
        self.post = post
        if not self.is_bound:
            self.initial.setdefault("posted_at", timezone.localtime().replace(second=0))

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(_("Enter the post's link, starting with http:// or https://."))
        return url

    def clean_posted_at(self) -> dt.datetime:
        when = self.cleaned_data["posted_at"]
        if when > timezone.now() + CLOCK_SKEW:
            raise ValidationError(_("The time of the post cannot be in the future."))
        approved = approved_at(self.post.publication)
        if approved is not None and when < approved - CLOCK_SKEW:
            raise ValidationError(
                _("The time of the post cannot be before the approval (%(approved)s).")
                % {"approved": timezone.localtime(approved).strftime("%d-%m-%Y %H:%M")}
            )
        return when

    def clean_screenshot(self) -> Any:
        upload = self.cleaned_data.get("screenshot")
        if upload:
            try:
                screenshot_check(upload)
            except DomainError as error:
                raise ValidationError(error.message) from None
        return upload
