"""Tables and charts in a draft: blocks built from the agency's own values.

A block is a small dict kept in Publication.blocks (and copied to each version):
    {"kind": "table" | "chart", "item": <item id>, "period": "2025" | "2025-Q3" | ...,
     "breakdown": "<breakdown code or empty>", "chart": "line" | "bar" | "", "title": "..."}
`clean_blocks` checks them against the agency's items; rendering (HTML, Vega-Lite, PNG cards)
reads the values through the values app.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from satudata.core.errors import DomainError

KINDS = ("table", "chart")
CHART_TYPES = ("line", "bar", "")
MAX_BLOCKS = 12


def clean_blocks(blocks: Any, *, agency_id: int) -> list[dict[str, Any]]:
    """The blocks as stored: known keys only, items of the agency only; else DomainError."""
    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem

    if blocks in (None, ""):
        return []
    if not isinstance(blocks, list):
        raise DomainError(_("The tables and charts could not be read."))
    if len(blocks) > MAX_BLOCKS:
        raise DomainError(
            _("A publication holds at most %(n)s tables and charts.") % {"n": MAX_BLOCKS}
        )
    item_ids = {b.get("item") for b in blocks if isinstance(b, dict)}
    # A publication is public: only the agency's open items may feed its tables and charts.
    own = set(
        DataItem.objects.filter(
            pk__in=[i for i in item_ids if isinstance(i, int)],
            agency_id=agency_id,
            accessibility=Accessibility.OPEN,
        ).values_list("pk", flat=True)
    )
    cleaned = []
    for number, block in enumerate(blocks, start=1):
        if not isinstance(block, dict) or block.get("kind") not in KINDS:
            raise DomainError(_("Table or chart %(n)s is not one we know.") % {"n": number})
        if block.get("item") not in own:
            raise DomainError(
                _("Table or chart %(n)s must use an open data item of your own agency.")
                % {"n": number}
            )
        chart = str(block.get("chart") or "")
        if chart not in CHART_TYPES:
            raise DomainError(_("Chart %(n)s has an unknown chart type.") % {"n": number})
        cleaned.append(
            {
                "kind": block["kind"],
                "item": block["item"],
                "period": str(block.get("period") or "")[:10],
                "breakdown": str(block.get("breakdown") or "")[:50],
                "chart": chart,
                "title": str(block.get("title") or "")[:200],
            }
        )
    return cleaned
