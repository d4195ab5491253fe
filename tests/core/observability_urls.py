"""The product's URLs plus the observability ones (wired in satudata/urls.py by its owner).

`log_line` is a test-only view that writes log lines while a request runs.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from satudata.core.metrics import metrics_view
from satudata.urls import urlpatterns as product_urlpatterns


def log_line(request: HttpRequest) -> HttpResponse:
    log = logging.getLogger("satudata.tests.view")
    log.warning("connecting with password=hunter2 and Authorization: Bearer abcdefghijkl")
    try:
        raise ValueError("token=s3cr3t-value went wrong")
    except ValueError:
        log.exception("the job failed")
    return HttpResponse("ok")


urlpatterns = [
    path("app/jobs/", include("satudata.core.urls_jobs")),
    path("metrics", metrics_view, name="metrics"),
    path("test-log-line/", log_line, name="test-log-line"),
    *product_urlpatterns,
]
