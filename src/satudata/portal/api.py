"""The native read API at /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Datasets, their observations (filters: period, region, breakdown), agencies and topics; read
only, anonymous, rate-limited per client (portal.ratelimit), CORS-open (settings). Everything
comes through portal.selectors / portal.search: a limited dataset shows its metadata and a 403
with the access-request link for its values; closed, embargoed, withdrawn and unknown slugs
all answer the same 404.

Ninja's own docs page would load Swagger UI from a CDN, and no request may leave the server:
the docs at /api/v1/docs are our own page, built from the same OpenAPI schema.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.renderers import BaseRenderer
from pydantic import field_validator

from satudata.accounts.models import Agency
from satudata.catalog.models import Topic
from satudata.portal.api_schemas import (
    AgencyOut,
    DatasetDetail,
    DatasetPage,
    Error,
    LimitedError,
    ObservationPage,
    TopicOut,
)
from satudata.portal.api_usage import api_call_count
from satudata.portal.choices import DownloadFormat
from satudata.portal.ckan_packages import (
    EXTRA_FIELDS,
    PACKAGE_CACHE_SECONDS,
    dataset_cache_key,
    last_public_change,
)
from satudata.portal.models import Dataset
from satudata.portal.ratelimit import api_rate_limited
from satudata.portal.search import SearchQuery, dataset_search
from satudata.portal.selectors import (
    has_public_values,
    public_datasets,
    public_observations,
    released_periods,
)
from satudata.values.models import Observation

PAGE_MAX = 100
OBSERVATIONS_MAX = 10_000


class OrjsonRenderer(BaseRenderer):
    """orjson: several times faster than json for the big observation pages."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: object, *, response_status: int) -> bytes:
        import orjson

        return orjson.dumps(data, default=str)


api_v1 = NinjaAPI(
    urls_namespace="api-v1",
    title="Satu Data API",
    version="1",
    description=(
        "Open sectoral statistics of the region: datasets, their values (observations), "
        "agencies and topics. Read only; anonymous use is rate-limited per client."
    ),
    docs_url=None,
    renderer=OrjsonRenderer(),
)


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    body = {"detail": _("Too many requests: try again in %(s)s seconds.") % {"s": retry_after}}
    return api_v1.create_response(request, body, status=429)


api_v1.add_decorator(api_rate_limited(_too_many), mode="view")


def _not_found() -> HttpError:
    # One answer for unknown, closed, embargoed and withdrawn: no existence oracle.
    return HttpError(404, _("Dataset not found."))


def _dataset(slug: str, now: dt.datetime) -> Dataset:
    if "\x00" in slug:  # no slug holds one, and PostgreSQL refuses to compare text with it
        raise _not_found()
    # Unordered: one row at most, and the default ordering would cost a join.
    dataset = public_datasets(now).order_by().filter(slug=slug).first()
    if dataset is None:
        raise _not_found()
    return dataset


def _summary(request: HttpRequest, dataset: Dataset) -> dict:
    item = dataset.item
    return {
        "slug": dataset.slug,
        "code": dataset.code,
        "title": item.name,
        "agency": item.agency.slug,
        "agency_name": item.agency.name,
        "topic": item.topic.slug if item.topic_id else None,
        "periodicity": item.periodicity,
        "level": item.level,
        "unit": item.unit,
        "accessibility": item.accessibility,
        "modified_at": last_public_change(dataset, timezone.now()),
        "url": request.build_absolute_uri(reverse("dataset-detail", args=[dataset.slug])),
        "api_url": request.build_absolute_uri(
            reverse("api-v1:dataset_detail", args=[dataset.slug])
        ),
    }


class _Filters(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL cannot compare text holding a NUL character (a 500). No stored code,
        # slug or word holds one, so the filter is read with U+FFFD there: it matches nothing,
        # as the NUL would.
        if isinstance(value, str):
            return value.replace("\x00", "\ufffd")
        if isinstance(value, list):
            return [v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in value]
        return value


class DatasetFilters(_Filters):
    q: str = Field("", description="Words to search in titles, descriptions, tags, metadata")
    agency: str | None = Field(None, description="Agency slug (see /agencies)")
    topic: str | None = Field(None, description="Topic slug (see /topics)")
    periodicity: str | None = Field(None, description="annual, semester, quarterly, monthly")
    level: str | None = Field(None, description="regency, district, village")
    offset: int = Field(0, ge=0)
    limit: int = Field(20, ge=1, le=PAGE_MAX)


@api_v1.get("/datasets", response=DatasetPage, tags=["datasets"])
def dataset_list(request: HttpRequest, filters: Query[DatasetFilters]) -> dict:
    """Public datasets, searched and filtered, one page at a time (newest decree's metadata)."""
    facets = {
        name: [value]
        for name, value in (
            ("agency", filters.agency),
            ("topic", filters.topic),
            ("periodicity", filters.periodicity),
            ("level", filters.level),
        )
        if value
    }
    query = SearchQuery(
        q=filters.q,
        filters=facets,
        sort="relevance" if filters.q.strip() else "name",
        start=filters.offset,
        rows=filters.limit,
    )
    found = dataset_search(query, timezone.now())
    return {
        "count": found.count,
        "offset": filters.offset,
        "limit": filters.limit,
        "items": [_summary(request, d) for d in found.datasets],
    }


@api_v1.get("/datasets/{slug}", response={200: DatasetDetail, 404: Error}, tags=["datasets"])
def dataset_detail(request: HttpRequest, slug: str) -> dict:
    """One dataset: metadata (BPS), released periods, breakdowns, download links."""
    now = timezone.now()
    dataset = _dataset(slug, now)
    api_call_count(dataset)
    # Found live above (withdrawn or reclassified datasets never get here); the built answer
    # is cached like the CKAN package (portal.ckan_packages.PACKAGE_CACHE_SECONDS).
    key = dataset_cache_key(dataset, request, "api-v1")
    detail = cache.get(key)
    if detail is None:
        detail = _detail(request, dataset, now)
        cache.set(key, detail, PACKAGE_CACHE_SECONDS)
    return detail


def _detail(request: HttpRequest, dataset: Dataset, now: dt.datetime) -> dict:
    item = dataset.item
    is_open = has_public_values(dataset)
    downloads = {}
    if is_open:
        for fmt in DownloadFormat:
            url = reverse("dataset-download", kwargs={"slug": dataset.slug, "fmt": fmt.value})
            downloads[fmt.value] = request.build_absolute_uri(url)
    return {
        **_summary(request, dataset),
        "definition": item.definition,
        "license": dataset.license,
        "listed_at": dataset.listed_at,
        "periods": released_periods(dataset, now),
        "breakdowns": [
            {"slug": b.slug, "name": b.name, "categories": list(b.categories)}
            for b in item.breakdowns.all()
        ],
        "metadata": {name: str(getattr(item, name) or "") for name in EXTRA_FIELDS},
        "downloads": downloads,
        "observations_url": (
            request.build_absolute_uri(reverse("api-v1:observation_list", args=[dataset.slug]))
            if is_open
            else None
        ),
        "access_request_url": (
            None
            if is_open
            else request.build_absolute_uri(reverse("access-request-create", args=[dataset.slug]))
        ),
    }


class ObservationFilters(_Filters):
    period: str | None = Field(None, description="Periods, comma-separated (2025, 2025-S1...)")
    region: str | None = Field(None, description="Kemendagri region codes, comma-separated")
    breakdown: list[str] = Field(
        default_factory=list,
        description='Breakdown cells "slug=category", repeatable (all must hold)',
    )
    offset: int = Field(0, ge=0)
    limit: int = Field(1000, ge=1, le=OBSERVATIONS_MAX)


def _breakdown_cell(rows: QuerySet[Observation], pair: str) -> QuerySet[Observation]:
    # breakdown_key is "slug=cat" pairs joined by ";": match one whole pair, wherever it is.
    if "=" not in pair:
        raise HttpError(422, _('A breakdown filter reads "slug=category".'))
    return rows.filter(
        Q(breakdown_key=pair)
        | Q(breakdown_key__startswith=f"{pair};")
        | Q(breakdown_key__endswith=f";{pair}")
        | Q(breakdown_key__contains=f";{pair};")
    )


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@api_v1.get(
    "/datasets/{slug}/observations",
    response={200: ObservationPage, 403: LimitedError, 404: Error},
    tags=["datasets"],
)
def observation_list(request: HttpRequest, slug: str, filters: Query[ObservationFilters]) -> Status:
    """The public values of an open dataset, filtered by period, region and breakdown."""
    now = timezone.now()
    dataset = _dataset(slug, now)
    if not has_public_values(dataset):
        url = reverse("access-request-create", args=[dataset.slug])
        return Status(
            403,
            {
                "detail": _("The values of this dataset are limited: request access to them."),
                "access_request_url": request.build_absolute_uri(url),
            },
        )
    api_call_count(dataset)
    rows = public_observations(dataset, now)
    if periods := _split(filters.period):
        rows = rows.filter(period__in=periods)
    if regions := _split(filters.region):
        rows = rows.filter(region_id__in=regions)
    for pair in filters.breakdown:
        rows = _breakdown_cell(rows, pair)
    count = rows.count()
    page = rows.order_by("period", "region_id", "breakdown_key").values(
        "period", "region_id", "region__name", "breakdown_key", "value", "status", "note"
    )[filters.offset : filters.offset + filters.limit]
    items = []
    for row in page:
        key = row["breakdown_key"]
        items.append(
            {
                "period": row["period"],
                "region": row["region_id"],
                "region_name": row["region__name"],
                "breakdown": dict(p.split("=", 1) for p in key.split(";")) if key else {},
                "value": float(row["value"]),
                "status": row["status"],
                "note": row["note"],
            }
        )
    page_ = {"count": count, "offset": filters.offset, "limit": filters.limit, "items": items}
    return Status(200, page_)


@api_v1.get("/agencies", response=list[AgencyOut], tags=["agencies and topics"])
def agency_list(request: HttpRequest) -> list[dict]:
    """Agencies (producers) with public datasets, and how many each has."""
    counts = _counts("item__agency")
    return [
        {
            "slug": a.slug,
            "name": a.name,
            "short_name": a.short_name,
            "code": a.code,
            "website": a.website,
            "dataset_count": counts[a.pk],
            "url": request.build_absolute_uri(reverse("portal-agency", args=[a.slug])),
        }
        for a in Agency.objects.filter(pk__in=counts)
    ]


@api_v1.get("/topics", response=list[TopicOut], tags=["agencies and topics"])
def topic_list(request: HttpRequest) -> list[dict]:
    """Topics (sectors) with public datasets, and how many each has."""
    counts = _counts("item__topic")
    return [
        {
            "slug": t.slug,
            "name": t.name,
            "dataset_count": counts[t.pk],
            "url": request.build_absolute_uri(reverse("portal-topic", args=[t.slug])),
        }
        for t in Topic.objects.filter(pk__in=counts)
    ]


def _counts(field: str) -> dict[int, int]:
    rows = (
        public_datasets(timezone.now())
        .exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[field]: row["n"] for row in rows}


@api_v1.get("/", include_in_schema=False)
def root(request: HttpRequest) -> HttpResponse:
    """/api/v1/ itself: send people to the documentation."""
    return redirect("api-v1:docs")


@api_v1.get("/docs", include_in_schema=False, url_name="docs")
def docs(request: HttpRequest) -> HttpResponse:
    """A readable list of the endpoints from the OpenAPI schema (no CDN: no Swagger UI)."""
    schema = api_v1.get_openapi_schema(path_prefix=reverse("api-v1:api-root"))
    operations = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            params = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description") or p.get("schema", {}).get("title", ""),
                }
                for p in op.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": params,
                    "responses": sorted(op.get("responses", {})),
                }
            )
    context = {
        "schema": schema,
        "operations": operations,
        "openapi_url": reverse("api-v1:openapi-json"),
    }
    return render(request, "portal/api_docs.html", context)
