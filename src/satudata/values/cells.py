"""The cells an item needs for one period: regions at its level times its breakdown cells."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from django.conf import settings

from satudata.catalog.choices import PresentationLevel, RegionLevel
from satudata.catalog.models import Breakdown, DataItem, Region

_LEVEL_TO_REGION = {
    PresentationLevel.REGENCY: RegionLevel.REGENCY,
    PresentationLevel.DISTRICT: RegionLevel.DISTRICT,
    PresentationLevel.VILLAGE: RegionLevel.VILLAGE,
}


def breakdown_key(pairs: Iterable[tuple[str, str]]) -> str:
    """The canonical key of a breakdown cell: "slug=category" sorted by slug, joined by ";"."""
    return ";".join(f"{slug}={category}" for slug, category in sorted(pairs))


def parse_breakdown_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";"))


def breakdown_keys(breakdowns: Iterable[Breakdown]) -> list[str]:
    """Every combination of the breakdowns' categories ([""] without breakdowns)."""
    ordered = sorted(breakdowns, key=lambda b: b.slug)
    if not ordered:
        return [""]
    combos = itertools.product(*[[(b.slug, c) for c in b.categories] for b in ordered])
    return [breakdown_key(combo) for combo in combos]


def regions_for_level(level: str, root: str | None = None) -> list[str]:
    """Region codes at a presentation level under the installation's region, in code order."""
    root = root or settings.REGION_CODE
    if level == PresentationLevel.REGENCY:
        return [root]
    return list(
        Region.objects.filter(
            level=_LEVEL_TO_REGION[PresentationLevel(level)], code__startswith=root + "."
        )
        .order_by("code")
        .values_list("code", flat=True)
    )


class CellPlan:
    """Required cells per item, computed once per request for many items."""

    def __init__(self) -> None:
        self._regions: dict[str, list[str]] = {}

    def regions(self, level: str) -> list[str]:
        if level not in self._regions:
            self._regions[level] = regions_for_level(level)
        return self._regions[level]

    def cells(
        self, item: DataItem, breakdowns: Iterable[Breakdown] | None = None
    ) -> list[tuple[str, str]]:
        keys = breakdown_keys(item.breakdowns.all() if breakdowns is None else breakdowns)
        return [(region, key) for region in self.regions(item.level) for key in keys]

    def count(self, item: DataItem, breakdowns: Iterable[Breakdown] | None = None) -> int:
        keys = breakdown_keys(item.breakdowns.all() if breakdowns is None else breakdowns)
        return len(self.regions(item.level)) * len(keys)
