"""The rows of the step-1 list as HTML, built in Python (the reason is in rendering.py: a
whole year is thousands of item-periods and the template engine costs microseconds per
variable). Every cell is escaped; only the markup below is trusted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from satudata.catalog.choices import Accessibility
from satudata.schedule.choices import FillStatus

_ITEM, _PERIOD = 987654321, "1999-Q9"


def cells_url_pattern() -> str:
    """The drill-down URL with "{item}" and "{period}" placeholders: one reverse() a page."""
    url = reverse("step1-cells", args=[_ITEM, _PERIOD])
    return url.replace(str(_ITEM), "{item}").replace(_PERIOD, "{period}")


def status_labels() -> dict[str, str]:
    return {s.value: escape(str(s.label)) for s in FillStatus}


def days_text(row: Mapping[str, Any]) -> str:
    """ "overdue by 17 days" / "3 days late" / "" (translated, not escaped)."""
    days = row.get("days")
    if days is None:
        return ""
    if row["overdue"]:
        return ngettext("overdue by %(n)s day", "overdue by %(n)s days", days) % {"n": days}
    if days <= 0:
        return ""
    return ngettext("%(n)s day late", "%(n)s days late", days) % {"n": days}


def _memo(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    cache: dict[Any, str] = {}

    def get(value: Any) -> str:
        if value not in cache:
            cache[value] = fn(value)
        return cache[value]

    return get


def fill_rows_html(rows: Iterable[Mapping[str, Any]], *, show_agency: bool = True) -> SafeString:
    """<tr> rows: no., producer, code (to the drill-down), name, period, due date, status,
    cells filled of required, days late or overdue."""
    labels = status_labels()
    url = escape(cells_url_pattern())
    # A year's rows share a few dozen due dates and cell counts: format each once.
    due = _memo(lambda d: escape(date_format(d, "SHORT_DATE_FORMAT")))
    num = _memo(lambda n: escape(number_format(n, force_grouping=True)))
    class_labels = {a.value: escape(str(a.label)) for a in Accessibility}
    out = []
    for n, row in enumerate(rows, start=1):
        status = row["status"]
        cls = row["item__accessibility"]
        badge = (
            f' <span class="badge {escape(cls)}">{class_labels.get(cls, "")}</span>'
            if cls != Accessibility.OPEN
            else ""
        )
        agency = f"<td>{escape(row['item__agency__name'])}</td>" if show_agency else ""
        link = url.format(item=int(row["item_id"]), period=escape(row["period"]))
        overdue = ' class="overdue"' if row["overdue"] else ""
        out.append(
            f'<tr{overdue}><td class="num">{n}</td>{agency}'
            f'<td class="code"><a href="{link}">{escape(row["item__code"])}</a></td>'
            f"<td>{escape(row['item__name'])}{badge}</td>"
            f"<td>{escape(row['period'])}</td>"
            f'<td class="num">{due(row["due_date"])}</td>'
            f'<td><span class="fill {escape(status)}">{labels.get(status, "")}</span></td>'
            f'<td class="num">{num(row["filled_cells"])}/{num(row["required_cells"])}</td>'
            f"<td>{escape(days_text(row))}</td></tr>"
        )
    return mark_safe("\n".join(out))  # every value above went through escape()
