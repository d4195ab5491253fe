"""Forms of the data-list pages: decrees, data items, and the item list's filters.

Forms only validate and present; the views hand `cleaned_data` to the catalog services,
which are the only writers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility, Periodicity, PresentationLevel
from satudata.catalog.models import Breakdown, DataItem, DataListDecree, Topic
from satudata.core.form_fields import ModelIdsField

PDF_MAGIC = b"%PDF"
ITEMS_PER_PAGE = 50

# The item form and the item page show the same groups, in this order: the Daftar Data row
# first (what the decree fixes), then the BPS metadata blocks operators know by these names.
ITEM_FIELDSETS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "daftar-data",
        _("Daftar Data"),
        (
            "decree",
            "code",
            "name",
            "agency",
            "topic",
            "data_type",
            "kind",
            "definition",
            "unit",
            "periodicity",
            "level",
            "breakdowns",
            "source_activity",
            "activity_code",
            "tags",
            "source_reference",
            "indicator_code",
            "standard_data_code",
            "planning_category",
            "metadata_code",
        ),
    ),
    ("accessibility", _("Accessibility"), ("accessibility", "accessibility_reason")),
    (
        "ms-indikator",
        _("MS Indikator"),
        (
            "concept",
            "interpretation",
            "formula",
            "measure",
            "classification",
            "is_composite",
            "composite_published",
            "composite_indicators",
            "composite_variables",
            "estimation_level",
        ),
    ),
    (
        "ms-variabel",
        _("MS Variabel"),
        (
            "alias",
            "reference_choice",
            "reference_period",
            "value_type",
            "fill_classification",
            "validation_rules",
            "question_text",
        ),
    ),
    ("links", _("Links"), ("portal_url", "sdi_url")),
)
ITEM_FORM_FIELDS = [name for _slug, _legend, names in ITEM_FIELDSETS for name in names]


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside its field, or above the form.

    A model error may name a field the form does not have (e.g. a constraint over two
    fields); `add_error` would refuse it, so such messages go to the form's top.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class DecreeForm(forms.ModelForm):
    """An SK Daftar Data with its signed PDF."""

    class Meta:
        model = DataListDecree
        fields = ["number", "title", "decree_date", "year", "document", "note"]
        widgets = {
            "decree_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # No "clear" box: a decree's signed copy is replaced, never removed.
            "document": forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["document"].help_text = _("PDF only, at most %(size)s.") % {
            "size": filesizeformat(settings.MAX_UPLOAD_BYTES)
        }

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Give the year the data list is for, e.g. 2026."))
        return year

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        # Only a fresh upload has to be checked; an unchanged one was checked before.
        if document is None or not hasattr(document, "content_type"):
            return document
        if document.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s is accepted.")
                % {
                    "size": filesizeformat(document.size),
                    "max": filesizeformat(settings.MAX_UPLOAD_BYTES),
                }
            )
        # The content decides, not the name or the browser's content type: both are free text.
        document.seek(0)
        head = document.read(len(PDF_MAGIC))
        document.seek(0)
        if head != PDF_MAGIC:
            raise ValidationError(_("The signed document must be a PDF file."))
        return document

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values for decree_create/decree_update; the file only when uploaded."""
        fields = dict(self.cleaned_data)
        # Without a new upload the stored document stays as it is (and no change is audited).
        if not hasattr(fields.get("document"), "content_type"):
            fields.pop("document", None)
        return fields


def _item_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    # Government sites are served over HTTPS; a link typed without scheme means https.
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class DataItemForm(forms.ModelForm):
    """Every attribute of a data item, grouped as on the item page (ITEM_FIELDSETS)."""

    class Meta:
        model = DataItem
        fields = ITEM_FORM_FIELDS
        formfield_callback = _item_formfield
        field_classes = {"breakdowns": ModelIdsField}
        widgets = {
            "breakdowns": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "definition",
                    "accessibility_reason",
                    "concept",
                    "interpretation",
                    "formula",
                    "classification",
                    "composite_indicators",
                    "composite_variables",
                    "reference_choice",
                    "fill_classification",
                    "validation_rules",
                    "question_text",
                )
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current_agency = self.instance.agency_id if self.instance.pk else None
        # An inactive agency is not offered for new rows but stays on the rows it has.
        self.fields["agency"].queryset = Agency.objects.filter(
            Q(is_active=True) | Q(pk=current_agency)
        )
        self.fields["breakdowns"].queryset = Breakdown.objects.all()
        self.fields["accessibility_reason"].help_text = _(
            "Required for limited and closed data: the legal ground, e.g. UU 14/2008 article 17."
        )
        self.fields["tags"].help_text = _("Separated by commas.")

    def fieldsets(self) -> list[tuple[str, Any, list[forms.BoundField]]]:
        """(slug, legend, bound fields) per group, for the template."""
        return [(slug, legend, [self[n] for n in names]) for slug, legend, names in ITEM_FIELDSETS]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values the item services take as keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != "breakdowns"}


SCOPE_MINE, SCOPE_ALL = "mine", "all"


class ItemFilterForm(forms.Form):
    """The item list's filters (GET). Invalid values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(SCOPE_MINE, _("My agency")), (SCOPE_ALL, _("All agencies"))],
    )
    decree = forms.ModelChoiceField(
        label=_("Decree"), required=False, queryset=DataListDecree.objects.all()
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    agency = forms.ModelChoiceField(
        label=_("Producer"), required=False, queryset=Agency.objects.all()
    )
    topic = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=Topic.objects.all())
    accessibility = forms.ChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=[("", "---------"), *Accessibility.choices],
    )
    periodicity = forms.ChoiceField(
        label=_("Periodicity"), required=False, choices=[("", "---------"), *Periodicity.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", "---------"), *PresentationLevel.choices]
    )

    def __init__(self, *args: Any, user: Any, fixed_decree: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_agency_id = getattr(user, "agency_id", None)
        if self.user_agency_id is None:
            # Only someone of an agency has a "my agency" to fall back on.
            del self.fields["scope"]
        elif not self.data.get("scope"):
            # Producers land on their own items; asking for an agency means looking beyond
            # one's own. The choice is written into the data so the select shows it.
            data = self.data.copy()
            data["scope"] = SCOPE_ALL if self.data.get("agency") else SCOPE_MINE
            self.data = data
        if fixed_decree:
            # On a decree's page the decree is given by the URL.
            del self.fields["decree"], self.fields["year"]
        else:
            years = set(DataListDecree.objects.values_list("year", flat=True))
            self.fields["year"].choices = [("", "---------")] + [
                (y, str(y)) for y in sorted(years, reverse=True)
            ]

    @property
    def chosen_scope(self) -> str:
        """SCOPE_MINE (the user's agency only) or SCOPE_ALL (everything the user may see)."""
        if self.user_agency_id is None:
            return SCOPE_ALL
        self.is_valid()
        return self.cleaned_data.get("scope") or SCOPE_MINE

    def filter(self, items: Any) -> Any:
        """Narrow a queryset of items (already limited to what the user may see)."""
        self.is_valid()
        data = self.cleaned_data
        if self.chosen_scope == SCOPE_MINE:
            items = items.filter(agency_id=self.user_agency_id)
        for name in ("decree", "agency", "topic", "accessibility", "periodicity", "level"):
            if data.get(name):
                items = items.filter(**{name: data[name]})
        if data.get("year"):
            items = items.filter(decree__year=data["year"])
        query = (data.get("q") or "").strip()
        if query:
            items = items.filter(
                Q(code__icontains=query)
                | Q(name__icontains=query)
                | Q(definition__icontains=query)
                | Q(tags__icontains=query)
            )
        return items
