"""Reads of the audit log: filtered, newest first, paged by position (no COUNT over the table).

Only walidata and administrators read the log (Action.AUDIT_VIEW); views check that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone

from satudata.audit.constants import ACTION_LABELS, CHOICES_CACHE_SECONDS, ENTRIES_PER_PAGE
from satudata.audit.models import AuditEntry


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first.

    Keys: actor, action, target_type, target_id, date_from, date_to, q (all optional). Each
    uses an index except the text search and an object id given without its type.
    """
    entries = AuditEntry.objects.all()
    if actor := (filters.get("actor") or "").strip():
        # The label is the name the row shows (a username, or "cli:root" for the command line),
        # kept even when the account is later renamed or removed.
        entries = entries.filter(actor_label=actor)
    if action := filters.get("action"):
        entries = entries.filter(action=action)
    if target_type := filters.get("target_type"):
        entries = entries.filter(target_type=target_type)
    if target_id := (filters.get("target_id") or "").strip():
        entries = entries.filter(target_id=target_id)
    if date_from := filters.get("date_from"):
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to := filters.get("date_to"):
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if q := (filters.get("q") or "").strip():
        entries = entries.filter(target_repr__icontains=q)
    return entries.order_by("-at", "-id")


@dataclass(frozen=True)
class EntryPage:
    """One page of entries with the cursors of its neighbours (None where there is none)."""

    entries: list[AuditEntry]
    next_after: int | None
    prev_before: int | None


def audit_page(
    entries: QuerySet[AuditEntry],
    *,
    after: int | None = None,
    before: int | None = None,
    size: int = ENTRIES_PER_PAGE,
) -> EntryPage:
    """A page of `entries` (ordered newest first) after or before the entry with that id.

    Keyset paging on (at, id): each page costs one index range scan however deep it is, and
    nothing counts the whole table.
    """
    cursor_id = after if after is not None else before
    cursor = (
        AuditEntry.objects.filter(pk=cursor_id).values("at", "pk").first() if cursor_id else None
    )
    if cursor is None:
        rows = list(entries[: size + 1])
        more = len(rows) > size
        return EntryPage(rows[:size], rows[size - 1].pk if more else None, None)
    at, pk = cursor["at"], cursor["pk"]
    if after is not None:
        # "at <= cursor" alone bounds the index range; the exclusion drops the cursor's ties.
        older = entries.filter(at__lte=at).exclude(at=at, pk__gte=pk)
        rows = list(older[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return EntryPage(rows, rows[-1].pk if more else None, rows[0].pk if rows else None)
    newer = entries.filter(at__gte=at).exclude(at=at, pk__lte=pk)
    rows = list(newer.order_by("at", "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size][::-1]
    return EntryPage(rows, rows[-1].pk if rows else None, rows[0].pk if more else None)


def _distinct(column: str) -> set[str]:
    # A scan of a whole index (~20 ms at 100k entries) for a filter's choices: worth caching,
    # as a new kind of action or object appears only when the code changes.
    key = f"audit:distinct:{column}"
    values = cache.get(key)
    if values is None:
        values = set(AuditEntry.objects.order_by().values_list(column, flat=True).distinct())
        cache.set(key, values, CHOICES_CACHE_SECONDS)
    return values


def action_label(action: str) -> str:
    """The readable name of an action, or the action itself when it has none."""
    return str(ACTION_LABELS.get(action, action))


def action_choices() -> list[tuple[str, str]]:
    """Known actions and any other action the log holds, for the filter."""
    seen = _distinct("action")
    names = set(ACTION_LABELS) | seen
    return sorted(((a, action_label(a)) for a in names), key=lambda c: str(c[1]).lower())


def type_label(target_type: str) -> str:
    """The model's name for an object type ("catalog.dataitem" -> "data item"), else the type."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def type_choices() -> list[tuple[str, str]]:
    """Object types present in the log (the target index has the type as its first column)."""
    seen = _distinct("target_type")
    return sorted(((t, type_label(t)) for t in seen), key=lambda c: c[1].lower())


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an entry, with the model's label where the field still exists."""

    name: str
    label: str
    before: Any
    after: Any


def _display(field: Any, value: Any) -> Any:
    # Choices are stored as codes; show the readable name beside the code an auditor searches by.
    if field is not None and getattr(field, "choices", None) and value not in (None, ""):
        label = dict(field.flatchoices).get(value)
        if label is not None and str(label) != str(value):
            return f"{label} ({value})"
    return value


def _related_names(field: Any, before: Any, after: Any) -> dict[Any, str]:
    # Keys of related rows (an agency id, breakdown ids) are shown with today's name; a row
    # deleted since keeps only its key.
    keys = {
        k for v in (before, after) for k in (v if isinstance(v, list) else [v]) if k is not None
    }
    if not keys:
        return {}
    rows = field.related_model._default_manager.in_bulk(list(keys))
    return {key: f"{rows[key]} (#{key})" for key in keys if key in rows}


def _named(value: Any, names: dict[Any, str]) -> Any:
    if isinstance(value, list):
        return ", ".join(str(names.get(v, v)) for v in value)
    return names.get(value, value)


def _plain_number(value: Any) -> Any:
    # Values are stored with the column's six decimals ("140.000000") and typed as "147":
    # shown alike, a before and an after compare at a glance.
    if not isinstance(value, str):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return f"{number.normalize():f}" if number.is_finite() else value


def _cell_labels(keys: list[str]) -> dict[str, str]:
    # A values save names its cells "region code|slug=category;..." (values.cells): the region's
    # name and the categories say which cell of the grid it was.
    region = apps.get_model("catalog", "Region")
    codes = {key.split("|", 1)[0] for key in keys if "|" in key}
    names = dict(region._default_manager.filter(code__in=codes).values_list("code", "name"))
    labels = {}
    for key in keys:
        if "|" not in key:
            continue
        code, breakdown = key.split("|", 1)
        categories = [part.split("=", 1)[-1] for part in breakdown.split(";") if part]
        place = f"{names[code]} ({code})" if code in names else code
        labels[key] = " · ".join([place, *categories])
    return labels


def _mapping_changes(name: str, before: Any, after: Any) -> list[FieldChange] | None:
    """A changed mapping (the cells of a values save) as one row per key that changed."""
    if not (isinstance(before, dict) or isinstance(after, dict)):
        return None
    if not all(value is None or isinstance(value, dict) for value in (before, after)):
        return None
    before, after = before or {}, after or {}
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    labels = _cell_labels(keys)
    return [
        FieldChange(
            name,
            labels.get(key, f"{name}: {key}"),
            _plain_number(before.get(key)),
            _plain_number(after.get(key)),
        )
        for key in keys
    ]


def entry_changes(entry: AuditEntry) -> list[FieldChange]:
    """The entry's changed fields, labelled by the model they belong to."""
    try:
        meta = apps.get_model(entry.target_type)._meta
    except (LookupError, ValueError):
        meta = None
    changes: list[FieldChange] = []
    for name, before, after in entry.changes:
        field = None
        if meta is not None:
            try:
                field = meta.get_field(name)
            except FieldDoesNotExist:  # removed since, or a summary key like "created"
                field = None
        if field is None and (expanded := _mapping_changes(name, before, after)) is not None:
            changes.extend(expanded)
            continue
        label = str(field.verbose_name) if field is not None else name
        if field is not None and (field.many_to_one or field.many_to_many):
            names = _related_names(field, before, after)
            before, after = _named(before, names), _named(after, names)
        else:
            before, after = _display(field, before), _display(field, after)
        changes.append(FieldChange(name, label, before, after))
    return changes
