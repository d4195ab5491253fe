"""The operator's draft form (SOP step 4): one form for the page's POST and for autosave's JSON.

The form only parses and checks shapes (lengths, a dataset of the agency, blocks as JSON);
sanitizing and the rules of the draft stay in the service (`services.draft_save`).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from satudata.portal.models import Dataset
from satudata.portal.selectors import public_datasets
from satudata.publications.models import Publication

# The draft's own fields, as `services.draft_save` takes them.
DRAFT_FIELDS = ("title", "body", "caption", "hashtags", "blocks", "dataset")


def agency_datasets(publication: Publication) -> QuerySet[Dataset]:
    """The agency's datasets the public can see on the portal, and the one already linked.

    The linked one stays choosable even if it left the portal since, so saving the draft
    never drops a link the operator did not touch.
    """
    public = public_datasets().filter(item__agency_id=publication.agency_id)
    rule = Q(pk__in=public.values("pk"))
    if publication.dataset_id:
        rule |= Q(pk=publication.dataset_id)
    return Dataset.objects.filter(rule).select_related("item").order_by("item__name", "code")


class DatasetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Dataset) -> str:  # type: ignore[override]
        return f"{obj.item.name} ({obj.code})"


class DraftForm(forms.Form):
    """Title, formatted text, social media caption and hashtags, the portal dataset, blocks."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Formatted text (HTML). Scripts and other active content are removed."),
    )
    caption = forms.CharField(
        label=_("Caption for social media"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hashtags = forms.CharField(
        label=_("Hashtags"),
        max_length=500,
        required=False,
        help_text=_("Separated by spaces, for example: #SatuData #Statistik"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    dataset = DatasetChoiceField(
        label=_("Dataset on the portal"),
        required=False,
        queryset=Dataset.objects.none(),
        empty_label=_("– no link –"),
        help_text=_("The published dataset the publication links to."),
    )
    # Rendered by `_blocks_editor.html` (its own hidden input), parsed here.
    blocks = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, publication: Publication, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.publication = publication
        self.fields["dataset"].queryset = agency_datasets(publication)  # type: ignore[attr-defined]

    def clean_blocks(self) -> Any:
        raw = self.cleaned_data.get("blocks") or ""
        if not raw.strip():
            return []
        try:
            return json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The tables and charts could not be read.")) from None

    def draft_fields(self, present: set[str]) -> dict[str, Any]:
        """The cleaned draft fields that the request carried (absent ones stay as stored)."""
        return {name: self.cleaned_data[name] for name in DRAFT_FIELDS if name in present}

    def error_text(self) -> str:
        """All field errors in one line, for autosave's JSON answer."""
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            text = " ".join(str(e) for e in errors)
            parts.append(f"{label}: {text}" if label else text)
        return " ".join(parts)


def initial_data(publication: Publication) -> dict[str, Any]:
    """The stored draft as the form shows it."""
    return {
        "revision": publication.revision,
        "title": publication.title,
        "body": publication.body,
        "caption": publication.caption,
        "hashtags": publication.hashtags,
        "dataset": publication.dataset_id,
        "blocks": json.dumps(publication.blocks or []),
    }
