"""State changes of the portal (SOP step 3): publish, release, withdraw. Atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from satudata.audit.services import audit_record, snapshot
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.portal.choices import DatasetState, RevisionKind
from satudata.portal.models import Dataset, DatasetRelease, DatasetRevision
from satudata.portal.permissions import can_publish_datasets
from satudata.schedule.models import FillState

# The dataset's copy of its item (Dataset.mirror), saved with `item`.
MIRRORED = ("agency", "topic", "periodicity", "level", "accessibility")

# A release time this far in the past is a typing mistake, not an embargo.
PAST_TOLERANCE = dt.timedelta(minutes=5)


@dataclass
class PublishResult:
    """What one publish action did."""

    datasets: list[Dataset] = field(default_factory=list)
    listed: int = 0  # datasets newly listed (or listed again after a withdrawal)
    released: int = 0  # periods released
    release_at: dt.datetime | None = None


def newest_item(code: str) -> DataItem | None:
    """The item of the newest decree with this code: its metadata and class govern."""
    return (
        DataItem.objects.filter(code=code)
        .select_related("decree", "agency")
        .order_by("-decree__year", "-decree__decree_date", "-decree_id")
        .first()
    )


def complete_periods(item: DataItem) -> list[str]:
    """Periods of the item's series whose values are complete (all required cells filled)."""
    return sorted(
        FillState.objects.filter(
            item__code=item.code,
            item__agency_id=item.agency_id,
            item__accessibility=Accessibility.OPEN,
            required_cells__gt=0,
            filled_cells__gte=F("required_cells"),
        ).values_list("period", flat=True)
    )


def _unique_slug(item: DataItem) -> str:
    base = slugify(f"{item.name} {item.agency.short_name}")[:100] or slugify(item.code) or "data"
    slug, n = base, 1
    while Dataset.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _user(actor: Any) -> Any:
    return actor if isinstance(actor, models.Model) else None


@transaction.atomic
def datasets_publish(
    *, actor: Any, items: Iterable[DataItem], release_at: dt.datetime | None = None
) -> PublishResult:
    """Publish items on the portal: all of them, or none when one cannot be.

    An open item is listed and each of its complete periods not yet released is released;
    a limited item is listed (metadata and the request form, never values). A closed item is
    refused. `release_at` in the future is an embargo: nothing shows before that moment,
    then everything at once.
    """
    require(actor, can_publish_datasets)
    now = timezone.now()
    if release_at is not None and release_at < now - PAST_TOLERANCE:
        raise DomainError(_("The release time is in the past: choose a time from now on."))
    when = max(release_at or now, now)
    result = PublishResult(release_at=when)
    seen: set[str] = set()
    for item in items:
        if item.code in seen:
            continue
        seen.add(item.code)
        current = newest_item(item.code) or item
        if current.accessibility == Accessibility.CLOSED:
            raise DomainError(
                _("%(item)s is closed data: closed data is never published.")
                % {"item": f"{current.code} {current.name}"}
            )
        periods: list[str] = []
        if current.accessibility == Accessibility.OPEN:
            periods = complete_periods(current)
        dataset = Dataset.objects.select_for_update().filter(code=current.code).first()
        already = set()
        if dataset is not None:
            already = set(dataset.releases.values_list("period", flat=True))
        new_periods = [p for p in periods if p not in already]
        listing = dataset is None or dataset.state == DatasetState.WITHDRAWN
        if current.accessibility == Accessibility.OPEN and not periods:
            raise DomainError(
                _("%(item)s has no complete period yet: fill its values before publishing.")
                % {"item": f"{current.code} {current.name}"}
            )
        if not listing and not new_periods and dataset.item_id == current.pk:
            result.datasets.append(dataset)
            continue
        before = snapshot(dataset) if dataset is not None else None
        if dataset is None:
            dataset = Dataset(
                code=current.code,
                slug=_unique_slug(current),
                item=current,
                listed_at=when,
                published_by=_user(actor),
                modified_at=when,
            )
            dataset.mirror(current)
            kind = RevisionKind.LISTED
        else:
            kind = RevisionKind.REPUBLISHED
            dataset.mirror(current)
            dataset.version += 1
            dataset.modified_at = when
            if listing:
                dataset.state = DatasetState.PUBLISHED
                dataset.listed_at = when
                dataset.withdrawn_at, dataset.withdrawn_reason = None, ""
        dataset.save()
        if listing:
            result.listed += 1
            DatasetRevision.objects.create(dataset=dataset, at=when, kind=kind)
        for period in new_periods:
            DatasetRelease.objects.create(
                dataset=dataset,
                period=period,
                year=int(period[:4]),
                release_at=when,
                released_by=_user(actor),
            )
            DatasetRevision.objects.create(
                dataset=dataset, at=when, kind=RevisionKind.RELEASED, period=period
            )
        result.released += len(new_periods)
        dataset_years_refresh([dataset], now)
        audit_record(
            actor=actor,
            action="dataset_publish",
            target=dataset,
            before=before,
            after=snapshot(dataset) | {"released": new_periods, "release_at": when.isoformat()},
        )
        result.datasets.append(dataset)
    return result


@transaction.atomic
def dataset_withdraw(*, actor: Any, dataset: Dataset, reason: str) -> Dataset:
    """Take a dataset off the portal, with the reason the public will read."""
    require(actor, can_publish_datasets)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the dataset is withdrawn: the reason is shown to the public."))
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.state == DatasetState.WITHDRAWN:
        raise DomainError(_("This dataset is already withdrawn."))
    before = snapshot(dataset)
    now = timezone.now()
    dataset.state = DatasetState.WITHDRAWN
    dataset.withdrawn_at, dataset.withdrawn_reason = now, reason
    dataset.version += 1
    dataset.modified_at = now
    dataset.save()
    # Releases still under embargo are cancelled: publishing again releases them anew.
    dataset.releases.filter(release_at__gt=now).delete()
    dataset_years_refresh([dataset], now)
    DatasetRevision.objects.create(
        dataset=dataset, at=now, kind=RevisionKind.WITHDRAWN, note=reason
    )
    audit_record(
        actor=actor,
        action="dataset_withdraw",
        target=dataset,
        before=before,
        after=snapshot(dataset),
    )
    return dataset


def dataset_values_changed(*, item: DataItem, period: str, cells: int, at: dt.datetime) -> None:
    """A save changed values of a period: a released period's dataset gets a revision entry.

    Called by the value services' signal inside their transaction (their audit row covers
    it). Every change bumps the version, so built files are rebuilt on the next request.
    """
    dataset = Dataset.objects.filter(code=item.code, item__agency_id=item.agency_id).first()
    if dataset is None:
        return
    release = dataset.releases.filter(period=period).first()
    updates: dict[str, Any] = {"version": F("version") + 1}
    if release is not None:
        moment = max(at, release.release_at)
        DatasetRevision.objects.create(
            dataset=dataset, at=moment, kind=RevisionKind.VALUES_REVISED, period=period, cells=cells
        )
        updates["modified_at"] = max(moment, dataset.modified_at)
    Dataset.objects.filter(pk=dataset.pk).update(**updates)


def datasets_items_refresh(codes: Iterable[str]) -> None:
    """Point each dataset with one of these codes to its newest item; bump its version.

    Called by the data list services' signal: a new decree's item takes over the dataset's
    metadata and class (the public selectors check the class live in any case).
    """
    for dataset in Dataset.objects.filter(code__in=set(codes)).select_related("item"):
        current = newest_item(dataset.code)
        if current is None:
            continue
        dataset.mirror(current)
        dataset.version += 1
        dataset.save(update_fields=["item", "version", *MIRRORED])
    from satudata.portal.search import search_index_update

    search_index_update(codes)


def dataset_years_refresh(datasets: Iterable[Dataset], now: dt.datetime | None = None) -> None:
    """Recompute the year summary (released_years, pending_years, pending_at) from the releases.

    Derived data, no audit row. Called after releases are created or cancelled, and by the
    search when an embargo has passed (the rows whose pending_at lies behind now).
    """
    now = now or timezone.now()
    ids = [d.pk for d in datasets]
    if not ids:
        return
    first: dict[int, dict[int, dt.datetime]] = {pk: {} for pk in ids}
    for pk, year, at in DatasetRelease.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", "year", "release_at"
    ):
        years = first[pk]
        years[year] = min(at, years.get(year, at))
    rows = []
    for pk, years in first.items():
        released = sorted(y for y, at in years.items() if at <= now)
        pending = {y: at for y, at in years.items() if at > now}
        soonest = min(pending.values(), default=None)
        # Only the years due at the soonest time are "pending"; later ones wait for the next
        # refresh, which that time triggers.
        due = sorted(y for y, at in pending.items() if at == soonest)
        rows.append(
            Dataset(
                pk=pk,
                released_years=",".join(map(str, released)),
                pending_years=",".join(map(str, due)),
                pending_at=soonest,
            )
        )
    Dataset.objects.bulk_update(
        rows, ["released_years", "pending_years", "pending_at"], batch_size=1000
    )
