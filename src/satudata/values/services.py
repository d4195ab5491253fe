"""Saving values: the one path by which observations change (grid, upload, API, demo).

A save covers one item and one period. It checks the cells against the item's required
cells, keeps the previous value of every changed cell as a revision, updates the fill state,
and writes one audit row naming the changed cells with their before and after values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.audit.models import AuditEntry
from satudata.audit.services import actor_label, audit_entry, audit_record
from satudata.catalog.models import DataItem
from satudata.core.actors import SystemActor, require
from satudata.core.errors import DomainError, NotAllowed
from satudata.schedule.models import FillState
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.schedule.services import due_date_for, period_is_open
from satudata.values.cells import CellPlan
from satudata.values.choices import ValueStatus
from satudata.values.models import (
    DECIMAL_PLACES,
    MAX_DIGITS,
    Observation,
    ObservationRevision,
)
from satudata.values.permissions import can_edit_values
from satudata.values.signals import observations_changed


@dataclass(frozen=True)
class CellValue:
    """What a user typed for one cell; value None empties the cell."""

    region: str
    breakdown: str
    value: Decimal | None
    status: str = ValueStatus.PRELIMINARY
    note: str = ""
    source: str = ""


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    state: FillState | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


class ConcurrentEdit(DomainError):
    """Someone else saved the same values since this user loaded them."""

    status = 409


def period_of(item: DataItem, key: str) -> Period:
    """The item's period for a key; a DomainError when it is no period of this item."""
    try:
        return Period.parse(key, item.periodicity)
    except InvalidPeriod as exc:
        raise DomainError(
            _("%(period)s is not a period of this item (%(periodicity)s).")
            % {"period": key, "periodicity": item.get_periodicity_display()}
        ) from exc


def fill_state_for(item: DataItem, period: Period, *, lock: bool = False) -> FillState:
    """The item's fill-state row for the period, created when the schedule has none yet."""
    states = FillState.objects.select_for_update() if lock else FillState.objects
    state = states.filter(item=item, period=period.key).first()
    if state is None:
        try:
            # A savepoint: two first saves of a period may both find no row and both create
            # one; the unique constraint lets one in and the other then reads that one.
            with transaction.atomic():
                state = FillState.objects.create(
                    item=item,
                    period=period.key,
                    year=period.year,
                    due_date=due_date_for(item, period),
                    required_cells=CellPlan().count(item),
                )
        except IntegrityError:
            return states.get(item=item, period=period.key)
        if lock:
            state = FillState.objects.select_for_update().get(pk=state.pk)
    return state


def _same(obs: Observation, cell: CellValue) -> bool:
    return (
        obs.value == cell.value
        and obs.status == cell.status
        and obs.note == cell.note
        and obs.source == cell.source
    )


@transaction.atomic
def observations_save(
    *,
    actor: Any,
    item: DataItem,
    period: str,
    cells: Sequence[CellValue],
    version: int | None = None,
    plan: CellPlan | None = None,
    at: dt.datetime | None = None,
) -> SaveResult:
    """Save an item's values for a period; only the given cells change.

    `version` is the fill state's version the user saw: when someone saved in between, the
    save is refused (ConcurrentEdit) and nothing changes. Imports pass None: the file is the
    whole truth for its cells. `at` backdates the save (demo history); only the system may.
    """
    require(actor, lambda u: can_edit_values(u, item))
    if at is not None and not isinstance(actor, SystemActor):
        # A person's save is always "now": a backdated one would fake an on-time fill.
        raise NotAllowed("only the system may backdate a save")
    the_period = period_of(item, period)
    if not period_is_open(the_period):
        raise DomainError(
            _("The period %(period)s is closed for entry.") % {"period": the_period.key}
        )
    state = fill_state_for(item, the_period, lock=True)
    if version is not None and version != state.version:
        when = date_format(timezone.localtime(state.last_change_at), "SHORT_DATETIME_FORMAT")
        raise ConcurrentEdit(
            _(
                "Someone else saved these values at %(when)s, after you opened them. Nothing "
                "was saved: reload the page to see their values, then type your changes again."
            )
            % {"when": when}
        )
    plan = plan or CellPlan()
    required = set(plan.cells(item))
    _check_cells(item, cells, required)
    now = at or timezone.now()
    user = actor if isinstance(actor, models.Model) else None
    existing = {
        (o.region_id, o.breakdown_key): o
        for o in Observation.objects.filter(item=item, period=the_period.key)
    }
    result = SaveResult()
    creates, updates, deletes, revisions = [], [], [], []
    before: dict[str, str | None] = {}
    after: dict[str, str | None] = {}
    for cell in cells:
        key = (cell.region, cell.breakdown)
        obs = existing.get(key)
        label = f"{cell.region}|{cell.breakdown}"
        if obs is None:
            if cell.value is None:
                result.unchanged += 1
                continue
            creates.append(
                Observation(
                    item=item,
                    period=the_period.key,
                    region_id=cell.region,
                    breakdown_key=cell.breakdown,
                    value=cell.value,
                    status=cell.status,
                    note=cell.note,
                    source=cell.source,
                    updated_by=user,
                    updated_at=now,
                )
            )
            before[label], after[label] = None, str(cell.value)
            continue
        if cell.value is not None and _same(obs, cell):
            result.unchanged += 1
            continue
        revisions.append(
            ObservationRevision(
                item=item,
                period=the_period.key,
                region_id=obs.region_id,
                breakdown_key=obs.breakdown_key,
                previous_value=obs.value,
                previous_status=obs.status,
                new_value=cell.value,
                changed_by=user,
                changed_by_label=actor_label(actor),
                changed_at=now,
            )
        )
        before[label] = str(obs.value)
        if cell.value is None:
            deletes.append(obs.pk)
            after[label] = None
        else:
            obs.value, obs.status, obs.note, obs.source = (
                cell.value,
                cell.status,
                cell.note,
                cell.source,
            )
            obs.updated_by, obs.updated_at = user, now
            updates.append(obs)
            after[label] = str(cell.value)
    Observation.objects.bulk_create(creates, batch_size=500)
    # Not bulk_update: its CASE WHEN statements cost seconds for a page of 500 changed cells.
    stamp = connection.ops.adapt_datetimefield_value(now)
    adapt = connection.ops.adapt_decimalfield_value
    _update_values(
        [
            (
                adapt(o.value, MAX_DIGITS, DECIMAL_PLACES),
                o.status,
                o.note,
                o.source,
                user.pk if user is not None else None,
                stamp,
                o.pk,
            )
            for o in updates
        ]
    )
    if deletes:
        Observation.objects.filter(pk__in=deletes).delete()
    ObservationRevision.objects.bulk_create(revisions, batch_size=500)
    result.created, result.updated, result.deleted = len(creates), len(updates), len(deletes)
    if result.changed:
        final = (set(existing) - {k for k, o in existing.items() if o.pk in deletes}) | {
            (o.region_id, o.breakdown_key) for o in creates
        }
        filled = len(final & required)
        state.filled_cells = filled
        state.required_cells = len(required)
        if filled >= len(required):
            state.completed_at = state.completed_at or now
        else:
            state.completed_at = None
        state.last_change_at = now
        state.version += 1
        state.save()
        audit_record(
            actor=actor,
            action="observations_save",
            target=state,
            before={"period": the_period.key, "cells": before},
            after={"period": the_period.key, "cells": after},
        )
        observations_changed.send(
            sender=Observation, changes=[(item, the_period.key, result.changed)], at=now
        )
    result.state = state
    return result


# --- Many items at once (spreadsheet uploads) -------------------------------------------------


@dataclass(frozen=True)
class ItemCells:
    """One item's cells for one period: one unit of observations_save_many."""

    item: DataItem
    period: str
    cells: Sequence[CellValue]


def _check_cells(item: DataItem, cells: Sequence[CellValue], required: set) -> None:
    """Every cell is one the item needs, given once."""
    seen: set[tuple[str, str]] = set()
    for cell in cells:
        key = (cell.region, cell.breakdown)
        if key not in required:
            raise DomainError(
                _('%(item)s has no cell for region %(region)s, breakdown "%(breakdown)s".')
                % {"item": item.code, "region": cell.region, "breakdown": cell.breakdown or "-"}
            )
        if key in seen:
            raise DomainError(
                _('The cell for region %(region)s, breakdown "%(breakdown)s" is given twice.')
                % {"region": cell.region, "breakdown": cell.breakdown or "-"}
            )
        seen.add(key)


def _copy_rows(table: str, columns: str, rows: list[tuple]) -> None:
    """PostgreSQL's COPY: Django's cursors bind parameters in Python, ~50 µs a value."""
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _write_rows(model: type[models.Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """INSERT many rows without the ORM's per-object work."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    if connection.vendor == "postgresql":
        _copy_rows(table, columns, rows)
        return
    # SQLite runs in this process: one prepared statement repeated is fastest.
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _update_values(updates: list[tuple]) -> None:
    """Set value, status, note, source, updated_by and updated_at of many rows by id."""
    if not updates:
        return
    qn = connection.ops.quote_name
    table = qn(Observation._meta.db_table)
    names = ("value", "status", "note", "source", "updated_by", "updated_at")
    columns = [qn(Observation._meta.get_field(f).column) for f in names]
    if connection.vendor != "postgresql":
        sets = ", ".join(f"{c} = %s" for c in columns)
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", updates)
        return
    # PostgreSQL: the new values copied into a scratch table, then one UPDATE joins it.
    scratch = "satudata_observation_updates"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {scratch} (value numeric, status varchar, note varchar, "
            "source varchar, updated_by_id bigint, updated_at timestamptz, id bigint)"
        )
        _copy_rows(scratch, "value, status, note, source, updated_by_id, updated_at, id", updates)
        sets = ", ".join(f"{c} = u.{c}" for c in columns)
        cursor.execute(f"UPDATE {table} AS t SET {sets} FROM {scratch} AS u WHERE t.id = u.id")
        cursor.execute(f"DROP TABLE {scratch}")


_OBSERVATION_FIELDS = (
    "item",
    "period",
    "region",
    "breakdown_key",
    "value",
    "status",
    "note",
    "source",
    "updated_by",
    "updated_at",
)
_REVISION_FIELDS = (
    "item",
    "period",
    "region_id",
    "breakdown_key",
    "previous_value",
    "previous_status",
    "new_value",
    "changed_by",
    "changed_by_label",
    "changed_at",
)


@transaction.atomic
def observations_save_many(
    *,
    actor: Any,
    saves: Sequence[ItemCells],
    plan: CellPlan | None = None,
    at: dt.datetime | None = None,
) -> list[SaveResult]:
    """observations_save for many items and periods in one go (spreadsheet uploads).

    The same guarantees per item and period: permission, an open period, only required cells,
    each once; a revision for every changed or emptied value; the fill state recounted and its
    version bumped; one audit row naming the changed cells. No version check (imports pass
    none). Rows are written with executemany statements: the ORM's per-object work costs
    about 20 s for 100,000 new values. `at` backdates the save (demo history); only the system
    may.
    """
    if at is not None and not isinstance(actor, SystemActor):
        # A person's save is always "now": a backdated one would fake an on-time fill.
        raise NotAllowed("only the system may backdate a save")
    plan = plan or CellPlan()
    now = at or timezone.now()
    user = actor if isinstance(actor, models.Model) else None
    user_id = user.pk if user is not None else None
    label = actor_label(actor)
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Looked up once: `connection` is a thread-local proxy, slow to reach 100,000 times.
    adapt = connection.ops.adapt_decimalfield_value

    def db(value: Decimal | None) -> Any:
        return None if value is None else adapt(value, MAX_DIGITS, DECIMAL_PLACES)

    creates: list[tuple] = []
    updates: list[tuple] = []
    deletes: list[int] = []
    revisions: list[tuple] = []
    entries: list[AuditEntry] = []
    results: list[SaveResult] = []
    open_periods: dict[str, bool] = {}
    for save in saves:
        item = save.item
        require(actor, lambda u, item=item: can_edit_values(u, item))
        the_period = period_of(item, save.period)
        key = the_period.key
        if key not in open_periods:
            open_periods[key] = period_is_open(the_period)
        if not open_periods[key]:
            raise DomainError(_("The period %(period)s is closed for entry.") % {"period": key})
        state = fill_state_for(item, the_period, lock=True)
        required = set(plan.cells(item))
        _check_cells(item, save.cells, required)
        existing = {
            (region, breakdown): rest
            for region, breakdown, *rest in Observation.objects.filter(
                item=item, period=key
            ).values_list("region_id", "breakdown_key", "pk", "value", "status", "note", "source")
        }
        present = set(existing)
        result = SaveResult()
        before: dict[str, str | None] = {}
        after: dict[str, str | None] = {}
        for cell in save.cells:
            cell_key = (cell.region, cell.breakdown)
            name = f"{cell.region}|{cell.breakdown}"
            old = existing.get(cell_key)
            if old is None:
                if cell.value is None:
                    result.unchanged += 1
                    continue
                creates.append(
                    (item.pk, key, cell.region, cell.breakdown, db(cell.value), cell.status,
                     cell.note, cell.source, user_id, stamp)
                )  # fmt: skip
                before[name], after[name] = None, str(cell.value)
                present.add(cell_key)
                result.created += 1
                continue
            pk, value, status, note, source = old
            if cell.value is not None and (value, status, note, source) == (
                cell.value,
                cell.status,
                cell.note,
                cell.source,
            ):
                result.unchanged += 1
                continue
            revisions.append(
                (item.pk, key, cell.region, cell.breakdown, db(value), status, db(cell.value),
                 user_id, label, stamp)
            )  # fmt: skip
            before[name] = str(value)
            if cell.value is None:
                deletes.append(pk)
                present.discard(cell_key)
                after[name] = None
                result.deleted += 1
            else:
                updates.append(
                    (db(cell.value), cell.status, cell.note, cell.source, user_id, stamp, pk)
                )
                after[name] = str(cell.value)
                result.updated += 1
        if result.changed:
            filled = len(present & required)
            state.filled_cells = filled
            state.required_cells = len(required)
            if filled >= len(required):
                state.completed_at = state.completed_at or now
            else:
                state.completed_at = None
            state.last_change_at = now
            state.version += 1
            state.save()
            entries.append(
                audit_entry(
                    actor=actor,
                    action="observations_save",
                    target=state,
                    before={"period": key, "cells": before},
                    after={"period": key, "cells": after},
                )
            )
        result.state = state
        results.append(result)
    _write_rows(Observation, _OBSERVATION_FIELDS, creates)
    _update_values(updates)
    for start in range(0, len(deletes), 500):
        Observation.objects.filter(pk__in=deletes[start : start + 500]).delete()
    _write_rows(ObservationRevision, _REVISION_FIELDS, revisions)
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    changes = [
        (s.item, r.state.period, r.changed)
        for s, r in zip(saves, results, strict=True)
        if r.changed
    ]
    if changes:
        observations_changed.send(sender=Observation, changes=changes, at=now)
    return results
