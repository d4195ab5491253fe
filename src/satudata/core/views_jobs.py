"""Background jobs for administrators: failed jobs with their errors, and retry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from satudata.core.errors import DomainError, NotAllowed
from satudata.core.jobs_admin import (
    failed_job_rows,
    failed_jobs,
    job_counts,
    job_retry,
    may_manage_jobs,
)

JOBS_PER_PAGE = 50


def _require_admin(request: HttpRequest) -> None:
    if not may_manage_jobs(request.user):
        raise NotAllowed("jobs")


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Failed jobs, newest first, with their error and a retry button."""
    _require_admin(request)
    page = Paginator(failed_jobs(user=request.user), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Posting jobs that met a refusal end well and store it on the post: listed here too, so
    # the administrator sees every failed post (retried from the publication's page).
    from satudata.publications.selectors import posts_failed

    return render(
        request,
        "core/jobs.html",
        {
            "page": page,
            "rows": failed_job_rows(list(page.object_list)),
            "counts": job_counts(),
            "failed_posts": list(posts_failed()),
        },
    )


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: str) -> HttpResponse:
    """Queue a failed job again; the list says what happened."""
    _require_admin(request)
    try:
        retried = job_retry(actor=request.user, job_id=str(job_id))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The job is queued again as job %(id)s. Work already done is not done twice.")
            % {"id": retried.pk},
        )
    return redirect("jobs:list")
