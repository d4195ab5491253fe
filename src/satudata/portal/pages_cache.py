"""Caching of the public pages' heavy parts, keyed so that no cached part outlives what it shows.

The home page and the release calendar read a dozen public selectors (about 80 ms of ORM
work on the demo). They are the same for every visitor, so their rendered body is cached under
a fingerprint of everything public they depend on: datasets (count, versions, last change,
withdrawals), items (a reclassification saves the item), releases, the day, and the language.
The cache entry expires no later than the next embargoed release or listing, so an embargo
lifts on the page at its minute, never before. Usage counts (most downloaded, headlines
order) may lag by at most MAX_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language

from satudata.catalog.models import DataItem
from satudata.portal.models import Dataset, DatasetRelease
from satudata.publications.choices import PublicationState
from satudata.publications.models import Publication

MAX_SECONDS = 300
T = TypeVar("T")


def portal_fingerprint(now: dt.datetime) -> tuple[str, int]:
    """A key that changes with every public change, and how many seconds it may be trusted."""
    datasets = Dataset.objects.aggregate(
        n=Count("pk"),
        top=Max("pk"),
        versions=Sum("version"),
        modified=Max("modified_at"),
        withdrawn=Max("withdrawn_at"),
        next_listing=Min("listed_at", filter=_after(now, "listed_at")),
    )
    items = DataItem.objects.aggregate(n=Count("pk"), updated=Max("updated_at"))
    releases = DatasetRelease.objects.aggregate(
        n=Count("pk"),
        top=Max("pk"),
        past=Count("pk", filter=_before(now, "release_at")),
        next_release=Min("release_at", filter=_after(now, "release_at")),
    )
    # The home page's strip of latest publications (they are never unpublished).
    publications = Publication.objects.filter(state=PublicationState.PUBLISHED).aggregate(
        n=Count("pk"), latest=Max("published_at")
    )
    # Deliberately no "now" in the key: only which releases already happened, and the day.
    parts = [datasets, items, releases, publications, timezone.localdate(now), get_language()]
    key = hashlib.sha1(repr(parts).encode()).hexdigest()
    moments = [m for m in (datasets["next_listing"], releases["next_release"]) if m is not None]
    ttl = MAX_SECONDS
    if moments:
        ttl = min(ttl, int((min(moments) - now).total_seconds()))
    return key, max(ttl, 0)


def _after(now: dt.datetime, field: str) -> Q:
    return Q(**{f"{field}__gt": now})


def _before(now: dt.datetime, field: str) -> Q:
    return Q(**{f"{field}__lte": now})


def cached(key: str, seconds: int, build: Callable[[], T]) -> T:
    """The cached value of `key`, built and stored (for `seconds`, when above zero) if missing."""
    value = cache.get(key)
    if value is None:
        value = build()
        if seconds > 0:
            cache.set(key, value, seconds)
    return value
