"""Readable names of the actions services record. An action missing here is shown raw."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "agency_create": _("Agency added"),
    "agency_update": _("Agency updated"),
    "user_create": _("User added"),
    "user_update": _("User updated"),
    "user_set_password": _("Password set"),
    "decree_create": _("Decree added"),
    "decree_update": _("Decree updated"),
    "item_create": _("Item added"),
    "item_update": _("Item updated"),
    "item_classify": _("Item reclassified"),
    "topic_create": _("Topic added"),
    "breakdown_create": _("Breakdown added"),
    "regions_load": _("Regions loaded"),
    "data_list_import": _("Data list imported"),
    "observations_save": _("Values saved"),
    "job.retry": _("Job retried"),
}

ENTRIES_PER_PAGE = 50
CHOICES_CACHE_SECONDS = 600
