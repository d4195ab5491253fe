"""Walidata's dashboard (/app/dashboard/): the figures across the SOP, charts beside tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from satudata.access.choices import AccessRequestState
from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.catalog.choices import Accessibility
from satudata.core.errors import NotAllowed
from satudata.reports.dashboard import Window, dashboard_for
from satudata.reports.dashboard_charts import chart_specs, month_label
from satudata.schedule.fill_check import fill_years
from satudata.schedule.forms_fill import period_choices
from satudata.schedule.periods import InvalidPeriod, Period


class DashboardFilterForm(forms.Form):
    """The window: a year (this year by default) and optionally a part of it."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, required=False, empty_value=None
    )
    period = forms.CharField(label=gettext_lazy("Part of the year"), required=False, max_length=10)

    def __init__(self, *args: Any, years: list[int], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].choices = [(y, str(y)) for y in years]
        shown = self.data.get("year") or self.data.get("period", "")[:4]
        year = int(shown) if shown.isdigit() and int(shown) in years else today.year
        self.fields["period"].widget = forms.Select(choices=period_choices(year))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        key = data.get("period") or ""
        data["period"] = None
        if not key:
            return data
        try:
            period = Period.parse(key)
        except InvalidPeriod:
            self.add_error("period", _("%(period)s is not a period.") % {"period": key})
            return data
        year = data.get("year")
        if year is not None and year != period.year:
            self.add_error("period", _("The period is not in the chosen year."))
            return data
        if period.year not in dict(self.fields["year"].choices):
            self.add_error("period", _("No figures for that year."))
            return data
        data["period"] = period
        data["year"] = period.year
        return data

    def window(self) -> Window:
        """The window asked for (after is_valid), the year shown back in the select."""
        year = self.cleaned_data.get("year") or self.today.year
        self.data = self.data.copy()
        self.data["year"] = str(year)
        self.fields["period"].widget.choices = period_choices(year)
        return Window(year=year, period=self.cleaned_data.get("period"))


def dashboard_years(today: dt.date) -> list[int]:
    """The years offered, newest first: those of the fill check, and always this year."""
    years = set(fill_years(today)) | {today.year}
    return sorted(years, reverse=True)


def _window_text(window: Window) -> str:
    if window.period is None:
        return _("Year %(year)s") % {"year": window.year}
    period = window.period
    if period.periodicity == "monthly":
        return month_label(window.year, period.index, "F Y")
    first, last = (month_label(window.year, d.month) for d in (period.start, period.end))
    return _("%(period)s (%(first)s–%(last)s)") % {
        "period": period.key,
        "first": first,
        "last": last,
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of a year (or a part of it): fill, classes, lateness, portal, publications."""
    if not can(request.user, Action.DASHBOARD_VIEW):
        raise NotAllowed("dashboard")
    now = timezone.now()
    today = timezone.localdate(now)
    form = DashboardFilterForm(request.GET, years=dashboard_years(today), today=today)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    window = form.window()
    board = dashboard_for(user=request.user, window=window, today=today, now=now)
    year, months = window.year, set(window.months)
    specs = chart_specs(board)
    context = {
        "form": form,
        "board": board,
        "window_text": _window_text(window),
        "specs": specs,
        "has_charts": any(specs.values()),
        "class_rows": [
            (c.value, c.label, board.accessibility.get(c.value, 0)) for c in Accessibility
        ],
        "fill_month_rows": [
            (month_label(year, m.month, "F"), m, m.month in months) for m in board.fill_months
        ],
        "dataset_month_rows": [
            (month_label(year, m, "F"), n, m in months)
            for m, n in board.datasets.new_by_month.items()
        ],
        "use_rows": [(month_label(year, u.month, "F"), u, u.month in months) for u in board.use],
        "access_rows": [(AccessRequestState(s).label, n) for s, n in board.access.items()],
    }
    return render(request, "reports/dashboard.html", context)
