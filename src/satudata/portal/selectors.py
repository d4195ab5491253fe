"""What the public may see of the portal. The one door for every public page, API and file.

Every function here applies the same two rules, on every call, to every row:
- release time: nothing is public before its `listed_at` / `release_at` (embargo);
- class: a dataset is public only while its item is open or limited, and its values only
  while the item is open; closed items never appear. The class is read live from the item,
  so a reclassification takes effect at once, with no rebuild.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataListDecree
from satudata.portal.choices import DatasetState
from satudata.portal.models import Dataset, DatasetRelease, DatasetRevision
from satudata.schedule.models import FillState
from satudata.values.models import Observation

PUBLIC_CLASSES = (Accessibility.OPEN, Accessibility.LIMITED)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def public_datasets(now: dt.datetime | None = None) -> QuerySet[Dataset]:
    """Datasets the public may know of: listed, not withdrawn, open or limited."""
    # `item` is always the newest decree's item of the code (portal.services re-points it
    # whenever an item is created, changed or imported), so its class is the one in force.
    return Dataset.objects.filter(
        state=DatasetState.PUBLISHED,
        listed_at__lte=_now(now),
        item__accessibility__in=PUBLIC_CLASSES,
    ).select_related("item", "item__agency", "item__topic")


def public_dataset_rows(now: dt.datetime | None = None) -> QuerySet[Dataset]:
    """The same datasets as public_datasets, judged on each dataset's own copy of its item's
    class: no join to the items. For counting over many datasets (search facets), never for
    content. The copy is written in the same transaction as every change of the item
    (portal.services.datasets_items_refresh), so both give the same rows (tested).
    """
    return Dataset.objects.filter(
        state=DatasetState.PUBLISHED,
        listed_at__lte=_now(now),
        accessibility__in=PUBLIC_CLASSES,
    )


def open_datasets(now: dt.datetime | None = None) -> QuerySet[Dataset]:
    """Public datasets whose values the public may read (open class)."""
    return public_datasets(now).filter(item__accessibility=Accessibility.OPEN)


def public_dataset(slug: str, now: dt.datetime | None = None) -> Dataset | None:
    """The public dataset with this slug, or None (a 404: closed and unknown look the same)."""
    return public_datasets(now).filter(slug=slug).first()


def has_public_values(dataset: Dataset) -> bool:
    return dataset.item.accessibility == Accessibility.OPEN


def released_periods(dataset: Dataset, now: dt.datetime | None = None) -> list[str]:
    """The periods of an open dataset whose values are public, oldest first."""
    if not has_public_values(dataset):
        return []
    rows = DatasetRelease.objects.filter(dataset=dataset, release_at__lte=_now(now))
    return sorted(rows.values_list("period", flat=True))


def public_observations(dataset: Dataset, now: dt.datetime | None = None) -> QuerySet[Observation]:
    """The public values of a dataset: released periods, from open items of its series only.

    Older decrees' items with the same code contribute their years, unless they were classed
    other than open in their own decree.
    """
    if not has_public_values(dataset):
        return Observation.objects.none()
    released = DatasetRelease.objects.filter(dataset=dataset, release_at__lte=_now(now))
    return Observation.objects.filter(
        item__code=dataset.code,
        item__agency_id=dataset.item.agency_id,
        item__accessibility=Accessibility.OPEN,
        period__in=released.values("period"),
    )


def public_revisions(dataset: Dataset, now: dt.datetime | None = None) -> QuerySet[DatasetRevision]:
    """The dataset's revision history as far as it has happened (no embargoed entries)."""
    revisions = dataset.revisions.filter(at__lte=_now(now))
    if not has_public_values(dataset):
        # A limited dataset's history tells of its listing, never of values.
        revisions = revisions.exclude(cells__gt=0).exclude(period__gt="")
    return revisions


def upcoming_releases(now: dt.datetime | None = None) -> QuerySet[DatasetRelease]:
    """Embargoed releases of public open datasets, soonest first (the exact time is public)."""
    now = _now(now)
    # Announced even before the dataset's own first listing, as statistics offices do.
    announced = open_datasets(dt.datetime.max.replace(tzinfo=dt.UTC)).values("pk")
    return (
        DatasetRelease.objects.filter(release_at__gt=now, dataset__in=announced)
        .select_related("dataset", "dataset__item", "dataset__item__agency")
        .order_by("release_at", "dataset__item__name")
    )


def scheduled_releases(start: dt.date, end: dt.date) -> QuerySet[FillState]:
    """The advance release calendar from the schedule: open items' periods due in [start, end].

    Only the items of the data list in force (newest decree) and only periods not yet
    released; the due date is the day the values are expected, not a promise of the hour.
    """
    newest = DataListDecree.objects.order_by("-year", "-decree_date", "-pk").first()
    if newest is None:
        return FillState.objects.none()
    released = DatasetRelease.objects.filter(
        dataset__code=OuterRef("item__code"), period=OuterRef("period")
    )
    return (
        FillState.objects.filter(
            due_date__range=(start, end),
            item__decree=newest,
            item__accessibility=Accessibility.OPEN,
        )
        .exclude(Exists(released))
        .select_related("item", "item__agency")
        .order_by("due_date", "item__name")
    )
