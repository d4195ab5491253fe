"""A Frictionless Data Package (datapackage.json) describing an open dataset and its CSV.

The one resource is the CSV download at its absolute address, with a Table Schema that lists
the CSV's columns exactly, in order. No `profile` or `$schema` URL is written: validators
fetch such URLs, and harvesters offline could not.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from satudata.portal.exports_table import (
    FIXED_AFTER,
    FIXED_BEFORE,
    LICENSE_TITLES,
    LICENSE_URLS,
    Table,
    download_path,
    site_url,
)

# Table Schema of the fixed columns; breakdown columns are strings with their categories.
_FIXED_FIELDS: dict[str, dict[str, Any]] = {
    "period": {
        "type": "string",
        "description": "Period: 2025, 2025-S1, 2025-Q3 or 2025-07",
        "constraints": {"required": True, "pattern": r"\d{4}(-S[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?"},
    },
    "region_code": {
        "type": "string",
        "description": "Kemendagri region code",
        "constraints": {"required": True},
    },
    "region_name": {"type": "string", "description": "Region name"},
    "value": {
        "type": "number",
        "description": "The value, exact, '.' as decimal separator",
        "decimalChar": ".",
        "bareNumber": True,
        "constraints": {"required": True},
    },
    "unit": {"type": "string", "description": "Unit of measure"},
    "status": {
        "type": "string",
        "description": "final or preliminary",
        "constraints": {"enum": ["final", "preliminary"]},
    },
    "note": {"type": "string", "description": "Note on the value"},
    "source": {"type": "string", "description": "Source of the value"},
}
assert set(_FIXED_FIELDS) == {*FIXED_BEFORE, *FIXED_AFTER}


def table_schema(table: Table) -> dict[str, Any]:
    """The Table Schema of the CSV: one field per column, in the CSV's order."""
    by_column = {b.column: b for b in table.breakdowns}
    fields = []
    for name in table.columns:
        if name in by_column:
            breakdown = by_column[name]
            fields.append({"name": name, "type": "string", "description": breakdown.name})
        else:
            fields.append({"name": name, **_FIXED_FIELDS[name]})
    return {
        "fields": fields,
        # One value per cell: the breakdown columns distinguish cells of a region and period.
        "primaryKey": ["period", "region_code", *by_column],
        "missingValues": [""],
    }


def datapackage(table: Table, base: str) -> dict[str, Any]:
    """The datapackage.json descriptor; `base` is the site root for absolute URLs."""
    dataset = table.dataset
    item = dataset.item
    agency = item.agency
    license_name = dataset.license
    source: dict[str, Any] = {"title": agency.name}
    if agency.website:
        source["path"] = agency.website
    if agency.email:
        source["email"] = agency.email
    descriptor: dict[str, Any] = {
        "name": dataset.slug,
        "homepage": site_url(reverse("dataset-detail", kwargs={"slug": dataset.slug}), base),
        "title": item.name,
        "description": item.definition or item.name,
        "version": str(dataset.version),
        "created": dataset.listed_at.isoformat(),
        "keywords": item.tag_list,
        "licenses": [
            {
                "name": license_name,
                "path": LICENSE_URLS.get(license_name, ""),
                "title": LICENSE_TITLES.get(license_name, license_name),
            }
        ],
        "sources": [source],
        "resources": [
            {
                "name": dataset.slug,
                "path": site_url(download_path(dataset, "csv"), base),
                "title": item.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": table_schema(table),
            }
        ],
    }
    if not descriptor["licenses"][0]["path"]:
        del descriptor["licenses"][0]["path"]
    return descriptor
