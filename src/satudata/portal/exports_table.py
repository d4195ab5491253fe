"""The tidy table every download of a dataset is made from: one row per public value.

Columns: period, region code, region name, one column per breakdown (its slug), value, unit,
status, note, source. Rows come period by period (oldest first), each period ordered by region
and breakdown cell, read with `.iterator()` so that a dataset of a million values is streamed
in constant memory: one period's query is small and served by the unique index on
(item, period, region, breakdown_key), so the first row comes at once.

Only `portal.selectors` is read: the values are `public_observations` of a dataset, its
periods `released_periods`; callers pass the same `now` to both so a release that passes its
embargo during a download cannot half-appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Max
from django.urls import reverse

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import Breakdown
from satudata.portal.models import Dataset, DatasetRelease
from satudata.portal.selectors import public_observations, released_periods
from satudata.values.cells import parse_breakdown_key

# Rows fetched from the database at a time: large enough for few round trips, small enough
# that memory stays flat whatever the size of the dataset.
CHUNK_SIZE = 2000

FIXED_BEFORE = ("period", "region_code", "region_name")
FIXED_AFTER = ("value", "unit", "status", "note", "source")

LICENSE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}
LICENSE_TITLES = {"CC-BY-4.0": "Creative Commons Attribution 4.0"}


@dataclass(frozen=True)
class BreakdownColumn:
    """A breakdown of the series as a column, named by its slug (prefixed in the rare case
    that the slug is also the name of a fixed column, such as "source")."""

    slug: str
    name: str
    categories: tuple[str, ...]

    @property
    def column(self) -> str:
        clash = self.slug in FIXED_BEFORE or self.slug in FIXED_AFTER
        return f"breakdown_{self.slug}" if clash else self.slug


@dataclass
class Table:
    """The shape of a dataset's download: its columns and released periods at one moment."""

    dataset: Dataset
    now: dt.datetime
    periods: list[str]
    breakdowns: list[BreakdownColumn]

    @property
    def columns(self) -> list[str]:
        return [*FIXED_BEFORE, *(b.column for b in self.breakdowns), *FIXED_AFTER]

    @property
    def unit(self) -> str:
        return self.dataset.item.unit

    @cached_property
    def last_modified(self) -> dt.datetime:
        """When the public content last changed, as of `now`.

        `modified_at` may lie in the future (an embargoed release): until then the last change
        the public saw is the newest release already out, or the listing itself.
        """
        dataset = self.dataset
        if dataset.modified_at <= self.now:
            return dataset.modified_at
        newest = (
            DatasetRelease.objects.filter(dataset=dataset, release_at__lte=self.now)
            .aggregate(newest=Max("release_at"))
            .get("newest")
        )
        return max(filter(None, (newest, dataset.listed_at)))

    def observations(self) -> Iterator[tuple[str, str, str, str, Decimal, str, str, str]]:
        """(period, region code, region name, breakdown key, value, status, note, source)."""
        base = public_observations(self.dataset, self.now)
        for period in self.periods:
            rows = (
                base.filter(period=period)
                .order_by("region_id", "breakdown_key")
                .values_list(
                    "period",
                    "region_id",
                    "region__name",
                    "breakdown_key",
                    "value",
                    "status",
                    "note",
                    "source",
                )
            )
            yield from rows.iterator(chunk_size=CHUNK_SIZE)

    def rows(self) -> Iterator[list[Any]]:
        """The tidy rows in column order; the value stays a Decimal (writers format it)."""
        slugs = [b.slug for b in self.breakdowns]
        unit = self.unit
        for period, code, name, key, value, status, note, source in self.observations():
            cells = parse_breakdown_key(key) if key else {}
            yield [
                period,
                code,
                name,
                *(cells.get(slug, "") for slug in slugs),
                value,
                unit,
                status,
                note,
                source,
            ]


def table_for(dataset: Dataset, now: dt.datetime) -> Table:
    """The download table of an open public dataset (the caller checked that it is one)."""
    breakdowns = (
        Breakdown.objects.filter(
            items__code=dataset.code,
            items__agency_id=dataset.item.agency_id,
            items__accessibility=Accessibility.OPEN,
        )
        .distinct()
        .order_by("slug")
    )
    return Table(
        dataset=dataset,
        now=now,
        periods=released_periods(dataset, now),
        breakdowns=[
            BreakdownColumn(b.slug, b.name, tuple(str(c) for c in b.categories)) for b in breakdowns
        ],
    )


def decimal_text(value: Decimal) -> str:
    """The exact value in plain notation with '.' ("1234.5", never "1.2345E+3" or "1234.500000")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimal_number(value: Decimal) -> int | float:
    """The value as a JSON number. Exact: values have at most 15 significant digits (see
    values.models), which a double's shortest representation gives back unchanged."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def site_url(path: str, base: str) -> str:
    """An absolute URL of a path on this site (base: SITE_URL or the request's own root)."""
    return base.rstrip("/") + path


def download_path(dataset: Dataset, fmt: str) -> str:
    return reverse("dataset-download", kwargs={"slug": dataset.slug, "fmt": fmt})


def metadata(table: Table, base: str) -> dict[str, Any]:
    """The dataset's public description, shared by the JSON, JSON-stat and XLSX files."""
    dataset = table.dataset
    item = dataset.item
    agency = item.agency
    return {
        "id": dataset.slug,
        "code": dataset.code,
        "title": item.name,
        "description": item.definition,
        "url": site_url(reverse("dataset-detail", kwargs={"slug": dataset.slug}), base),
        "agency": {
            "name": agency.name,
            "short_name": agency.short_name,
            "slug": agency.slug,
            "website": agency.website,
        },
        "topic": item.topic.name if item.topic_id else "",
        "tags": item.tag_list,
        "unit": item.unit,
        "periodicity": item.periodicity,
        "level": item.level,
        "breakdowns": [{"slug": b.slug, "name": b.name} for b in table.breakdowns],
        "periods": table.periods,
        "license": dataset.license,
        "license_url": LICENSE_URLS.get(dataset.license, ""),
        "version": dataset.version,
        "modified": table.last_modified.isoformat(),
        "source_activity": item.source_activity,
        "bps_metadata": {
            field: str(getattr(item, field))
            for field in (
                "concept",
                "definition",
                "interpretation",
                "formula",
                "measure",
                "classification",
                "estimation_level",
                "reference_period",
            )
        },
        "columns": table.columns,
    }
