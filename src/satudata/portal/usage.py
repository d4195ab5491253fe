"""Counting views, downloads and API calls per dataset and day: numbers only, nothing personal.

No IP address, user agent or cookie is kept: the portal knows how often a dataset is used,
never by whom.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from satudata.portal.models import Dataset, DatasetUsage


def usage_add(dataset: Dataset, *, views: int = 0, downloads: int = 0, api_calls: int = 0) -> None:
    """Add to today's counters of a dataset (one UPDATE; an INSERT on the day's first use)."""
    day = timezone.localdate()
    changes = {"views": views, "downloads": downloads, "api_calls": api_calls}
    increments = {name: F(name) + n for name, n in changes.items() if n}
    if not increments:
        return
    if DatasetUsage.objects.filter(dataset=dataset, day=day).update(**increments):
        return
    try:
        with transaction.atomic():
            DatasetUsage.objects.create(dataset=dataset, day=day, **changes)
    except IntegrityError:
        # Another request made the day's row between our UPDATE and INSERT.
        DatasetUsage.objects.filter(dataset=dataset, day=day).update(**increments)
