"""The read actions of the CKAN Action API, one function per action name, as CKAN has them.

Each action takes the call (`ActionCall`: request, time, parameters) and returns the envelope's
`result`, or raises one of portal.ckan_errors. Every dataset comes from portal.selectors (or
portal.search, which reads through them): what the portal does not show, no action returns,
and asking for it by slug, code or id answers exactly like asking for a name that never existed.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.catalog.models import Topic
from satudata.portal import ckan_packages as packages
from satudata.portal.api_usage import api_call_count
from satudata.portal.ckan_errors import NotFound, ValidationError
from satudata.portal.ckan_search import facets_answer, package_search_parse
from satudata.portal.models import Dataset
from satudata.portal.search import SearchQuery, dataset_search
from satudata.portal.selectors import has_public_values, public_datasets

# What status_show claims: the CKAN API version whose shapes we follow.
CKAN_VERSION = "2.10.0"
LIST_LIMIT_MAX = 1000


@dataclass
class ActionCall:
    request: HttpRequest
    now: dt.datetime
    data: dict[str, Any]

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def required(self, name: str) -> str:
        value = self.data.get(name)
        if value in (None, ""):
            raise ValidationError({name: ["Missing value"]})
        return str(value)

    def integer(self, name: str, default: int | None, highest: int = LIST_LIMIT_MAX) -> int | None:
        raw = self.data.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({name: ["Invalid integer"]}) from None
        if value < 0:
            raise ValidationError({name: ["Must be a natural number"]})
        return min(value, highest)

    def boolean(self, name: str, default: bool = False) -> bool:
        raw = self.data.get(name, default)
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("true", "1", "yes", "on")


Action = Callable[[ActionCall], Any]
ACTIONS: dict[str, Action] = {}


def action(fn: Action) -> Action:
    """Register a read action under its function name."""
    ACTIONS[fn.__name__] = fn
    return fn


# --- finding a public dataset by slug, code or id ------------------------------------------


class _IdIndex:
    """uuid5 id -> (code, resource format) of public datasets, extended on a miss.

    Ids are derived from codes, so an entry never turns wrong; whether the dataset is public
    is checked again through the selector on every call. A miss rescans only when the public
    catalogue changed since the last scan (one aggregate query tells), and only new codes are
    hashed, so unknown ids cannot make every request rebuild the index.
    """

    def __init__(self) -> None:
        self._ids: dict[str, tuple[str, str]] = {}
        self._codes: set[str] = set()
        self._fingerprint: tuple[Any, ...] | None = None
        self._lock = threading.Lock()

    def find(self, ident: str, now: dt.datetime) -> tuple[str, str] | None:
        hit = self._ids.get(ident)
        if hit:
            return hit
        public = public_datasets(now)
        fingerprint = tuple(
            public.aggregate(
                n=Count("pk"), pk=Max("pk"), listed=Max("listed_at"), changed=Max("modified_at")
            ).values()
        )
        if fingerprint == self._fingerprint:
            return None
        with self._lock:
            for code in public.values_list("code", flat=True):
                if code in self._codes:
                    continue
                stub = Dataset(code=code)
                self._ids[packages.package_id(stub)] = (code, "")
                for fmt in (*packages.FORMAT_NAMES, packages.DATAPACKAGE):
                    self._ids[packages.resource_id(stub, fmt)] = (code, fmt)
                self._codes.add(code)
            self._fingerprint = fingerprint
        return self._ids.get(ident)


_id_index = _IdIndex()


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _dataset_not_found() -> NotFound:
    # One message for unknown, closed, embargoed and withdrawn: no existence oracle.
    return NotFound(_("Dataset not found"))


def find_dataset(ident: str, now: dt.datetime) -> Dataset:
    """The public dataset named by slug, item code or package id; else CKAN's NotFound."""
    public = public_datasets(now).order_by()  # one row at most: no ordering join needed
    if _is_uuid(ident):
        hit = _id_index.find(ident, now)
        code = hit[0] if hit and not hit[1] else None
        dataset = public.filter(code=code).first() if code else None
    else:
        # Two indexed look-ups, not one OR (which SQLite answers by scanning the listed rows).
        dataset = next(iter(public.filter(slug=ident)[:1]), None) or next(
            iter(public.filter(code=ident)[:1]), None
        )
    if dataset is None:
        raise _dataset_not_found()
    return dataset


# --- site ----------------------------------------------------------------------------------


@action
def status_show(call: ActionCall) -> dict[str, Any]:
    """Return the site's version and settings: status_show()."""
    return {
        "site_title": _("Satu Data Portal"),
        "site_description": _("Sectoral statistics of the region, open for everyone."),
        "site_url": call.request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["satudata"],
    }


@action
def site_read(call: ActionCall) -> bool:
    """Return True: the site's content may be read by anyone."""
    return True


# --- packages ------------------------------------------------------------------------------


@action
def package_list(call: ActionCall) -> list[str]:
    """Return the names (slugs) of all public datasets: package_list(limit, offset)."""
    names = public_datasets(call.now).order_by("slug").values_list("slug", flat=True)
    offset = call.integer("offset", 0, highest=10**9) or 0
    limit = call.integer("limit", None, highest=10**9)
    return list(names[offset : None if limit is None else offset + limit])


@action
def current_package_list_with_resources(call: ActionCall) -> list[dict[str, Any]]:
    """Return public datasets with their resources, newest change first (limit, offset)."""
    offset = call.integer("offset", 0, highest=10**9) or 0
    limit = call.integer("limit", 10) or 0
    datasets = public_datasets(call.now).order_by("-modified_at", "slug")[offset : offset + limit]
    return packages.package_dicts(datasets, call.request, call.now)


@action
def package_show(call: ActionCall) -> dict[str, Any]:
    """Return a dataset (package) by name, item code or id: package_show(id)."""
    dataset = find_dataset(call.required("id"), call.now)
    api_call_count(dataset)
    return packages.package_dicts([dataset], call.request, call.now)[0]


@action
def package_search(call: ActionCall) -> dict[str, Any]:
    """Search datasets: package_search(q, fq, rows, start, sort, facet.field, facet.limit)."""
    search = package_search_parse(call.data)
    found = dataset_search(search.query, call.now)
    facets, search_facets = facets_answer(search, found.facets)
    return {
        "count": found.count,
        "sort": search.sort,
        "results": packages.package_dicts(found.datasets, call.request, call.now),
        "facets": facets,
        "search_facets": search_facets,
    }


@action
def resource_show(call: ActionCall) -> dict[str, Any]:
    """Return one resource (a download of an open dataset) by its id: resource_show(id)."""
    ident = call.required("id")
    hit = _id_index.find(ident, call.now) if _is_uuid(ident) else None
    dataset = public_datasets(call.now).filter(code=hit[0]).first() if hit and hit[1] else None
    if dataset is None or not has_public_values(dataset):
        raise NotFound(_("Resource was not found."))
    api_call_count(dataset)
    package = packages.package_dicts([dataset], call.request, call.now)[0]
    wanted = packages.resource_id(dataset, hit[1])  # type: ignore[index]
    return next(r for r in package["resources"] if r["id"] == wanted)


# --- organizations (agencies) and groups (topics) ---------------------------------------------


def _counts(call: ActionCall, field: str) -> dict[int, int]:
    """Public datasets per agency or topic id; only those with any are listed at all."""
    rows = (
        public_datasets(call.now)
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[field]: row["n"] for row in rows}


def _sorted(call: ActionCall, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sort = str(call.get("sort") or "title asc").split()
    key = sort[0] if sort and sort[0] in ("name", "title", "package_count") else "title"
    reverse = len(sort) > 1 and sort[1].lower() == "desc"
    return sorted(rows, key=lambda r: r[key], reverse=reverse)


def _listing(call: ActionCall, rows: list[dict[str, Any]], names_param: str) -> list[Any]:
    wanted = call.get(names_param)
    if wanted:
        names = set(wanted if isinstance(wanted, list) else str(wanted).split(","))
        rows = [r for r in rows if r["name"] in names]
    rows = _sorted(call, rows)
    offset = call.integer("offset", 0, highest=10**9) or 0
    limit = call.integer("limit", None)
    rows = rows[offset : None if limit is None else offset + limit]
    if call.boolean("all_fields"):
        if not call.boolean("include_dataset_count", True):
            for row in rows:
                row.pop("package_count", None)
        return rows
    return [r["name"] for r in rows]


def _organizations(call: ActionCall) -> list[dict[str, Any]]:
    counts = _counts(call, "item__agency")
    agencies = Agency.objects.filter(pk__in=counts)
    return [packages.organization_dict(a, call.request, counts[a.pk]) for a in agencies]


def _groups(call: ActionCall) -> list[dict[str, Any]]:
    counts = _counts(call, "item__topic")
    topics = Topic.objects.filter(pk__in=counts)
    return [packages.group_dict(t, call.request, counts[t.pk]) for t in topics]


def _one(rows: list[dict[str, Any]], ident: str, message: str) -> dict[str, Any]:
    for row in rows:
        if ident in (row["name"], row["id"]):
            return row
    raise NotFound(message)


def _with_datasets(call: ActionCall, row: dict[str, Any], facet: str) -> dict[str, Any]:
    if call.boolean("include_datasets"):
        limit = call.integer("limit", LIST_LIMIT_MAX) or 0
        query = SearchQuery(filters={facet: [row["name"]]}, sort="name", rows=limit)
        found = dataset_search(query, call.now)
        row["packages"] = packages.package_dicts(found.datasets, call.request, call.now)
    row["users"] = []
    return row


@action
def organization_list(call: ActionCall) -> list[Any]:
    """List agencies as organizations: organization_list(all_fields, sort, limit, offset)."""
    return _listing(call, _organizations(call), "organizations")


@action
def organization_show(call: ActionCall) -> dict[str, Any]:
    """Return an agency as an organization by name or id: organization_show(id, ...)."""
    row = _one(_organizations(call), call.required("id"), _("Organization was not found."))
    return _with_datasets(call, row, "agency")


@action
def group_list(call: ActionCall) -> list[Any]:
    """List topics as groups: group_list(all_fields, sort, limit, offset)."""
    return _listing(call, _groups(call), "groups")


@action
def group_show(call: ActionCall) -> dict[str, Any]:
    """Return a topic as a group by name or id: group_show(id, include_datasets)."""
    row = _one(_groups(call), call.required("id"), _("Group was not found."))
    return _with_datasets(call, row, "topic")


@action
def tag_list(call: ActionCall) -> list[Any]:
    """List the tags of public datasets: tag_list(query, all_fields)."""
    if call.get("vocabulary_id"):
        return []
    counts: Counter[str] = Counter()
    for raw in public_datasets(call.now).values_list("item__tags", flat=True):
        counts.update({t.strip() for t in raw.split(",") if t.strip()})
    query = str(call.get("query") or call.get("q") or "").lower()
    names = sorted(name for name in counts if query in name.lower())
    if call.boolean("all_fields"):
        return [
            {"id": packages._uuid("tag", n), "name": n, "display_name": n, "vocabulary_id": None}
            for n in names
        ]
    return names


@action
def license_list(call: ActionCall) -> list[dict[str, Any]]:
    """List the licenses datasets may carry (CKAN's license ids)."""
    return [
        {
            **license_,
            "status": "active",
            "maintainer": "",
            "od_conformance": "approved",
            "osd_conformance": "not reviewed",
            "domain_content": True,
            "domain_data": True,
            "domain_software": False,
            "is_generic": False,
        }
        for license_ in packages.LICENSES.values()
    ]


@action
def help_show(call: ActionCall) -> str:
    """Return an action's documentation: help_show(name)."""
    fn = ACTIONS.get(call.required("name"))
    if fn is None:
        raise NotFound(_("Action function not found"))
    return fn.__doc__ or ""
