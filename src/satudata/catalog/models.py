"""The data list: regions, decrees (SK Daftar Data) and their items with BPS metadata."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.choices import (
    Accessibility,
    DataType,
    ItemKind,
    Periodicity,
    PresentationLevel,
    RegionLevel,
)


class Region(models.Model):
    """An administrative region identified by its Kemendagri reference code."""

    code = models.CharField(_("code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=150)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Topic(models.Model):
    """A sector (topik/sektor) that groups data items on the portal."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Breakdown(models.Model):
    """A disaggregation of values (e.g. sex: male, female) with its categories."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    categories = models.JSONField(_("categories"), default=list)

    class Meta:
        ordering = ["name"]
        verbose_name = _("breakdown")
        verbose_name_plural = _("breakdowns")

    def __str__(self) -> str:
        return self.name


class DataListDecree(models.Model):
    """SK Daftar Data: the decree that fixes a year's data list."""

    number = models.CharField(_("decree number"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    decree_date = models.DateField(_("decree date"))
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.FileField(_("signed document"), upload_to="decrees/", blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-decree_date"]
        verbose_name = _("data list decree")
        verbose_name_plural = _("data list decrees")

    def __str__(self) -> str:
        return f"{self.number} ({self.year})"


class DataItemQuerySet(models.QuerySet["DataItem"]):
    def public(self) -> DataItemQuerySet:
        """Items whose existence the public may know: open and limited, never closed."""
        return self.exclude(accessibility=Accessibility.CLOSED)


class DataItem(models.Model):
    """One row of the Daftar Data: a data item with its producer, class and BPS metadata."""

    decree = models.ForeignKey(
        DataListDecree, verbose_name=_("decree"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("data name"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="items"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
    )
    data_type = models.CharField(
        _("data type"), max_length=12, choices=DataType.choices, default=DataType.STATISTIC
    )
    kind = models.CharField(
        _("indicator or variable"),
        max_length=10,
        choices=ItemKind.choices,
        default=ItemKind.INDICATOR,
    )
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=100)
    periodicity = models.CharField(_("periodicity"), max_length=10, choices=Periodicity.choices)
    level = models.CharField(
        _("presentation level"), max_length=10, choices=PresentationLevel.choices
    )
    breakdowns = models.ManyToManyField(
        Breakdown, verbose_name=_("breakdowns"), blank=True, related_name="items"
    )
    source_activity = models.CharField(_("source activity"), max_length=300, blank=True)
    activity_code = models.CharField(_("activity code"), max_length=50, blank=True)
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    accessibility = models.CharField(
        _("accessibility"), max_length=10, choices=Accessibility.choices
    )
    accessibility_reason = models.TextField(_("legal reason for the class"), blank=True)

    # The other attributes of a Daftar Data row in regional practice.
    source_reference = models.CharField(_("source reference"), max_length=200, blank=True)
    indicator_code = models.CharField(_("indicator code"), max_length=50, blank=True)
    standard_data_code = models.CharField(_("standard data code"), max_length=50, blank=True)
    planning_category = models.CharField(_("planning category"), max_length=100, blank=True)
    metadata_code = models.CharField(_("metadata code"), max_length=50, blank=True)
    portal_url = models.URLField(_("link on the regional portal"), blank=True)
    sdi_url = models.URLField(_("link on the SDI portal"), blank=True)

    # BPS metadata (Peraturan BPS 5/2020): MS Indikator and MS Variabel.
    concept = models.TextField(_("concept"), blank=True)
    interpretation = models.TextField(_("interpretation"), blank=True)
    formula = models.TextField(_("calculation method / formula"), blank=True)
    measure = models.CharField(_("measure"), max_length=100, blank=True)
    classification = models.TextField(_("presentation classification"), blank=True)
    is_composite = models.BooleanField(_("composite indicator"), default=False)
    composite_published = models.BooleanField(_("building indicators are published"), default=False)
    composite_indicators = models.TextField(_("building indicator names"), blank=True)
    composite_variables = models.TextField(_("building variable names"), blank=True)
    estimation_level = models.CharField(_("estimation level"), max_length=150, blank=True)
    alias = models.CharField(_("alias"), max_length=150, blank=True)
    reference_choice = models.TextField(_("selection reference"), blank=True)
    reference_period = models.CharField(_("reference period"), max_length=150, blank=True)
    value_type = models.CharField(_("value type"), max_length=50, blank=True)
    fill_classification = models.TextField(_("fill classification"), blank=True)
    validation_rules = models.TextField(_("validation rules"), blank=True)
    question_text = models.TextField(_("question text"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DataItemQuerySet.as_manager()

    class Meta:
        ordering = ["decree", "code"]
        verbose_name = _("data item")
        verbose_name_plural = _("data items")
        constraints = [
            models.UniqueConstraint(fields=["decree", "code"], name="item_code_unique_in_decree"),
            # A limited or closed class must cite its legal ground (UU 14/2008 art. 17 ...).
            models.CheckConstraint(
                name="restricted_item_has_reason",
                condition=Q(accessibility=Accessibility.OPEN) | ~Q(accessibility_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["accessibility", "agency"]),
            # A data series across decrees (the portal's dataset) is found by its code.
            models.Index(fields=["code"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.accessibility != Accessibility.OPEN and not self.accessibility_reason.strip():
            raise ValidationError(
                {"accessibility_reason": _("Limited and closed data need their legal reason.")}
            )

    @property
    def is_publicly_accessible(self) -> bool:
        """MS Indikator's "dapat diakses umum": only open data is."""
        return self.accessibility == Accessibility.OPEN

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    METADATA_FIELDS = (
        "definition",
        "concept",
        "interpretation",
        "formula",
        "measure",
        "classification",
        "estimation_level",
        "reference_period",
    )

    @property
    def metadata_completeness(self) -> int:
        """Share (0-100) of the core BPS metadata fields that are filled."""
        filled = sum(1 for f in self.METADATA_FIELDS if str(getattr(self, f)).strip())
        return round(100 * filled / len(self.METADATA_FIELDS))
