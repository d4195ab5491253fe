"""The release schedule: due-date rules, overrides, period locks, and the fill-state table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.services import audit_record, snapshot
from satudata.catalog.models import DataItem
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.schedule.choices import DEFAULT_DUE_DAYS
from satudata.schedule.models import DueOverride, DueRule, FillState, PeriodLock
from satudata.schedule.periods import InvalidPeriod, Period


def _may_manage(user: Any) -> bool:
    return can(user, Action.SCHEDULE_MANAGE)


def due_rules() -> dict[str, int]:
    """Days after a period's end, per periodicity: walidata's rules over the defaults."""
    rules = dict(DEFAULT_DUE_DAYS)
    rules.update(DueRule.objects.values_list("periodicity", "days_after_period_end"))
    return rules


class DueDates:
    """Due dates for many items at once: rules and overrides read once, not per item."""

    def __init__(self, items: Iterable[DataItem] | None = None) -> None:
        self.rules = due_rules()
        overrides = DueOverride.objects.all()
        if items is not None:
            overrides = overrides.filter(item__in=[i.pk for i in items])
        self.overrides = {(o.item_id, o.period): o for o in overrides}

    def for_item(self, item: DataItem, period: Period) -> dt.date:
        override = self.overrides.get((item.pk, period.key)) or self.overrides.get((item.pk, ""))
        if override is not None and override.due_date is not None and override.period:
            return override.due_date
        days = self.rules[item.periodicity]
        if override is not None and override.days_after_period_end is not None:
            days = override.days_after_period_end
        return period.end + dt.timedelta(days=days)


def due_date_for(item: DataItem, period: Period) -> dt.date:
    """When the item's values for the period are due."""
    return DueDates([item]).for_item(item, period)


def fill_states_sync(*, year: int, items: Iterable[DataItem] | None = None) -> int:
    """Make the fill-state table match the schedule for a year: one row per item and period.

    Creates missing rows and corrects due dates and required cell counts that changed (a new
    rule, an override, an item's level or breakdowns). Derived data: no audit row. Returns the
    number of rows created or changed.
    """
    from satudata.values.cells import CellPlan

    if items is None:
        from satudata.catalog.selectors import decree_for_year

        items = DataItem.objects.filter(decree=decree_for_year(year))
    items = list(
        items.prefetch_related("breakdowns") if hasattr(items, "prefetch_related") else items
    )
    plan = CellPlan()
    dates = DueDates(items)
    existing = {
        (s.item_id, s.period): s
        for s in FillState.objects.filter(year=year, item__in=[i.pk for i in items])
    }
    create, update = [], []
    for item in items:
        required = plan.count(item, item.breakdowns.all())
        for period in Period.of_year(year, item.periodicity):
            due = dates.for_item(item, period)
            state = existing.get((item.pk, period.key))
            if state is None:
                create.append(
                    FillState(
                        item=item,
                        period=period.key,
                        year=year,
                        due_date=due,
                        required_cells=required,
                    )
                )
            elif state.due_date != due or state.required_cells != required:
                state.due_date, state.required_cells = due, required
                if state.filled_cells < required:
                    state.completed_at = None
                update.append(state)
    FillState.objects.bulk_create(create, batch_size=500)
    FillState.objects.bulk_update(
        update, ["due_date", "required_cells", "completed_at"], batch_size=500
    )
    return len(create) + len(update)


@transaction.atomic
def due_rule_set(*, actor: Any, periodicity: str, days_after_period_end: int) -> DueRule:
    """Set the rule of a periodicity (e.g. quarterly data 45 days after the quarter)."""
    require(actor, _may_manage)
    rule = DueRule.objects.filter(periodicity=periodicity).first()
    before = snapshot(rule) if rule else None
    if rule is None:
        rule = DueRule(periodicity=periodicity, days_after_period_end=days_after_period_end)
    rule.days_after_period_end = days_after_period_end
    rule.full_clean()
    rule.save()
    audit_record(
        actor=actor, action="due_rule_set", target=rule, before=before, after=snapshot(rule)
    )
    _resync(DataItem.objects.filter(periodicity=periodicity))
    return rule


@transaction.atomic
def due_override_set(
    *,
    actor: Any,
    item: DataItem,
    period: str = "",
    days_after_period_end: int | None = None,
    due_date: dt.date | None = None,
    note: str = "",
) -> DueOverride:
    """An item's own due date: for one period (a date) or for all its periods (days)."""
    require(actor, _may_manage)
    if period:
        try:
            period = Period.parse(period, item.periodicity).key
        except InvalidPeriod as exc:
            raise DomainError(
                _("%(period)s is not a period of this item.") % {"period": period}
            ) from exc
    override = DueOverride.objects.filter(item=item, period=period).first()
    before = snapshot(override) if override else None
    override = override or DueOverride(item=item, period=period)
    override.days_after_period_end = days_after_period_end
    override.due_date = due_date
    override.note = note
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action="due_override_set",
        target=override,
        before=before,
        after=snapshot(override),
    )
    _resync([item])
    return override


@transaction.atomic
def due_override_remove(*, actor: Any, override: DueOverride) -> None:
    """Back to the rule for this item (and period)."""
    require(actor, _may_manage)
    item = override.item
    audit_record(
        actor=actor,
        action="due_override_remove",
        target=override,
        before=snapshot(override),
        after=None,
    )
    override.delete()
    _resync([item])


def _resync(items: Iterable[DataItem]) -> None:
    items = list(items)
    for year in sorted(
        {y for y in FillState.objects.filter(item__in=items).values_list("year", flat=True)}
    ):
        fill_states_sync(year=year, items=[i for i in items])


@transaction.atomic
def period_lock(*, actor: Any, period: str, reason: str = "") -> PeriodLock:
    """Close a period for entry (its values can no longer change)."""
    require(actor, _may_manage)
    try:
        key = Period.parse(period).key
    except InvalidPeriod as exc:
        raise DomainError(_("%(period)s is not a period.") % {"period": period}) from exc
    lock, created = PeriodLock.objects.get_or_create(
        period=key,
        defaults={"locked_by": actor if hasattr(actor, "pk") else None, "reason": reason},
    )
    if created:
        audit_record(
            actor=actor, action="period_lock", target=lock, before=None, after=snapshot(lock)
        )
    return lock


@transaction.atomic
def period_unlock(*, actor: Any, lock: PeriodLock) -> None:
    """Reopen a locked period for entry (e.g. a correction after the report)."""
    require(actor, _may_manage)
    audit_record(
        actor=actor, action="period_unlock", target=lock, before=snapshot(lock), after=None
    )
    lock.delete()


def period_is_open(period: Period, today: dt.date | None = None) -> bool:
    """Values may be entered from the period's first day until walidata locks it."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return period.start <= today and not PeriodLock.objects.filter(period=period.key).exists()


__all__ = [
    "DueDates",
    "due_date_for",
    "due_override_remove",
    "due_override_set",
    "due_rule_set",
    "due_rules",
    "fill_states_sync",
    "period_is_open",
    "period_lock",
    "period_unlock",
]


def fill_states_reshape(items: Iterable[DataItem]) -> int:
    """After items' periodicity, level or breakdowns changed: their fill states follow.

    Periods the new periodicity does not have are dropped (their values stay, unscheduled);
    the new periods are scheduled; required and filled cells are recounted against the new
    cell plan, so that a partly filled period shows as such at once. Derived data: no audit
    row (the item change has its own). Returns the number of fill states changed.
    """
    from django.utils import timezone

    from satudata.values.cells import CellPlan
    from satudata.values.models import Observation

    items = list(items)
    if not items:
        return 0
    years: dict[int, set[int]] = {}
    for item_id, year in (
        FillState.objects.filter(item__in=items).values_list("item_id", "year").distinct()
    ):
        years.setdefault(item_id, set()).add(year)
    changed = 0
    plan = CellPlan()
    for item in items:
        item_years = years.get(item.pk)
        if not item_years:
            continue
        valid = {p.key for y in item_years for p in Period.of_year(y, item.periodicity)}
        changed += FillState.objects.filter(item=item).exclude(period__in=valid).delete()[0]
        for year in sorted(item_years):
            changed += fill_states_sync(year=year, items=[item])
        required = set(plan.cells(item))
        filled: dict[str, int] = {}
        for period, region, breakdown in Observation.objects.filter(item=item).values_list(
            "period", "region_id", "breakdown_key"
        ):
            if (region, breakdown) in required:
                filled[period] = filled.get(period, 0) + 1
        for state in FillState.objects.filter(item=item):
            n = filled.get(state.period, 0)
            complete = n >= state.required_cells > 0
            completed_at = (
                (state.completed_at or state.last_change_at or timezone.now())
                if (complete)
                else None
            )
            if n != state.filled_cells or completed_at != state.completed_at:
                state.filled_cells, state.completed_at = n, completed_at
                state.save(update_fields=["filled_cells", "completed_at"])
                changed += 1
    return changed
