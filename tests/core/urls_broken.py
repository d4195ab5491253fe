"""The product's URLconf plus pages that fail the way a lost database or a bug makes them fail."""

from __future__ import annotations

from django.db import OperationalError
from django.urls import path

from satudata.urls import handler500
from satudata.urls import urlpatterns as product_patterns


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ValueError("SELECT secret FROM somewhere")


urlpatterns = [
    path("broken/db/", database_gone),
    path("api/v1/broken/db/", database_gone),
    path("api/3/action/broken_db", database_gone),
    path("broken/bug/", bug),
    *product_patterns,
]

__all__ = ["handler500", "urlpatterns"]
