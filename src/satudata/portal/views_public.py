"""Public portal pages: home, dataset, agencies, topics, calendar, sitemap, robots, feed.

Thin views: they parse the request, read through portal.selectors (via the pages_* helpers)
and render. Unknown, closed, embargoed and withdrawn datasets are a plain 404.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from satudata.accounts.models import Agency
from satudata.catalog.models import Breakdown, Region, Topic
from satudata.portal import pages_cache, pages_dataset, pages_feeds, pages_home
from satudata.portal.choices import DownloadFormat
from satudata.portal.models import Dataset
from satudata.portal.pages_common import (
    absolute,
    is_limited,
    last_update,
    page_meta,
    paginate,
    period_label,
)
from satudata.portal.pages_dataset import DatasetValues
from satudata.portal.selectors import (
    public_dataset,
    public_datasets,
    public_revisions,
    released_periods,
)
from satudata.portal.usage import usage_add

LICENSES = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International (CC BY 4.0)",
        "https://creativecommons.org/licenses/by/4.0/deed.id",
    ),
}
REVISIONS_SHOWN = 20
# The body's key changes with everything it shows; the time only bounds memory use.
DATASET_CACHE_SECONDS = 3600


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    key, seconds = pages_cache.portal_fingerprint(now)
    body = pages_cache.cached(
        f"portal-home:{key}",
        seconds,
        lambda: render_to_string("portal/_home_body.html", _home_context(now), request=request),
    )
    meta = page_meta(
        request,
        _("Open data portal"),
        _("Sectoral statistics of the regency: open datasets, metadata and release calendar."),
    )
    # The body was rendered (and escaped) by our own template.
    return render(request, "portal/home.html", {"meta": meta, "body": mark_safe(body)})


def _home_context(now: dt.datetime) -> dict[str, object]:
    releases, due = pages_home.calendar_excerpt(now)
    return {
        "topics": pages_home.topic_counts(now),
        "agencies": pages_home.agency_counts(now),
        "newest": pages_home.newest_datasets(now),
        "most_downloaded": pages_home.most_downloaded(now),
        "headlines": pages_home.headlines(now),
        "releases": releases,
        "due": due,
        "total": public_datasets(now).count(),
    }


@require_safe
def dataset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    dataset = public_dataset(slug, now)
    if dataset is None:
        raise Http404
    if request.method == "GET":
        usage_add(dataset, views=1)
    item = dataset.item
    breakdowns = list(item.breakdowns.all())
    # A limited dataset is metadata only: its values are never read for the page.
    limited = is_limited(dataset)
    periods = [] if limited else released_periods(dataset, now)
    filters = pages_dataset.breakdown_filters(breakdowns, request.GET)
    chart_period = pages_dataset.chart_period_of(periods, request.GET)
    key = pages_dataset.body_key(
        dataset,
        periods,
        filters,
        chart_period,
        get_language(),
        timezone.localdate(now),  # the citation's "accessed" date
        request.get_host(),
    )

    def build() -> str:
        values = None
        if not limited:
            values = pages_dataset.dataset_values(dataset, periods, filters, chart_period, now)
        context = _dataset_context(request, dataset, breakdowns, values, now)
        return render_to_string("portal/_dataset_body.html", context, request=request)

    body = pages_cache.cached(key, DATASET_CACHE_SECONDS, build)
    usage = dataset.usage.aggregate(views=Sum("views"), downloads=Sum("downloads"))
    context = {
        "meta": page_meta(request, item.name, item.definition or item.name),
        "body": mark_safe(body),  # rendered (and escaped) by our own template
        "usage": usage,
    }
    return render(request, "portal/dataset_detail.html", context)


def _dataset_context(
    request: HttpRequest,
    dataset: Dataset,
    breakdowns: list[Breakdown],
    values: DatasetValues | None,
    now: dt.datetime,
) -> dict[str, object]:
    item = dataset.item
    revisions = list(public_revisions(dataset, now)[:REVISIONS_SHOWN])
    for revision in revisions:
        revision.period_label = period_label(revision.period) if revision.period else ""
    downloads = [
        (fmt.label, reverse("dataset-download", args=[dataset.slug, fmt.value]))
        for fmt in DownloadFormat
    ]
    license_name, license_url = LICENSES.get(dataset.license, (dataset.license, ""))
    url = absolute(request, reverse("dataset-detail", args=[dataset.slug]))
    updated = last_update(dataset, now, revisions[0].at if revisions else None)
    shared = [] if values is None else [(label, absolute(request, h)) for label, h in downloads]
    periods = values.periods if values is not None else []
    return {
        "structured_data": pages_dataset.structured_data(
            dataset, url, shared, periods, license_url, updated
        ),
        "dataset": dataset,
        "item": item,
        "limited": values is None,
        "metadata": pages_dataset.metadata_rows(item, breakdowns),
        "values": values,
        "revisions": revisions,
        "updated": updated,
        "downloads": downloads,
        "license_name": license_name,
        "license_url": license_url,
        "url": url,
        "accessed": timezone.localdate(now),
        "chart_assets": bool(values and (values.series_spec or values.bars_spec)),
    }


@require_safe
def agency_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    agencies = pages_home.agency_counts(now, all_active=True)
    context = {
        "meta": page_meta(request, _("Agencies"), _("Regional agencies producing sectoral data.")),
        "page": paginate(request, agencies, size=50),
    }
    return render(request, "portal/agency_list.html", context)


@require_safe
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agency = get_object_or_404(Agency, slug=slug)
    datasets = public_datasets().filter(item__agency=agency).order_by("item__name")
    context = {
        "meta": page_meta(
            request, agency.name, _("Datasets published by %(agency)s.") % {"agency": agency.name}
        ),
        "agency": agency,
        "page": paginate(request, datasets),
    }
    return render(request, "portal/agency_detail.html", context)


@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    counts = {c.slug: c.count for c in pages_home.topic_counts(now)}
    topics = [(t, counts.get(t.slug, 0)) for t in Topic.objects.order_by("name")]
    context = {
        "meta": page_meta(request, _("Topics"), _("Datasets grouped by sector.")),
        "page": paginate(request, topics, size=50),
    }
    return render(request, "portal/topic_list.html", context)


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    datasets = public_datasets().filter(item__topic=topic).order_by("item__name")
    context = {
        "meta": page_meta(request, topic.name, _("Datasets on %(topic)s.") % {"topic": topic.name}),
        "topic": topic,
        "page": paginate(request, datasets),
    }
    return render(request, "portal/topic_detail.html", context)


@require_safe
def release_calendar(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    months = pages_home.calendar_months(timezone.localdate(now))
    month = _month(request.GET.get("month", ""), months)
    key, seconds = pages_cache.portal_fingerprint(now)

    def build() -> str:
        releases, due = pages_home.calendar(now, month)
        context = {"releases": releases, "due": due}
        return render_to_string("portal/_calendar.html", context, request=request)

    body = pages_cache.cached(f"portal-calendar:{month}:{key}", seconds, build)
    context = {
        "meta": page_meta(
            request,
            _("Advance release calendar"),
            _("When the regency's sectoral statistics will be released."),
        ),
        "body": mark_safe(body),  # rendered by our own template, escaped there
        "months": months,
        "month": month,
    }
    return render(request, "portal/release_calendar.html", context)


def _month(text: str, months: list[dt.date]) -> dt.date | None:
    """The month asked for as "2026-12", if the calendar covers it."""
    return next((m for m in months if m.strftime("%Y-%m") == text), None)


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    key, seconds = pages_cache.portal_fingerprint(now)
    xml = pages_cache.cached(
        f"portal-sitemap:{request.get_host()}:{key}",
        seconds,
        lambda: pages_feeds.sitemap_xml(request, now),
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(pages_feeds.robots_txt(request), content_type="text/plain; charset=utf-8")


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    key, seconds = pages_cache.portal_fingerprint(now)

    def build() -> str:
        region = Region.objects.filter(code=settings.REGION_CODE).values_list("name", flat=True)
        portal_name = _("Satu Data") + " " + (region.first() or settings.REGION_CODE)
        return pages_feeds.atom_feed(request, now, portal_name).writeString("utf-8")

    xml = pages_cache.cached(f"portal-feed:{request.get_host()}:{key}", seconds, build)
    return HttpResponse(xml, content_type="application/atom+xml; charset=utf-8")
