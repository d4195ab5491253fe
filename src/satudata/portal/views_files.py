"""Dataset downloads (CSV, XLSX, JSON, JSON-stat), data packages, DCAT catalog (being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def _being_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("being built", status=501, content_type="text/plain")


dataset_download = _being_built

datapackage = _being_built

catalog_jsonld = _being_built

catalog_ttl = _being_built
