"""Our public datasets, agencies and topics as CKAN's dictionaries (package, organization, group).

Shapes follow CKAN 2.10's default schema, so harvesters written for CKAN read them unchanged.
Every dataset given here must come from portal.selectors; resources (links to the values) are
only built for datasets whose values are public (open class): a limited dataset is a package
with no resources and an `access_request_url` extra.

Ids are UUIDs derived from the region code and the item code (uuid5): stable across rebuilds
and machines, and distinct between regencies, which matters to a national harvester that keys
packages by id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from satudata.accounts.models import Agency
from satudata.catalog.models import Topic
from satudata.portal.choices import DownloadFormat
from satudata.portal.models import Dataset
from satudata.portal.selectors import has_public_values, public_revisions, released_periods

# CKAN's license ids (its default license list) for the licenses a dataset may carry.
LICENSES: dict[str, dict[str, str]] = {
    "CC-BY-4.0": {
        "id": "cc-by",
        "title": "Creative Commons Attribution 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    },
    "CC0-1.0": {
        "id": "cc-zero",
        "title": "Creative Commons CCZero",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
    },
    "ODbL-1.0": {
        "id": "odc-odbl",
        "title": "Open Data Commons Open Database License (ODbL)",
        "url": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
}

# The name of each download format as CKAN's `format` field and `res_format` facet say it.
FORMAT_NAMES: dict[str, str] = {
    DownloadFormat.CSV: "CSV",
    DownloadFormat.XLSX: "XLSX",
    DownloadFormat.JSON: "JSON",
    DownloadFormat.JSONSTAT: "JSON-stat",
}
MIMETYPES: dict[str, str] = {
    DownloadFormat.CSV: "text/csv",
    DownloadFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DownloadFormat.JSON: "application/json",
    DownloadFormat.JSONSTAT: "application/json",
}
DATAPACKAGE = "datapackage"

# The BPS metadata (MS Indikator / MS Variabel) and data list attributes given as extras.
EXTRA_FIELDS = (
    "code",
    "unit",
    "definition",
    "concept",
    "interpretation",
    "formula",
    "measure",
    "classification",
    "estimation_level",
    "reference_period",
    "source_activity",
    "activity_code",
    "data_type",
    "kind",
    "indicator_code",
    "standard_data_code",
    "metadata_code",
)


def ckan_time(moment: dt.datetime) -> str:
    """CKAN's timestamps: ISO 8601 in UTC without an offset ("2026-03-31T01:00:00.000000")."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, ":".join(("satudata", settings.REGION_CODE, *parts))))


def package_id(dataset: Dataset) -> str:
    return _uuid("dataset", dataset.code)


def resource_id(dataset: Dataset, fmt: str) -> str:
    return _uuid("dataset", dataset.code, "resource", fmt)


def agency_id(agency: Agency) -> str:
    return _uuid("agency", agency.code)


def topic_id(topic: Topic) -> str:
    return _uuid("topic", topic.slug)


def license_dict(code: str) -> dict[str, str]:
    known = LICENSES.get(code)
    if known:
        return known
    return {"id": code.lower(), "title": code, "url": ""}


def organization_dict(
    agency: Agency, request: HttpRequest, package_count: int | None = None
) -> dict[str, Any]:
    """An agency as a CKAN organization (name = the agency's slug)."""
    result: dict[str, Any] = {
        "id": agency_id(agency),
        "name": agency.slug,
        "title": agency.name,
        "display_name": agency.name,
        "description": agency.name,
        "image_url": "",
        "image_display_url": "",
        "created": None,
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
        "url": request.build_absolute_uri(reverse("portal-agency", args=[agency.slug])),
        "extras": [
            {"key": "short_name", "value": agency.short_name},
            {"key": "code", "value": agency.code},
            {"key": "website", "value": agency.website},
            {"key": "email", "value": agency.email},
        ],
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def group_dict(topic: Topic, request: HttpRequest, package_count: int | None = None) -> dict:
    """A topic (sector) as a CKAN group (name = the topic's slug)."""
    result: dict[str, Any] = {
        "id": topic_id(topic),
        "name": topic.slug,
        "title": topic.name,
        "display_name": topic.name,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": None,
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
        "url": request.build_absolute_uri(reverse("portal-topic", args=[topic.slug])),
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def _resources(dataset: Dataset, request: HttpRequest, created: str, modified: str) -> list[dict]:
    pid = package_id(dataset)
    title = dataset.item.name
    resources = []
    for position, (fmt, name) in enumerate(FORMAT_NAMES.items()):
        url = reverse("dataset-download", kwargs={"slug": dataset.slug, "fmt": fmt})
        resources.append(
            {
                "id": resource_id(dataset, fmt),
                "package_id": pid,
                "name": f"{title} ({name})",
                "description": "",
                "url": request.build_absolute_uri(url),
                "format": name,
                "mimetype": MIMETYPES[fmt],
                "position": position,
                "created": created,
                "last_modified": modified,
                "metadata_modified": modified,
                "state": "active",
                "url_type": None,
                "size": None,
                "hash": "",
                "datastore_active": False,
                "resource_type": None,
            }
        )
    url = reverse("dataset-datapackage", kwargs={"slug": dataset.slug})
    resources.append(
        {
            **resources[0],
            "id": resource_id(dataset, DATAPACKAGE),
            "name": f"{title} (Frictionless Data Package)",
            "url": request.build_absolute_uri(url),
            "format": "JSON",
            "mimetype": "application/json",
            "position": len(resources),
            "resource_type": "datapackage",
        }
    )
    return resources


def last_public_change(dataset: Dataset, now: dt.datetime) -> dt.datetime:
    """When the public content last changed: `modified_at`, unless that is still embargoed."""
    if dataset.modified_at <= now:
        return dataset.modified_at
    latest = public_revisions(dataset, now).first()
    return latest.at if latest else dataset.listed_at


def _coverage(periods: list[str]) -> str:
    if not periods:
        return ""
    return periods[0] if len(periods) == 1 else f"{periods[0]}/{periods[-1]}"


def package_dict(dataset: Dataset, request: HttpRequest, now: dt.datetime) -> dict[str, Any]:
    """A public dataset as a CKAN package; values only as links, and only when open."""
    item = dataset.item
    agency = item.agency
    created = ckan_time(dataset.listed_at)
    modified = ckan_time(last_public_change(dataset, now))
    license_ = license_dict(dataset.license)
    is_open = has_public_values(dataset)
    periods = released_periods(dataset, now) if is_open else []
    extras = {name: str(getattr(item, name) or "") for name in EXTRA_FIELDS}
    extras.update(
        periodicity=item.periodicity,
        level=item.level,
        accessibility=item.accessibility,
        breakdowns=", ".join(b.name for b in item.breakdowns.all()),
        temporal_coverage=_coverage(periods),
        temporal_start=periods[0] if periods else "",
        temporal_end=periods[-1] if periods else "",
    )
    if not is_open:
        url = reverse("access-request-create", args=[dataset.slug])
        extras["access_request_url"] = request.build_absolute_uri(url)
    resources = _resources(dataset, request, created, modified) if is_open else []
    tags = item.tag_list
    groups = [group_dict(item.topic, request)] if item.topic_id else []
    return {
        "id": package_id(dataset),
        "name": dataset.slug,
        "title": item.name,
        "notes": item.definition,
        "url": request.build_absolute_uri(reverse("dataset-detail", args=[dataset.slug])),
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": is_open,
        "version": str(dataset.version),
        "author": agency.name,
        "author_email": agency.email,
        "maintainer": agency.name,
        "maintainer_email": agency.email,
        "license_id": license_["id"],
        "license_title": license_["title"],
        "license_url": license_["url"],
        "metadata_created": created,
        "metadata_modified": modified,
        "owner_org": agency_id(agency),
        "organization": organization_dict(agency, request),
        "groups": groups,
        "tags": [
            {"id": _uuid("tag", t), "name": t, "display_name": t, "state": "active"} for t in tags
        ],
        "num_tags": len(tags),
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v != ""],
        "resources": resources,
        "num_resources": len(resources),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


# Built packages are cached briefly: the key holds everything that changes what the public may
# see (the dataset's version, its item and class, read live on every call), so a withdrawal or
# reclassification shows at once; only a release whose embargo lifts without a new version
# shows in the package (temporal coverage) up to this many seconds late, never early.
PACKAGE_CACHE_SECONDS = 30


def dataset_cache_key(dataset: Dataset, request: HttpRequest, kind: str = "ckan") -> str:
    """A cache key that changes with anything that changes what the public may see of it."""
    item = dataset.item
    parts = (
        dataset.pk,
        dataset.version,
        dataset.license,
        item.pk,
        item.accessibility,
        item.updated_at.timestamp(),
        item.agency_id,
        item.topic_id or 0,
        request.scheme,
        request.get_host(),
    )
    return f"portal:{kind}:" + ":".join(str(p) for p in parts)


def package_dicts(
    datasets: Iterable[Dataset], request: HttpRequest, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Many packages at once: from the cache, the rest built (one query for their breakdowns)."""
    datasets = list(datasets)
    moment = now or timezone.now()
    keys = [dataset_cache_key(d, request) for d in datasets]
    cached = cache.get_many(keys)
    missing = [d for d, k in zip(datasets, keys, strict=True) if k not in cached]
    if missing:
        prefetch_related_objects(missing, "item__breakdowns")
        built = {dataset_cache_key(d, request): package_dict(d, request, moment) for d in missing}
        cache.set_many(built, PACKAGE_CACHE_SECONDS)
        cached.update(built)
    return [cached[k] for k in keys]
