"""Notification pages: a user's own notifications, and walidata's reminders to agencies.

Nobody opens another user's notification: it answers 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from satudata.accounts.models import User
from satudata.accounts.permissions import can
from satudata.accounts.roles import AGENCY_ROLES, Action
from satudata.notifications.forms import ReminderSelectionForm
from satudata.notifications.models import Notification
from satudata.notifications.selectors import agencies_behind, notifications_for, reminders_of_year
from satudata.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    reminders_send,
)

PER_PAGE = 30


def _own_notification(request: HttpRequest, pk: str | int) -> Notification:
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(notifications_for(request.user), pk=int(pk))


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first; POST marks one (or all) read."""
    if request.method == "POST":
        if request.POST.get("all"):
            count = notifications_mark_all_read(actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(n)s notification marked read.", "%(n)s notifications marked read.", count
                )
                % {"n": count},
            )
        else:
            notification = _own_notification(request, request.POST.get("read", ""))
            notification_mark_read(actor=request.user, notification=notification)
        return redirect("notification-list")
    page = Paginator(notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_http_methods(["GET"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: it is read now, and its link is where the user goes."""
    notification = _own_notification(request, pk)
    notification_mark_read(actor=request.user, notification=notification)
    link = notification.link
    # Only a path of this site: a stored link must never send the user elsewhere.
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts=None) and link.startswith("/"):
        return HttpResponseRedirect(link)
    return redirect("notification-list")


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    """Agencies behind schedule for a year or period, one button to remind them, the history."""
    if not can(request.user, Action.REMINDER_SEND):
        raise PermissionDenied
    form = ReminderSelectionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        return render(request, "notifications/reminders.html", {"form": form}, status=400)
    year, period = form.cleaned_data["year"], form.cleaned_data["period"]
    if request.method == "POST":
        result = reminders_send(actor=request.user, year=year, period=period)
        sent = len(result.reminders)
        if sent:
            messages.success(
                request,
                ngettext(
                    "Reminder sent to %(n)s agency (%(m)s e-mail messages).",
                    "Reminders sent to %(n)s agencies (%(m)s e-mail messages).",
                    sent,
                )
                % {"n": sent, "m": result.emails},
            )
        else:
            messages.info(request, _("No agency is behind schedule: nothing was sent."))
        query = urlencode({"year": year, **({"period": period} if period else {})})
        return redirect(f"{reverse('reminders')}?{query}")
    behind = agencies_behind(year=year, period=period)
    staff = dict(
        User.objects.filter(
            agency_id__in=[b.agency_id for b in behind],
            role__in=sorted(AGENCY_ROLES),
            is_active=True,
        )
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        {
            "agency": b,
            "items": len(b.items),
            "missing": b.missing,
            "partial": b.partial,
            "recipients": staff.get(b.agency_id, 0),
        }
        for b in behind
    ]
    context = {
        "form": form,
        "year": year,
        "period": period,
        "rows": rows,
        "total_items": sum(r["items"] for r in rows),
        "history": reminders_of_year(year),
    }
    return render(request, "notifications/reminders.html", context)
