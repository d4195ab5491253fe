"""The demo's portal: what walidata has published by the first run (SOP step 3).

Every open item of the list in force with at least one complete period is published (its
complete periods released); every limited item is listed with its request form; closed items
stay off the portal. One open item is held back and scheduled (embargo) for 09:00 tomorrow,
so that the advance release calendar and an embargo show on first run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import decree_for_year
from satudata.portal.services import datasets_publish
from satudata.schedule.models import FillState

EMBARGO_HOUR = 9


@dataclass
class PortalSummary:
    published: int = 0
    listed_limited: int = 0
    periods_released: int = 0
    embargoed: str = ""


def portal_load(*, actor: Any) -> PortalSummary:
    """Publish the demo's datasets through the portal services."""
    summary = PortalSummary()
    decree = decree_for_year(timezone.localdate().year)
    if decree is None:
        return summary
    items = DataItem.objects.filter(decree=decree).select_related("agency").order_by("code")
    complete_codes = set(
        FillState.objects.filter(
            item__accessibility=Accessibility.OPEN,
            required_cells__gt=0,
            filled_cells__gte=F("required_cells"),
        ).values_list("item__code", flat=True)
    )
    open_items = [
        i for i in items if i.accessibility == Accessibility.OPEN and i.code in complete_codes
    ]
    held = open_items.pop(len(open_items) // 2) if len(open_items) > 1 else None
    result = datasets_publish(actor=actor, items=open_items)
    summary.published, summary.periods_released = result.listed, result.released
    limited = [i for i in items if i.accessibility == Accessibility.LIMITED]
    summary.listed_limited = datasets_publish(actor=actor, items=limited).listed
    if held is not None:
        zone = ZoneInfo(settings.TIME_ZONE)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        release_at = dt.datetime.combine(tomorrow, dt.time(EMBARGO_HOUR), tzinfo=zone)
        datasets_publish(actor=actor, items=[held], release_at=release_at)
        summary.embargoed = f"{held.code} {held.name} @ {release_at:%Y-%m-%d %H:%M}"
    return summary
