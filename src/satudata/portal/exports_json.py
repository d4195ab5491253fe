"""A dataset as JSON ({"dataset": ..., "observations": [...]}) and as JSON-stat 2.0.

The plain JSON is streamed like the CSV: the metadata, then the observations a few hundred
at a time, so its memory does not grow with the dataset. JSON-stat's value array is dense
(one cell per combination of the dimensions' categories, null where no value exists) and its
categories must be known before the first value: it is built in memory, one float per cell.

Values are JSON numbers: exact, since values have at most 15 significant digits (a double's
shortest form gives them back unchanged; `json.loads(..., parse_float=Decimal)` reads them).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import orjson
from django.utils.translation import gettext as _

from satudata.portal.exports_table import Table, decimal_number
from satudata.portal.selectors import public_observations
from satudata.values.cells import parse_breakdown_key
from satudata.values.choices import ValueStatus

ROWS_PER_CHUNK = 500
# The category of a breakdown for values not broken down by it (SDMX's code for a total).
TOTAL = "_T"


def json_chunks(table: Table, meta: dict[str, Any]) -> Iterator[bytes]:
    """{"dataset": meta, "observations": [{column: value, ...}, ...]} in chunks of bytes."""
    yield b'{"dataset":' + orjson.dumps(meta) + b',"observations":['
    columns = table.columns
    value_at = len(columns) - 5
    batch: list[bytes] = []
    first = True
    for row in table.rows():
        row[value_at] = decimal_number(row[value_at])
        batch.append(orjson.dumps(dict(zip(columns, row, strict=True))))
        if len(batch) >= ROWS_PER_CHUNK:
            yield (b"" if first else b",") + b",".join(batch)
            batch, first = [], False
    if batch:
        yield (b"" if first else b",") + b",".join(batch)
    yield b"]}"


def _categories(table: Table) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The regions (code, name) with a public value, and each breakdown's categories.

    A breakdown's categories keep the order the data list gives them, with any category found
    only in older values appended, so that no value is left without its cell.
    """
    public = public_observations(table.dataset, table.now).filter(period__in=table.periods)
    regions = list(public.order_by("region_id").values_list("region_id", "region__name").distinct())
    categories = {b.slug: list(b.categories) for b in table.breakdowns}
    keys = public.order_by("breakdown_key").values_list("breakdown_key", flat=True).distinct()
    for key in keys:
        cells = parse_breakdown_key(key)
        for slug, names in categories.items():
            # A value of an older item without this breakdown is its total.
            category = cells.get(slug, TOTAL)
            if category not in names:
                names.append(category)
    return regions, categories


def jsonstat(table: Table, meta: dict[str, Any]) -> dict[str, Any]:
    """The dataset as a JSON-stat 2.0 "dataset" object."""
    regions, categories = _categories(table)
    ids = ["indicator", "period", "region", *categories]
    indicator = table.dataset.slug
    dimension: dict[str, Any] = {
        # The metric dimension carries the unit, as JSON-stat wants it.
        "indicator": {
            "label": meta["title"],
            "category": {
                "index": [indicator],
                "label": {indicator: meta["title"]},
                "unit": {indicator: {"label": meta["unit"]}},
            },
        },
        "period": {
            "label": "period",
            "category": {"index": table.periods, "label": {p: p for p in table.periods}},
        },
        "region": {
            "label": "region",
            "category": {
                "index": [code for code, _name in regions],
                "label": {code: name for code, name in regions},
            },
        },
    }
    for breakdown in table.breakdowns:
        names = categories[breakdown.slug]
        dimension[breakdown.slug] = {
            "label": breakdown.name,
            "category": {
                "index": names,
                "label": {c: _("Total") if c == TOTAL else c for c in names},
            },
        }
    sizes = [1, len(table.periods), len(regions), *(len(categories[s]) for s in categories)]
    positions = [
        {},
        {p: i for i, p in enumerate(table.periods)},
        {code: i for i, (code, _name) in enumerate(regions)},
        *({c: i for i, c in enumerate(categories[s])} for s in categories),
    ]
    strides = [math.prod(sizes[i + 1 :]) for i in range(len(sizes))]
    values: list[int | float | None] = [None] * math.prod(sizes)
    status: dict[str, str] = {}
    slugs = list(categories)
    for period, code, _name, key, value, state, _note, _source in table.observations():
        cells = parse_breakdown_key(key) if key else {}
        at = strides[1] * positions[1][period] + strides[2] * positions[2][code]
        for n, slug in enumerate(slugs, start=3):
            at += strides[n] * positions[n][cells.get(slug, TOTAL)]
        values[at] = decimal_number(value)
        if state != ValueStatus.FINAL:
            status[str(at)] = state
    result: dict[str, Any] = {
        "version": "2.0",
        "class": "dataset",
        "href": meta["url"],
        "label": meta["title"],
        "source": meta["agency"]["name"],
        "updated": meta["modified"],
        "id": ids,
        "size": sizes,
        "role": {"time": ["period"], "geo": ["region"], "metric": ["indicator"]},
        "dimension": dimension,
        "value": values,
        "extension": {
            "code": meta["code"],
            "unit": meta["unit"],
            "license": meta["license"],
            "status_default": ValueStatus.FINAL.value,
        },
    }
    if status:
        result["status"] = status
    return result


def jsonstat_bytes(table: Table, meta: dict[str, Any]) -> bytes:
    return orjson.dumps(jsonstat(table, meta))
