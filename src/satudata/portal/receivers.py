"""The portal follows changes of items and values through their services' signals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from satudata.catalog.signals import items_changed
from satudata.portal.services import dataset_values_changed, datasets_items_refresh
from satudata.values.signals import observations_changed


@receiver(observations_changed, dispatch_uid="portal-values")
def _values_changed(sender: Any, changes: list, at: Any, **kwargs: Any) -> None:
    for item, period, cells in changes:
        dataset_values_changed(item=item, period=period, cells=cells, at=at)


@receiver(items_changed, dispatch_uid="portal-items")
def _items_changed(sender: Any, codes: set[str], **kwargs: Any) -> None:
    datasets_items_refresh(codes)
