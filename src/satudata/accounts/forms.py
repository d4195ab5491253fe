"""Forms of the agencies and users pages. They validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency, User

AGENCY_FIELDS = [
    "code",
    "name",
    "short_name",
    "kind",
    "website",
    "email",
    "instagram",
    "facebook",
    "x_account",
    "youtube",
    "logo",
    "is_active",
]


class AgencyForm(forms.ModelForm):
    """An agency's identity and the channels its publications go to."""

    # Most agencies' sites are https; a bare "dinkes.jemberkab.go.id" gets that scheme.
    website = Agency._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Agency
        fields = AGENCY_FIELDS
        help_texts = {
            "logo": _("A PNG or JPEG image of at most 2 MB, printed on the social-media cards."),
            "code": _("The agency's code in the regional nomenclature, e.g. 1.02.01."),
            "instagram": _("Account name, e.g. @dinkesjember."),
        }


def _agency_choices(current: Agency | None) -> Any:
    # An inactive agency is not offered for new accounts, but stays selectable on a user who
    # already belongs to it, so editing their name does not silently move them.
    keep = Q(is_active=True)
    if current is not None:
        keep |= Q(pk=current.pk)
    return Agency.objects.filter(keep).order_by("name")


class _UserFormBase(forms.ModelForm):
    """What the create and edit forms share: role and agency choices, password checks."""

    password_fields: tuple[str, str] = ("password1", "password2")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agency_choices(self.instance.agency)
        self.fields["agency"].help_text = _(
            "Required for a producer head or operator: the agency they work for."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = self.password_fields
        p1, p2 = cleaned.get(first), cleaned.get(second)
        if (p1 or p2) and p1 != p2:
            self.add_error(second, _("The two passwords differ."))
        return cleaned

    def _post_clean(self) -> None:
        # The model's clean (producer roles need an agency) runs here, on the built instance.
        super()._post_clean()
        first, second = self.password_fields
        password = self.cleaned_data.get(first)
        if password and not self.has_error(second):
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error(second, error)

    @property
    def new_password(self) -> str:
        return self.cleaned_data.get(self.password_fields[0]) or ""


class UserCreateForm(_UserFormBase):
    """A new account: who, which role and agency, and a first password."""

    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "agency", "position"]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UserEditForm(_UserFormBase):
    """An existing account; the password changes only when a new one is typed."""

    password_fields = ("new_password1", "new_password2")

    new_password1 = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        help_text=_("Leave empty to keep the current password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "role", "agency", "position", "is_active"]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        # Read before binding: the ModelForm writes typed values onto the instance later.
        self.original_role = self.instance.role
        self.editing_self = self.instance.pk == getattr(actor, "pk", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # An administrator who demotes or deactivates themselves could lock everyone out.
        if self.editing_self:
            if "role" in cleaned and cleaned["role"] != self.original_role:
                self.add_error("role", _("You cannot change your own role."))
            if "is_active" in cleaned and not cleaned["is_active"]:
                self.add_error("is_active", _("You cannot deactivate your own account."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def attach_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
