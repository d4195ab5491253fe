"""The schedule follows changes of the data list through its services' signal."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from satudata.catalog.models import DataItem
from satudata.catalog.signals import items_changed
from satudata.schedule.services import fill_states_reshape


@receiver(items_changed, dispatch_uid="schedule-reshape")
def _items_reshaped(sender: Any, reshaped: set[int] = frozenset(), **kwargs: Any) -> None:
    if reshaped:
        fill_states_reshape(DataItem.objects.filter(pk__in=reshaped).prefetch_related("breakdowns"))
