"""Walidata's reads of the portal workspace (SOP step 3): every item of the list in force.

Unlike portal.selectors (the public door), these reads show everything, closed items
included: only walidata and administrators reach them (portal.permissions). The list page
reads one annotated query per page, never one query per row: a regency's list holds
thousands of items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from satudata.accounts.models import Agency
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, DataListDecree
from satudata.portal.choices import DatasetState
from satudata.portal.models import Dataset, DatasetRelease, DatasetRevision
from satudata.schedule.models import FillState


class WorkspaceState:
    """The dataset states the list filters on (not a model field: derived per row)."""

    UNPUBLISHED = "unpublished"  # no dataset yet
    PUBLISHED = "published"  # listed and public now
    SCHEDULED = "scheduled"  # listing or a release waits for its embargo time
    WITHDRAWN = "withdrawn"
    NEW_PERIODS = "new"  # open, not withdrawn, with a complete period not yet released

    ALL = (UNPUBLISHED, PUBLISHED, SCHEDULED, WITHDRAWN, NEW_PERIODS)


@dataclass(frozen=True)
class WorkspaceFilters:
    """What the walidata narrowed the list to; None / "" means every value."""

    decree: DataListDecree
    agency: Agency | None = None
    accessibility: str = ""
    state: str = ""


def _complete_fill_states() -> QuerySet[FillState]:
    """Complete periods of the outer item's series, as portal.services.complete_periods counts.

    The series is the code and agency across decrees, open items only: the same rows the
    publish service releases, so the count on the page is what a publish would find.
    """
    return FillState.objects.filter(
        item__code=OuterRef("code"),
        item__agency_id=OuterRef("agency_id"),
        item__accessibility=Accessibility.OPEN,
        required_cells__gt=0,
        filled_cells__gte=F("required_cells"),
    )


def _count(qs: QuerySet, group: str, field: str) -> Coalesce:
    """A correlated COUNT(DISTINCT field) of qs, 0 when it has no rows.

    `group` is a column equal on every row of qs (the outer reference): grouping by it makes
    one row, which the subquery needs.
    """
    counted = qs.order_by().values(group).annotate(n=Count(field, distinct=True)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _annotate(items: QuerySet[DataItem], now: dt.datetime) -> QuerySet[DataItem]:
    """Each item's dataset state and period counts, as correlated subqueries (no per-row query).

    Annotations: complete_count, released_count, has_new (a complete period not yet
    released), ds_id / ds_slug / ds_state / ds_listed_at (None without a dataset) and
    next_release_at (the soonest embargoed release).
    """
    # order_by(): the model orders by item__name, a join that would shadow the outer item.
    dataset = Dataset.objects.filter(code=OuterRef("code")).order_by()
    releases = DatasetRelease.objects.filter(dataset__code=OuterRef("code"))
    # A complete period of the series with no release row for the same dataset and period.
    unreleased = _complete_fill_states().exclude(
        Exists(
            DatasetRelease.objects.filter(
                dataset__code=OuterRef(OuterRef("code")), period=OuterRef("period")
            )
        )
    )
    next_release = (
        releases.filter(release_at__gt=now)
        .order_by()
        .values("dataset_id")
        .annotate(at=Min("release_at"))
        .values("at")
    )
    return items.annotate(
        complete_count=_count(_complete_fill_states(), "item__code", "period"),
        released_count=_count(releases, "dataset_id", "period"),
        has_new=Exists(unreleased),
        ds_id=Subquery(dataset.values("pk")[:1]),
        ds_slug=Subquery(dataset.values("slug")[:1]),
        ds_state=Subquery(dataset.values("state")[:1]),
        ds_listed_at=Subquery(dataset.values("listed_at")[:1], output_field=DateTimeField()),
        next_release_at=Subquery(next_release, output_field=DateTimeField()),
    )


LIST_ORDER = ("agency__name", "code")


def workspace_items(filters: WorkspaceFilters, now: dt.datetime) -> QuerySet[DataItem]:
    """The decree's items, annotated (see _annotate), filtered, in list order."""
    items = _annotate(DataItem.objects.filter(decree=filters.decree), now).order_by(*LIST_ORDER)
    if filters.agency is not None:
        items = items.filter(agency=filters.agency)
    if filters.accessibility:
        items = items.filter(accessibility=filters.accessibility)
    return _filter_state(items, filters.state, now)


def workspace_item_ids(filters: WorkspaceFilters, now: dt.datetime) -> QuerySet:
    """The ids of workspace_items, to paginate on.

    Only the ids are selected: the subqueries run in WHERE when a state filter needs them,
    and for a page's rows only (workspace_rows), not for every row before the page.
    """
    return workspace_items(filters, now).values_list("pk", flat=True)


def workspace_rows(ids: list[int], now: dt.datetime) -> list[DataItem]:
    """One page of the list: these items, annotated, in list order (one query)."""
    items = DataItem.objects.filter(pk__in=ids).select_related("agency")
    items = items.only(
        *("id", "code", "name", "accessibility", "periodicity", "agency_id"),
        *("agency__name", "agency__short_name"),
    )
    return list(_annotate(items, now).order_by(*LIST_ORDER))


def _filter_state(items: QuerySet[DataItem], state: str, now: dt.datetime) -> QuerySet[DataItem]:
    published = Q(ds_state=DatasetState.PUBLISHED)
    if state == WorkspaceState.UNPUBLISHED:
        return items.filter(ds_id__isnull=True)
    if state == WorkspaceState.PUBLISHED:
        return items.filter(published, ds_listed_at__lte=now)
    if state == WorkspaceState.SCHEDULED:
        return items.filter(published).filter(
            Q(ds_listed_at__gt=now) | Q(next_release_at__isnull=False)
        )
    if state == WorkspaceState.WITHDRAWN:
        return items.filter(ds_state=DatasetState.WITHDRAWN)
    if state == WorkspaceState.NEW_PERIODS:
        return items.filter(
            Q(ds_id__isnull=True) | published,
            accessibility=Accessibility.OPEN,
            has_new=True,
        )
    return items


def workspace_row_state(item: DataItem, now: dt.datetime) -> str:
    """The state one annotated row shows (the filter's vocabulary)."""
    if item.ds_id is None:
        return WorkspaceState.UNPUBLISHED
    if item.ds_state == DatasetState.WITHDRAWN:
        return WorkspaceState.WITHDRAWN
    if item.ds_listed_at is not None and item.ds_listed_at > now:
        return WorkspaceState.SCHEDULED
    return WorkspaceState.PUBLISHED


def publishable_items(decree: DataListDecree, ids: list[int]) -> QuerySet[DataItem]:
    """The posted items of the list in force (closed ones too: the service refuses them)."""
    return DataItem.objects.filter(decree=decree, pk__in=ids).select_related("agency")


def workspace_dataset(pk: int) -> Dataset | None:
    """A dataset in any state, for walidata's detail and withdraw page."""
    return (
        Dataset.objects.select_related("item", "item__agency", "item__decree").filter(pk=pk).first()
    )


def dataset_releases(dataset: Dataset) -> QuerySet[DatasetRelease]:
    """Every release of the dataset, embargoed ones included, newest period first."""
    return dataset.releases.select_related("released_by").order_by("-period")


def dataset_history(dataset: Dataset) -> QuerySet[DatasetRevision]:
    """The whole revision history, future (embargoed) entries included, newest first."""
    return dataset.revisions.order_by("-at", "-id")


def dataset_has_future(dataset: Dataset, now: dt.datetime) -> bool:
    """Whether the dataset waits for an embargo (its listing or one of its releases)."""
    return dataset.listed_at > now or dataset.releases.filter(release_at__gt=now).exists()
