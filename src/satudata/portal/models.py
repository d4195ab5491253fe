"""The public portal's datasets (SOP step 3): what walidata released, when, and how it is used.

A dataset is one data series of the data list: the items with the same code across the
yearly decrees (the 2025 and 2026 lists both carry "1.02.01.003"), shown as one time series.
Its metadata and accessibility class are those of the newest decree's item (`item`). Values
become public per period, by a release (`DatasetRelease`) whose time may lie in the future
(embargo). Nothing here is public by itself: the portal reads only through
portal.selectors, which check the release time and the class of every row they return.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.catalog.models import DataItem, Topic
from satudata.portal.choices import DEFAULT_LICENSE, DatasetState, RevisionKind


class Dataset(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # The newest decree's item with this code; kept current by portal.services.
    item = models.ForeignKey(
        DataItem, verbose_name=_("data item"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DatasetState.choices, default=DatasetState.PUBLISHED
    )
    # Listed publicly from this moment on: the embargo of its first release.
    listed_at = models.DateTimeField(_("listed from"))
    license = models.CharField(_("license"), max_length=40, default=DEFAULT_LICENSE)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # Bumped by every change of what the public sees (release, revision, metadata): caches of
    # built files are keyed by it, so a changed dataset is rebuilt on its next request.
    version = models.PositiveIntegerField(_("version"), default=1)
    # When the public content last changed (may lie in the future for an embargoed release).
    modified_at = models.DateTimeField(_("last update"))
    # A summary of the releases for the search's year facet (one grouped query instead of a
    # count over every release): the years already public ("2024,2025"), and those whose
    # first release is still under embargo, due at `pending_at`. Derived from the releases by
    # portal.services.dataset_years_refresh; a search refreshes rows whose embargo has passed.
    # A copy of the item's facets and class, for counting over many datasets without a join
    # to the items (search facets). Written with `item` in the same transaction by the
    # services; content is still read only through the item (portal.selectors).
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    periodicity = models.CharField(max_length=10, blank=True, default="")
    level = models.CharField(max_length=10, blank=True, default="")
    accessibility = models.CharField(max_length=10, blank=True, default="")
    released_years = models.CharField(max_length=300, blank=True, default="")
    pending_years = models.CharField(max_length=300, blank=True, default="")
    pending_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["item__name"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [
            models.Index(fields=["state", "listed_at"]),
            models.Index(fields=["accessibility", "state", "listed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.slug}"

    def mirror(self, item: DataItem) -> None:
        """Point to `item` and copy its facets and class (see the fields above)."""
        self.item = item
        self.agency_id, self.topic_id = item.agency_id, item.topic_id
        self.periodicity, self.level = item.periodicity, item.level
        self.accessibility = item.accessibility


class DatasetRelease(models.Model):
    """One period of a dataset made public at `release_at` (the time of an embargo, or now)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="releases")
    period = models.CharField(_("period"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    release_at = models.DateTimeField(_("release time"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["dataset", "period"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "period"], name="one_release_per_period")
        ]
        indexes = [models.Index(fields=["release_at"])]

    def __str__(self) -> str:
        return f"{self.dataset.code} {self.period} @ {self.release_at:%Y-%m-%d %H:%M}"


class DatasetRevision(models.Model):
    """One entry of a dataset's public revision history."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="revisions")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("change"), max_length=20, choices=RevisionKind.choices)
    period = models.CharField(_("period"), max_length=10, blank=True)
    cells = models.PositiveIntegerField(_("values changed"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("dataset revision")
        verbose_name_plural = _("dataset revisions")

    def __str__(self) -> str:
        return f"{self.dataset.code} {self.kind} {self.period}"


class DatasetUsage(models.Model):
    """Views, downloads and API calls of a dataset per day: counts only, nothing personal."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    api_calls = models.PositiveIntegerField(_("API calls"), default=0)

    class Meta:
        verbose_name = _("dataset usage")
        verbose_name_plural = _("dataset usage")
        # Dashboards and the report sum usage over a span of days across every dataset.
        indexes = [models.Index(fields=["day"], name="usage_day")]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "day"], name="one_usage_row_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.code} {self.day}"
