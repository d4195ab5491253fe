"""Forms of the report pages: a new draft for a period, the narrative, the letterhead."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from satudata.reports.services import NARRATIVE_MAX


class ReportCreateForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_(
            "A year (2026), a semester (2026-S1), a quarter (2026-Q3) or a month (2026-11)."
        ),
        widget=forms.TextInput(attrs={"placeholder": "2026-Q3", "autocomplete": "off"}),
    )


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Printed after the summary; a blank line starts a new paragraph."),
    )


class LetterheadForm(forms.Form):
    """The letterhead of the report and the social cards (core.Letterhead)."""

    government = forms.CharField(
        label=_("Government"), max_length=200, help_text=_("e.g. PEMERINTAH KABUPATEN JEMBER")
    )
    office = forms.CharField(
        label=_("Office"), max_length=200, help_text=_("e.g. DINAS KOMUNIKASI DAN INFORMATIKA")
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    city = forms.CharField(
        label=_("City of signing"),
        max_length=100,
        required=False,
        help_text=_("Printed before the date above the signature, e.g. Jember."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG image of at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    head_name = forms.CharField(label=_("Head's name"), max_length=200, required=False)
    head_rank = forms.CharField(
        label=_("Head's rank"),
        max_length=200,
        required=False,
        help_text=_("e.g. Pembina Tingkat I (IV/b)"),
    )
    head_nip = forms.CharField(label=_("Head's NIP"), max_length=40, required=False)
    head_position = forms.CharField(
        label=_("Head's position"),
        max_length=200,
        required=False,
        help_text=_("e.g. Kepala Dinas Komunikasi dan Informatika"),
    )
