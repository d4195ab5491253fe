"""The rows of the workspace list as HTML, built in Python.

A page holds 200 rows; through the template engine (a translate, two url tags and two date
filters per row) they cost five times the page's queries. Labels and URL patterns are looked
up once per page here, and every value goes through format_html (escaped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from satudata.catalog.choices import Accessibility
from satudata.portal.selectors_workspace import WorkspaceState


class _Urls:
    """URL patterns reversed once, filled per row by string concatenation."""

    def __init__(self) -> None:
        self.detail = reverse("dataset-detail", args=["slug-placeholder"]).split("slug-placeholder")
        self.withdraw = reverse("portal-withdraw", args=[987654321]).split("987654321")

    def public(self, slug: str) -> str:
        return f"{self.detail[0]}{slug}{self.detail[1]}"

    def history(self, pk: int) -> str:
        return f"{self.withdraw[0]}{pk}{self.withdraw[1]}"


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def rows_html(rows: Iterable[Any]) -> SafeString:
    """The <tr> of every row (views_workspace.Row), in the list's columns."""
    urls = _Urls()
    state_labels = {
        WorkspaceState.UNPUBLISHED: _("Not published"),
        WorkspaceState.PUBLISHED: _("Published"),
        WorkspaceState.SCHEDULED: _("Scheduled (embargo)"),
        WorkspaceState.WITHDRAWN: _("Withdrawn"),
    }
    class_labels = {str(value): str(label) for value, label in Accessibility.choices}
    select, never = _("Select"), _("Closed data is never published")
    public_page, new, next_ = _("Public page"), _("new"), _("next")
    history, history_withdraw = _("History"), _("History / withdraw")

    def one(row: Any) -> tuple[SafeString]:
        item = row.item
        if row.selectable:
            box = format_html(
                '<input type="checkbox" name="items" value="{}" id="item-{}"{}{}>'
                '<label class="sr-only" for="item-{}">{} {}</label>',
                item.pk,
                item.pk,
                mark_safe(" data-ready") if row.ready else "",
                mark_safe(" checked") if row.checked else "",
                item.pk,
                select,
                item.code,
            )
        else:
            box = format_html('<span class="ws-never" title="{}">–</span>', never)
        if item.accessibility == Accessibility.OPEN:
            counts = format_html("{} / {}", item.complete_count, item.released_count)
            if row.ready:
                counts = format_html('{} <span class="ws-new">{}</span>', counts, new)
        else:
            counts = "–"
        when = _local(item.ds_listed_at)
        if item.next_release_at:
            when = format_html(
                '{}<br><span class="ws-next">{}: {}</span>',
                when,
                next_,
                _local(item.next_release_at),
            )
        links = []
        if row.public:
            links.append(format_html('<a href="{}">{}</a>', urls.public(item.ds_slug), public_page))
        if item.ds_id:
            label = history if row.state == WorkspaceState.WITHDRAWN else history_withdraw
            links.append(format_html('<a href="{}">{}</a>', urls.history(item.ds_id), label))
        html = format_html(
            '<tr{}><td>{}</td><td class="ws-code">{}</td><td>{}</td><td title="{}">{}</td>'
            '<td><span class="badge {}">{}</span></td><td class="num">{}</td>'
            '<td><span class="ws-state ws-state-{}">{}</span></td><td>{}</td>'
            '<td class="ws-links">{}</td></tr>\n',
            mark_safe(' class="is-selected"') if row.checked else "",
            box,
            item.code,
            item.name,
            item.agency.name,
            item.agency.short_name or item.agency.name,
            item.accessibility,
            class_labels.get(item.accessibility, item.accessibility),
            counts,
            row.state,
            state_labels[row.state],
            when,
            format_html_join(" ", "{}", ((link,) for link in links)),
        )
        return (html,)

    return format_html_join("", "{}", (one(row) for row in rows))
