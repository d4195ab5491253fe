"""Reads of access requests that encode a rule: who sees which request, what a grant opens."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Sum
from django.utils import timezone

from satudata.access.choices import AccessRequestState
from satudata.access.models import AccessRequest
from satudata.access.permissions import can_review_requests, reviews_all_agencies
from satudata.catalog.choices import Accessibility
from satudata.portal.models import Dataset
from satudata.portal.selectors import public_dataset
from satudata.schedule.models import FillState
from satudata.values.models import Observation


def token_hash(token: str) -> str:
    """The stored form of a download token."""
    return hashlib.sha256(token.encode()).hexdigest()


def requests_visible_to(user: Any) -> QuerySet[AccessRequest]:
    """The requests a reviewer may see: all for walidata and admins, own agency for a head."""
    rows = AccessRequest.objects.select_related(
        "dataset", "dataset__item", "dataset__item__agency", "decided_by"
    )
    if not can_review_requests(user):
        return rows.none()
    if reviews_all_agencies(user):
        return rows
    return rows.filter(dataset__item__agency_id=user.agency_id)


def limited_dataset(dataset: Dataset, now: dt.datetime | None = None) -> Dataset | None:
    """The dataset as it stands now if it is still public and limited, else None.

    A dataset withdrawn, embargoed again, or reclassified closed since the request opens
    nothing; one reclassified open needs no grant (its values are public).
    """
    current = public_dataset(dataset.slug, now)
    if current is None or current.item.accessibility != Accessibility.LIMITED:
        return None
    return current


def active_grant(token: str, now: dt.datetime | None = None) -> AccessRequest | None:
    """The approved, unexpired request whose link carries this token, or None.

    None alike for an unknown token, a refused or expired request, and a dataset that is no
    longer limited: the requester sees one "invalid or expired" page for all of them.
    """
    if not token or len(token) > 200:
        return None
    now = now or timezone.now()
    grant = (
        AccessRequest.objects.select_related("dataset", "dataset__item")
        .filter(
            token_hash=token_hash(token),
            state=AccessRequestState.APPROVED,
            expires_at__gt=now,
        )
        .first()
    )
    if grant is None or limited_dataset(grant.dataset, now) is None:
        return None
    return grant


def _complete_limited_states(dataset: Dataset) -> QuerySet[FillState]:
    return FillState.objects.filter(
        item__code=dataset.code,
        item__agency_id=dataset.item.agency_id,
        item__accessibility=Accessibility.LIMITED,
        required_cells__gt=0,
        filled_cells__gte=F("required_cells"),
    )


def granted_value_count(request: AccessRequest) -> int:
    """About how many values the grant opens, from the fill states (no scan of the values)."""
    dataset = limited_dataset(request.dataset)
    if dataset is None:
        return 0
    total = _complete_limited_states(dataset).aggregate(n=Sum("filled_cells"))["n"]
    return total or 0


def granted_observations(request: AccessRequest) -> QuerySet[Observation]:
    """The values a granted request opens.

    The rule: the observations of the dataset's series (items with the dataset's code and
    agency, across the yearly decrees) whose item is classed LIMITED in its own decree, for
    the periods that item has complete (every required cell filled, as the portal requires
    before it publishes an open period). Open years of the same series are public anyway;
    closed ones never leave the producer; incomplete periods are still being entered.
    Nothing at all once the dataset is no longer a public limited dataset.
    """
    dataset = limited_dataset(request.dataset)
    if dataset is None:
        return Observation.objects.none()
    complete = FillState.objects.filter(
        item_id=OuterRef("item_id"),
        period=OuterRef("period"),
        required_cells__gt=0,
        filled_cells__gte=F("required_cells"),
    )
    return (
        Observation.objects.filter(
            item__code=dataset.code,
            item__agency_id=dataset.item.agency_id,
            item__accessibility=Accessibility.LIMITED,
        )
        .filter(Exists(complete))
        .order_by("period", "region_id", "breakdown_key")
    )
