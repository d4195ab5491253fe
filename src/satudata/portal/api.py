"""The native read API at /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json) (being built)."""

from __future__ import annotations

from ninja import NinjaAPI

api_v1 = NinjaAPI(urls_namespace="api-v1", title="Satu Data API", version="1")
