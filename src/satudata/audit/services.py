"""Writing audit entries. Every service calls `audit_record` inside its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from satudata.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """The audited state of a row: its concrete fields and many-to-many keys, JSON-ready."""
    skip = {"password", "last_login", "created_at", "updated_at", *exclude}
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name not in skip:
                data[field.name] = sorted(
                    _plain(o) for o in getattr(obj, field.name).values_list("pk", flat=True)
                )
    return data


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return actor.get_username()


def audit_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict | None,
    after: dict | None,
) -> AuditEntry:
    """An unsaved entry, for services that write many at once with bulk_create."""
    return AuditEntry(
        actor=actor if isinstance(actor, models.Model) else None,
        actor_label=actor_label(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        before=before,
        after=after,
    )


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict | None,
    after: dict | None,
) -> AuditEntry:
    """Append one entry; call inside the service's transaction."""
    entry = audit_entry(actor=actor, action=action, target=target, before=before, after=after)
    entry.save()
    return entry
