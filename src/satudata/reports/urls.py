"""Walidata's dashboard and the dissemination report (SOP step 7) under /app/."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("dashboard/", include("satudata.reports.urls_dashboard")),
    path("reports/", include("satudata.reports.urls_report")),
]
