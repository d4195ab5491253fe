"""package_search's Solr-flavoured parameters (q, fq, sort, facet.field) as our SearchQuery.

CKAN hands these to Solr; we understand the subset harvesters and CKAN front ends send:
`field:value`, `field:"two words"`, `field:(a OR b)` and `+field:value` for the fields below,
and refuse the rest with CKAN's "Search Query Error" rather than silently ignore a filter.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from satudata.portal.ckan_errors import SearchQueryError, ValidationError
from satudata.portal.ckan_packages import FORMAT_NAMES
from satudata.portal.search import FacetValue, SearchQuery

# CKAN field name -> our facet name.
FIELD_FACETS = {
    "organization": "agency",
    "groups": "topic",
    "res_format": "format",
    "periodicity": "periodicity",
    "level": "level",
    "year": "year",
}
# Filters CKAN front ends add that hold for every public dataset here.
NOOP_FILTERS = {
    "dataset_type": {"dataset"},
    "type": {"dataset"},
    "state": {"active"},
    "capacity": {"public"},
    "private": {"false"},
}
# CKAN sort field -> our sort; all run in the direction given here.
SORT_FIELDS = {
    "score": ("relevance", "desc"),
    "metadata_modified": ("updated", "desc"),
    "metadata_created": ("newest", "desc"),
    "name": ("name", "asc"),
    "title": ("name", "asc"),
    "title_string": ("name", "asc"),
    "views_recent": ("downloads", "desc"),
    "views_total": ("downloads", "desc"),
    "downloads": ("downloads", "desc"),
}
DEFAULT_SORT = "score desc, metadata_modified desc"
ROWS_DEFAULT, ROWS_MAX = 10, 1000
FACET_LIMIT_DEFAULT = 50

_TOKEN = re.compile(r'([+-]?)([A-Za-z_][\w.]*):("[^"]*"|\([^)]*\)|\S+)')
_FORMAT_BY_NAME = {name.lower(): fmt for fmt, name in FORMAT_NAMES.items()}
_FORMAT_BY_NAME.update({"json-stat 2.0": "stat.json", "jsonstat": "stat.json"})


@dataclass
class PackageSearch:
    """A package_search request understood: our query plus what the answer must echo."""

    query: SearchQuery
    sort: str
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = FACET_LIMIT_DEFAULT


def _values(raw: str) -> list[str]:
    raw = raw.strip()
    if raw.startswith("(") and raw.endswith(")"):
        parts = re.split(r"\s+OR\s+", raw[1:-1].strip())
        return [p.strip().strip('"') for p in parts if p.strip()]
    return [raw.strip('"')]


def _facet_value(facet: str, value: str) -> str:
    if facet == "format":
        fmt = _FORMAT_BY_NAME.get(value.lower())
        if fmt is None:
            raise SearchQueryError(f"unknown res_format {value!r}")
        return fmt
    return value


def _always_true(name: str, values: list[str]) -> bool:
    if name == "*":
        return values == ["*"]
    return name in NOOP_FILTERS and all(v.lower() in NOOP_FILTERS[name] for v in values)


def _filters(text: str, filters: dict[str, list[str]], words: list[str]) -> str:
    """Move `field:value` tokens of `text` into filters/words; return the remaining text."""

    def take(match: re.Match[str]) -> str:
        sign, name, raw = match.groups()
        if sign == "-":
            raise SearchQueryError(f"negative filters are not supported ({match.group(0)})")
        values = _values(raw)
        if name in FIELD_FACETS:
            facet = FIELD_FACETS[name]
            filters.setdefault(facet, []).extend(_facet_value(facet, v) for v in values)
        elif name in ("tags", "text", "title", "notes"):
            # Tags, titles and descriptions are all in the full-text index.
            words.extend(values)
        elif not _always_true(name, values):
            raise SearchQueryError(f"unknown field {name!r}")
        return " "

    return _TOKEN.sub(take, text)


def _int(data: dict[str, Any], name: str, default: int, lowest: int, highest: int) -> int:
    raw = data.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: ["Invalid integer"]}) from None
    if value < lowest:
        raise ValidationError({name: [f"Must be at least {lowest}"]})
    return min(value, highest)


def _sort(raw: str) -> str:
    """Our sort for CKAN's "field dir, field dir": the first clause decides."""
    first = raw.split(",")[0].split()
    if not first:
        return "relevance"
    name = first[0]
    direction = first[1].lower() if len(first) > 1 else "asc"
    if name not in SORT_FIELDS or direction not in ("asc", "desc"):
        raise SearchQueryError(f"cannot sort on {raw!r}")
    ours, supported = SORT_FIELDS[name]
    if direction != supported:
        raise SearchQueryError(f"{name} sorts {supported} only")
    return ours


def _facet_fields(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str) and not raw.lstrip().startswith("["):
        return [raw.strip()]  # GET clients repeat facet.field=<name> instead of a JSON list
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValidationError({"facet.field": ["Not a JSON list"]}) from None
    if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
        raise ValidationError({"facet.field": ["Not a list of strings"]})
    return raw


def package_search_parse(data: dict[str, Any]) -> PackageSearch:
    """CKAN's package_search parameters as a PackageSearch; raises CKAN's errors."""
    filters: dict[str, list[str]] = {}
    words: list[str] = []
    q = str(data.get("q") or "").strip()
    q = "" if q in ("*:*", "*") else _filters(q, filters, words)
    fq = data.get("fq") or ""
    if isinstance(fq, list):  # fq_list
        fq = " ".join(str(f) for f in fq)
    _filters(str(fq), filters, words)
    for extra in data.get("fq_list") or []:
        _filters(str(extra), filters, words)
    text = " ".join([*q.split(), *words])
    sort = str(data.get("sort") or DEFAULT_SORT)
    facet_limit = _int(data, "facet.limit", FACET_LIMIT_DEFAULT, -1, 10_000)
    return PackageSearch(
        query=SearchQuery(
            q=text,
            filters=filters,
            sort=_sort(sort),
            start=_int(data, "start", 0, 0, 10**9),
            rows=_int(data, "rows", ROWS_DEFAULT, 0, ROWS_MAX),
        ),
        sort=sort,
        facet_fields=_facet_fields(data.get("facet.field")),
        facet_limit=facet_limit,
    )


def facets_answer(
    search: PackageSearch, facets: dict[str, list[FacetValue]]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """CKAN's `facets` ({field: {value: count}}) and `search_facets` for the asked fields."""
    flat: dict[str, dict[str, int]] = {}
    rich: dict[str, dict[str, Any]] = {}
    for name in search.facet_fields:
        ours = FIELD_FACETS.get(name)
        values = sorted(facets.get(ours, []) if ours else [], key=lambda v: (-v.count, v.label))
        if search.facet_limit >= 0:
            values = values[: search.facet_limit]
        items = []
        for v in values:
            value = FORMAT_NAMES.get(v.value, v.value) if ours == "format" else v.value
            label = FORMAT_NAMES.get(v.value, v.label) if ours == "format" else v.label
            items.append({"name": value, "display_name": label, "count": v.count})
        flat[name] = {i["name"]: i["count"] for i in items}
        rich[name] = {"title": name, "items": items}
    return flat, rich
