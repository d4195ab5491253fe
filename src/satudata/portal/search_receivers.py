"""Keep the search index current when a dataset, its agency or its topic changes.

Connected by importing this module (portal.apps.ready; portal.search imports it too). The
index is written inside the saving transaction, so it rolls back with it. Items reach the
index through portal.services.datasets_items_refresh, which calls search_index_update.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from satudata.accounts.models import Agency
from satudata.catalog.models import Topic
from satudata.portal.models import Dataset
from satudata.portal.search_index import index_datasets, unindex


@receiver(post_save, sender=Dataset, dispatch_uid="portal-search-dataset")
def _dataset_saved(sender: Any, instance: Dataset, created: bool, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    # The document reads the item and the code only: a version bump changes no word.
    if created or update_fields is None or {"item", "code"} & set(update_fields):
        index_datasets(Dataset.objects.filter(pk=instance.pk))


@receiver(post_delete, sender=Dataset, dispatch_uid="portal-search-dataset-gone")
def _dataset_deleted(sender: Any, instance: Dataset, **kwargs: Any) -> None:
    unindex([instance.pk])


@receiver(post_save, sender=Agency, dispatch_uid="portal-search-agency")
def _agency_saved(sender: Any, instance: Agency, created: bool, **kwargs: Any) -> None:
    if not created:  # a new agency has no dataset yet
        index_datasets(Dataset.objects.filter(item__agency=instance))


@receiver(post_save, sender=Topic, dispatch_uid="portal-search-topic")
def _topic_saved(sender: Any, instance: Topic, created: bool, **kwargs: Any) -> None:
    if not created:
        index_datasets(Dataset.objects.filter(item__topic=instance))
