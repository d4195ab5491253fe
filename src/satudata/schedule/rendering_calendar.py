"""The calendar's table rows as HTML, built in Python (see rendering.py for why).

A year of a regency's schedule is thousands of item-periods on one printable page; every
cell is escaped here, only the markup is trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from satudata.schedule.choices import FillStatus


def item_schedule_url_pattern() -> str:
    """The item schedule page's URL with "{}" for the id: one reverse() for every row."""
    marker = 987654321
    return reverse("item-schedule", args=[marker]).replace(str(marker), "{}")


def calendar_rows_html(rows: Iterable[Mapping[str, Any]], *, year: int) -> SafeString:
    """<tr> rows: due date, code (linked to its schedule), name, producer, period, status."""
    status = {s.value: escape(str(s.label)) for s in FillStatus}
    url = escape(item_schedule_url_pattern()) + f"?year={int(year)}"
    dates: dict[Any, str] = {}  # many rows share a date; format each once
    out = []
    for row in rows:
        due = row["due_date"]
        if due not in dates:
            dates[due] = escape(date_format(due, "DATE_FORMAT"))
        key = escape(row["status"])
        out.append(
            f'<tr><td class="nowrap"><time datetime="{due.isoformat()}">{dates[due]}</time></td>'
            f'<td class="nowrap"><a href="{url.format(int(row["item_id"]))}">'
            f"{escape(row['code'])}</a></td>"
            f"<td>{escape(row['name'])}</td>"
            f"<td>{escape(row['agency'])}</td>"
            f'<td class="nowrap">{escape(row["period"])}</td>'
            f'<td><span class="fill fill-{key}">{status.get(row["status"], key)}</span></td></tr>'
        )
    return mark_safe("\n".join(out))  # every value above went through escape()
