"""Reads for SOP step 2: the data list grouped by accessibility."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from satudata.catalog.choices import Accessibility


def accessibility_counts(items: QuerySet) -> dict[str, int]:
    """{"open": n, "limited": n, "closed": n, "total": n} over the given items."""
    counts = {a.value: 0 for a in Accessibility}
    for row in items.order_by().values("accessibility").annotate(n=Count("id")):
        counts[row["accessibility"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts
