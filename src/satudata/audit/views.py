"""The audit log for walidata and administrators: read-only, newest first, filtered."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.forms import AuditFilterForm
from satudata.audit.models import AuditEntry
from satudata.audit.selectors import (
    EntryPage,
    action_label,
    audit_entries,
    audit_page,
    entry_changes,
    type_label,
)


def _require_audit_view(request: HttpRequest) -> None:
    if not can(request.user, Action.AUDIT_VIEW):
        raise PermissionDenied


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """The log, filtered by the GET parameters, fifty entries a page."""
    _require_audit_view(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # Say what is wrong rather than show rows the user did not ask for.
        page = EntryPage([], None, None)
    else:
        filters = form.cleaned_data if form.is_bound else {}
        page = audit_page(
            audit_entries(filters),
            after=_cursor(request.GET.get("after")),
            before=_cursor(request.GET.get("before")),
        )
    rows = [
        {
            "entry": entry,
            "action_label": action_label(entry.action),
            "type_label": type_label(entry.target_type),
            "changed": [name for name, _b, _a in entry.changes] if entry.before else [],
        }
        for entry in page.entries
    ]
    filtered = any(v for k, v in request.GET.items() if k not in ("after", "before"))
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "rows": rows, "filtered": filtered},
    )


@login_required
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry: who, when, and each changed field before and after."""
    _require_audit_view(request)
    entry = get_object_or_404(AuditEntry, pk=pk)
    return render(
        request,
        "audit/entry_detail.html",
        {
            "entry": entry,
            "action_label": action_label(entry.action),
            "type_label": type_label(entry.target_type),
            "changes": entry_changes(entry),
        },
    )
