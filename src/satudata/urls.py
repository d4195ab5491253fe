"""URL map: the public root, the walidata/producer workspace under /app/, health."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from satudata.core import metrics as core_metrics
from satudata.core import views as core_views
from satudata.portal.api import api_v1

app_patterns = [
    path("", core_views.home, name="home"),
    path("account/", include("satudata.accounts.urls")),
    path("", include("satudata.catalog.urls")),
    path("", include("satudata.schedule.urls")),
    path("audit/", include("satudata.audit.urls")),
    path("jobs/", include("satudata.core.urls_jobs")),
    path("values/", include("satudata.values.urls")),
    path("notifications/", include("satudata.notifications.urls")),
    path("portal/", include("satudata.portal.urls_workspace")),
    path("access-requests/", include("satudata.access.urls_workspace")),
    path("", include("satudata.sop.urls")),
    path("publications/", include("satudata.publications.urls")),
    path("", include("satudata.reports.urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_metrics.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/", include(app_patterns)),
    path("api/v1/", api_v1.urls),
    path("publikasi/", include("satudata.publications.urls_public")),
    path("", include("satudata.access.urls")),
    path("", include("satudata.portal.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Unexpected errors: a 503 with Retry-After while the database is unreachable, JSON under /api/.
handler500 = "satudata.core.views_errors.server_error"
