"""Background jobs for administrators (workspace, under /app/jobs/)."""

from __future__ import annotations

from django.urls import path

from satudata.core import views_jobs

app_name = "jobs"

urlpatterns = [
    path("", views_jobs.job_list, name="list"),
    path("<uuid:job_id>/retry/", views_jobs.job_retry_view, name="retry"),
]
