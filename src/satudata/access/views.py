"""Access requests for limited data: the public form, the granted link, and the review pages.

Public pages read datasets only through portal.selectors: a request form exists only for a
public limited dataset, and an unknown, closed, embargoed or withdrawn slug gets the same 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.core import is_ratelimited

from satudata.access import services, writers
from satudata.access.choices import AccessRequestState, DownloadFormat
from satudata.access.constants import DEFAULT_SUBMIT_RATE, REQUESTS_PER_PAGE, XLSX_MAX_VALUES
from satudata.access.forms import AccessRequestForm, DecisionForm
from satudata.access.models import AccessRequest
from satudata.access.permissions import can_review_request, can_review_requests
from satudata.access.selectors import (
    active_grant,
    granted_observations,
    granted_value_count,
    requests_visible_to,
)
from satudata.core.errors import DomainError
from satudata.portal.selectors import has_public_values, public_dataset

# ---------------------------------------------------------------- public


def _submit_limited(request: HttpRequest) -> bool:
    """True when this client already sent its share of requests (counts valid ones only)."""
    return is_ratelimited(
        request,
        group="access-request-submit",
        key="ip",
        rate=getattr(settings, "ACCESS_REQUEST_RATE", DEFAULT_SUBMIT_RATE),
        method=["POST"],
        increment=True,
    )


@never_cache
def request_create(request: HttpRequest, slug: str) -> HttpResponse:
    """The request form of a limited dataset (anyone, no account)."""
    dataset = public_dataset(slug)
    if dataset is None:
        raise Http404
    if has_public_values(dataset):
        # Open data needs no request: its values are on its page.
        return redirect("dataset-detail", slug=dataset.slug)
    status = 200
    if request.method == "POST":
        form = AccessRequestForm(request.POST, request.FILES)
        if form.is_valid():
            if _submit_limited(request):
                form.add_error(
                    None, _("Too many requests from your address. Please try again in an hour.")
                )
                status = 429
            else:
                try:
                    services.request_submit(
                        actor=request.user,
                        dataset=dataset,
                        name=form.cleaned_data["name"],
                        institution=form.cleaned_data["institution"],
                        purpose=form.cleaned_data["purpose"],
                        email=form.cleaned_data["email"],
                        phone=form.cleaned_data["phone"],
                        letter=form.cleaned_data["letter"],
                        letter_type=form.letter_type,
                        language=getattr(request, "LANGUAGE_CODE", "id"),
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                    status = error.status
                else:
                    return redirect("access-request-sent")
        else:
            status = 400
    else:
        form = AccessRequestForm()
    return render(
        request,
        "access/request_form.html",
        {
            "dataset": dataset,
            "form": form,
            # Browsers never refill a file input, so say so when a chosen file was dropped.
            "file_dropped": bool(request.FILES) and form.is_bound and not form.is_valid(),
        },
        status=status,
    )


def request_sent(request: HttpRequest) -> HttpResponse:
    """The thank-you page after a request: it shows no request, not even the one just sent."""
    return render(request, "access/request_sent.html")


def _invalid_link(request: HttpRequest) -> HttpResponse:
    # One answer for a wrong token, a refused, expired or revoked grant: nothing to probe.
    return render(request, "access/grant_invalid.html", status=404)


@never_cache
@require_safe
def grant_download(request: HttpRequest, token: str) -> HttpResponse:
    """The page the approval e-mail links to: the dataset, the expiry, the download buttons."""
    grant = active_grant(token)
    if grant is None:
        return _invalid_link(request)
    xlsx_too_large = granted_value_count(grant) > XLSX_MAX_VALUES
    formats = [
        (code, label)
        for code, label in DownloadFormat.choices
        if not (code == DownloadFormat.XLSX and xlsx_too_large)
    ]
    response = render(
        request,
        "access/grant.html",
        {"grant": grant, "token": token, "formats": formats, "xlsx_too_large": xlsx_too_large},
    )
    # The token is in the address: keep it out of Referer headers and shared caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET  # a HEAD (link checkers, mail scanners) must not count as a download
def grant_file(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """One granted file (CSV or XLSX), recorded and audited before it is sent."""
    if fmt not in DownloadFormat.values:
        return _invalid_link(request)
    grant = active_grant(token)
    if grant is None:
        return _invalid_link(request)
    if fmt == DownloadFormat.XLSX and granted_value_count(grant) > XLSX_MAX_VALUES:
        return redirect("access-grant-download", token=token)
    try:
        services.grant_download_record(grant=grant, fmt=fmt)
    except DomainError:
        return _invalid_link(request)
    observations = granted_observations(grant)
    stamp = timezone.localdate().isoformat()
    filename = f"{grant.dataset.slug}-{stamp}.{fmt}"
    if fmt == DownloadFormat.CSV:
        response: HttpResponse = StreamingHttpResponse(
            writers.csv_chunks(observations), content_type="text/csv; charset=utf-8"
        )
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            writers.xlsx_file(observations, title=grant.dataset.item.name),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- review (workspace)


def _require_reviewer(request: HttpRequest) -> None:
    if not can_review_requests(request.user):
        raise PermissionDenied


def _visible_request(request: HttpRequest, pk: int) -> AccessRequest:
    """The request if the user may review it; 404 otherwise (another agency's stays unknown)."""
    _require_reviewer(request)
    access_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    if not can_review_request(request.user, access_request):
        raise Http404
    return access_request


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The requests the reviewer may decide, newest first, filtered by state."""
    _require_reviewer(request)
    rows = requests_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in AccessRequestState.values:
        rows = rows.filter(state=state)
    else:
        state = ""
    page = Paginator(rows, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "access/request_list.html",
        {"page": page, "state": state, "states": AccessRequestState.choices},
    )


def _detail_page(
    request: HttpRequest, access_request: AccessRequest, form: DecisionForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "access/request_detail.html",
        {
            "req": access_request,
            "form": form,
            "can_decide": access_request.state == AccessRequestState.SUBMITTED,
            "downloads": access_request.downloads.all()[:100],
            "download_count": access_request.downloads.count(),
        },
        status=status,
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: who, why, the letter, the decision and the downloads made."""
    access_request = _visible_request(request, pk)
    return _detail_page(request, access_request, DecisionForm())


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve with an expiry date or refuse with a reason."""
    access_request = _visible_request(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, access_request, form, status=400)
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            services.request_approve(
                actor=request.user,
                request=access_request,
                expires_on=form.cleaned_data["expires_on"],
            )
            messages.success(request, _("Request approved: the link was sent to the requester."))
        else:
            services.request_refuse(
                actor=request.user, request=access_request, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Request refused: the requester was told why."))
    except DomainError as error:
        form.add_error(None, error.message)
        access_request.refresh_from_db()
        return _detail_page(request, access_request, form, status=error.status)
    return redirect("access-request-detail", pk=access_request.pk)


@login_required
def request_letter(request: HttpRequest, pk: int) -> FileResponse:
    """The supporting letter, for the request's reviewers only (uploads are never public)."""
    access_request = _visible_request(request, pk)
    if not access_request.letter:
        raise Http404
    extension = access_request.letter.name.rsplit(".", 1)[-1]
    response = FileResponse(
        access_request.letter.open("rb"),
        content_type=access_request.letter_type or "application/octet-stream",
        filename=f"surat-permohonan-{access_request.pk}.{extension}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
