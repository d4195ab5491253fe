"""Dataset downloads (CSV, XLSX, JSON, JSON-stat), data packages and the DCAT catalog.

Thin views: find the dataset through `portal.selectors`, hand it to the writer of the format.
Only open public datasets have files: a limited, closed, embargoed, withdrawn or unknown slug
gets the same 404, so a file's absence says nothing about what hides behind a slug.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import orjson
from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from satudata.portal.choices import DownloadFormat
from satudata.portal.datapackage import datapackage as datapackage_descriptor
from satudata.portal.dcat import catalog_bytes
from satudata.portal.exports_cache import cached_file
from satudata.portal.exports_csv import csv_chunks
from satudata.portal.exports_json import json_chunks, jsonstat_bytes
from satudata.portal.exports_table import Table, metadata, table_for
from satudata.portal.exports_xlsx import xlsx_file
from satudata.portal.models import Dataset
from satudata.portal.selectors import has_public_values, public_dataset
from satudata.portal.usage import usage_add

CONTENT_TYPES = {
    DownloadFormat.CSV: "text/csv; charset=utf-8",
    DownloadFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DownloadFormat.JSON: "application/json",
    DownloadFormat.JSONSTAT: "application/json",
}
# Caches may keep a file briefly; the ETag makes revalidation cheap after that.
CACHE_CONTROL = "public, max-age=300"


def _open_dataset(slug: str, now: dt.datetime) -> Dataset:
    """The open public dataset with this slug, or the one 404 for everything else."""
    dataset = public_dataset(slug, now)
    if dataset is None or not has_public_values(dataset):
        raise Http404
    return dataset


def _state(table: Table) -> str:
    """Changes with the dataset's version and with every release passing its embargo."""
    dataset = table.dataset
    raw = f"{dataset.pk}:{dataset.version}:{','.join(table.periods)}:{settings.SITE_URL}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _etag(table: Table, what: str) -> str:
    return f'"{_state(table)}-{what}"'


def _conditional(request: HttpRequest, table: Table, what: str) -> HttpResponseBase | None:
    """A 304 when the client's copy is current, else None."""
    return get_conditional_response(
        request,
        etag=_etag(table, what),
        last_modified=int(table.last_modified.timestamp()),
    )


def _finish(response: HttpResponseBase, table: Table, what: str, filename: str) -> None:
    response["ETag"] = _etag(table, what)
    response["Last-Modified"] = http_date(table.last_modified.timestamp())
    response["Cache-Control"] = CACHE_CONTROL
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'


@require_safe
def dataset_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    """The dataset's values as a file: data.csv, data.xlsx, data.json or data.stat.json."""
    if fmt not in DownloadFormat.values:
        raise Http404
    fmt = DownloadFormat(fmt)
    now = timezone.now()
    dataset = _open_dataset(slug, now)
    table = table_for(dataset, now)
    not_modified = _conditional(request, table, fmt.value)
    if not_modified is not None:
        return not_modified
    # Files name the site by SITE_URL, not by the Host header: built files are shared.
    base = settings.SITE_URL
    response: HttpResponseBase
    if fmt == DownloadFormat.CSV:
        response = StreamingHttpResponse(csv_chunks(table), content_type=CONTENT_TYPES[fmt])
    elif fmt == DownloadFormat.JSON:
        response = StreamingHttpResponse(
            json_chunks(table, metadata(table, base)), content_type=CONTENT_TYPES[fmt]
        )
    elif fmt == DownloadFormat.JSONSTAT:
        built = cached_file(
            dataset.pk,
            _state(table),
            fmt.value,
            lambda: io.BytesIO(jsonstat_bytes(table, metadata(table, base))),
        )
        response = FileResponse(built, content_type=CONTENT_TYPES[fmt])
    else:
        built = cached_file(
            dataset.pk, _state(table), fmt.value, lambda: xlsx_file(table, metadata(table, base))
        )
        response = FileResponse(built, content_type=CONTENT_TYPES[fmt])
    _finish(response, table, fmt.value, f"{dataset.slug}.{fmt.value}")
    if request.method == "GET":
        usage_add(dataset, downloads=1)
    return response


@require_safe
def datapackage(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The Frictionless Data Package descriptor of an open dataset."""
    now = timezone.now()
    table = table_for(_open_dataset(slug, now), now)
    not_modified = _conditional(request, table, "datapackage")
    if not_modified is not None:
        return not_modified
    descriptor = datapackage_descriptor(table, request.build_absolute_uri("/"))
    response = HttpResponse(
        orjson.dumps(descriptor, option=orjson.OPT_INDENT_2), content_type="application/json"
    )
    _finish(response, table, "datapackage", "")
    return response


def _catalog(request: HttpRequest, fmt: str, content_type: str) -> HttpResponseBase:
    data, state = catalog_bytes(fmt, timezone.now())
    etag = f'"{state}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponseBase:
    """The DCAT catalog as JSON-LD."""
    return _catalog(request, "json-ld", "application/ld+json")


@require_safe
def catalog_ttl(request: HttpRequest) -> HttpResponseBase:
    """The DCAT catalog as Turtle."""
    return _catalog(request, "turtle", "text/turtle; charset=utf-8")
