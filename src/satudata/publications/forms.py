"""Forms of the steps 4-5 pages: the instruction, the review decision, cancelling, the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem
from satudata.core.form_fields import ModelIdsField
from satudata.publications.choices import PublicationState
from satudata.publications.models import Channel


class ItemChoiceField(ModelIdsField):
    def label_from_instance(self, obj: DataItem) -> str:  # type: ignore[override]
        return f"{obj.code} · {obj.name} ({obj.decree.year})"


class OperatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.display_name


class ChannelChoiceField(ModelIdsField):
    def label_from_instance(self, obj: Channel) -> str:  # type: ignore[override]
        return f"{obj.name} ({obj.get_kind_display()})"


class InstructionForm(forms.Form):
    """The head's disposisi: to whom, about what, on which channels, with which note."""

    assignee = OperatorChoiceField(label=_("Operator"), queryset=User.objects.none())
    topic = forms.CharField(
        label=_("Data or topic"),
        max_length=300,
        help_text=_("For example: immunisation coverage 2025 by district."),
    )
    items = ItemChoiceField(
        label=_("Data items (optional)"),
        queryset=DataItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Only your agency's open items: a publication is public."),
    )
    channels = ChannelChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the portal's publications section."),
    )
    instruction = forms.CharField(
        label=_("Instruction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the publication should say or show, and for whom."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            agency=agency, role=Role.PRODUCER_OPERATOR, is_active=True
        ).order_by("first_name", "username")
        self.fields["items"].queryset = (  # type: ignore[attr-defined]
            DataItem.objects.filter(agency=agency, accessibility=Accessibility.OPEN)
            .select_related("decree")
            .order_by("-decree__year", "code")
        )
        self.fields["channels"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            agency=agency, is_active=True
        ).order_by("kind", "name")


class ReviewForm(forms.Form):
    """The head's decision on the newest version: approve, or return with a comment."""

    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=((APPROVE, _("Approve")), (RETURN, _("Return for revision"))),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning: say what must change."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what must change: a returned draft needs a comment."))
        return data


class CancelForm(forms.Form):
    """Withdrawing an instruction still being drafted needs a reason (it is audited)."""

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class ListFilterForm(forms.Form):
    """The list page's filters (agency only for those who see every agency)."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *PublicationState.choices],
    )

    def __init__(self, *args: Any, all_agencies: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if all_agencies:
            self.fields["agency"].queryset = Agency.objects.order_by(  # type: ignore[attr-defined]
                "name"
            )
        else:
            del self.fields["agency"]
