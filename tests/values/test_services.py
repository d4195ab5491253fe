from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, NotAllowed
from satudata.schedule.models import FillState
from satudata.schedule.selectors import with_fill_status
from satudata.schedule.services import due_override_set, period_lock
from satudata.values.cells import CellPlan
from satudata.values.models import Observation, ObservationRevision
from satudata.values.services import CellValue, ConcurrentEdit, observations_save


def all_cells(item, value="10"):
    return [CellValue(r, b, Decimal(value)) for r, b in CellPlan().cells(item)]


def test_an_operator_fills_every_cell_and_the_item_is_filled(operator, district_item):
    result = observations_save(
        actor=operator, item=district_item, period="2025", cells=all_cells(district_item)
    )
    assert result.created == 62
    state = FillState.objects.get(item=district_item, period="2025")
    assert (state.filled_cells, state.required_cells) == (62, 62)
    assert state.completed_at is not None
    assert AuditEntry.objects.filter(action="observations_save").count() == 1


def test_saving_the_same_values_twice_changes_nothing(operator, district_item):
    cells = all_cells(district_item)
    observations_save(actor=operator, item=district_item, period="2025", cells=cells)
    again = observations_save(actor=operator, item=district_item, period="2025", cells=cells)
    assert again.changed == 0 and again.unchanged == 62
    assert AuditEntry.objects.filter(action="observations_save").count() == 1


def test_a_changed_value_keeps_its_previous_value_who_and_when(operator, head, regency_item):
    observations_save(
        actor=operator,
        item=regency_item,
        period="2025-Q3",
        cells=[CellValue("35.09", "", Decimal("88.5"))],
    )
    observations_save(
        actor=head,
        item=regency_item,
        period="2025-Q3",
        cells=[CellValue("35.09", "", Decimal("89.25"))],
    )
    revision = ObservationRevision.objects.get()
    assert revision.previous_value == Decimal("88.5") and revision.new_value == Decimal("89.25")
    assert revision.changed_by == head
    assert Observation.objects.get().value == Decimal("89.25")


def test_the_second_of_two_concurrent_saves_is_refused(operator, head, regency_item):
    seen = 0  # both opened the grid when the version was 0
    observations_save(
        actor=operator,
        item=regency_item,
        period="2025-Q1",
        cells=[CellValue("35.09", "", Decimal("1"))],
        version=seen,
    )
    with pytest.raises(ConcurrentEdit):
        observations_save(
            actor=head,
            item=regency_item,
            period="2025-Q1",
            cells=[CellValue("35.09", "", Decimal("2"))],
            version=seen,
        )
    assert Observation.objects.get().value == Decimal("1")


def test_a_cell_the_item_does_not_have_is_refused_and_nothing_is_saved(operator, district_item):
    cells = [*all_cells(district_item), CellValue("35.09.99", "", Decimal("1"))]
    with pytest.raises(DomainError):
        observations_save(actor=operator, item=district_item, period="2025", cells=cells)
    assert not Observation.objects.exists()


def test_another_agency_may_not_enter_values(other_operator, supervisor, regency_item):
    for actor in (other_operator, supervisor):
        with pytest.raises(NotAllowed):
            observations_save(
                actor=actor,
                item=regency_item,
                period="2025-Q1",
                cells=[CellValue("35.09", "", Decimal("1"))],
            )


@pytest.mark.parametrize("period", ["2025-13", "2025", "2099-Q1"])
def test_a_wrong_or_future_period_is_refused(operator, regency_item, period):
    with pytest.raises(DomainError):
        observations_save(
            actor=operator,
            item=regency_item,
            period=period,
            cells=[CellValue("35.09", "", Decimal("1"))],
        )


def test_a_locked_period_is_closed_for_entry(walidata, operator, regency_item):
    period_lock(actor=walidata, period="2025-Q2")
    with pytest.raises(DomainError):
        observations_save(
            actor=operator,
            item=regency_item,
            period="2025-Q2",
            cells=[CellValue("35.09", "", Decimal("1"))],
        )


def _status(item, period, today):
    return with_fill_status(FillState.objects.filter(item=item, period=period), today).get().status


def test_the_fill_status_follows_the_schedule(walidata, operator, district_item):
    cells = all_cells(district_item)
    observations_save(actor=operator, item=district_item, period="2024", cells=cells[:10])
    assert _status(district_item, "2024", dt.date(2025, 1, 5)) == "partial"
    observations_save(actor=operator, item=district_item, period="2024", cells=cells)
    # Due 90 days after 31 December 2024; filled now, in 2026: late.
    assert _status(district_item, "2024", timezone.localdate()) == "filled_late"
    due_override_set(
        actor=walidata, item=district_item, period="2024", due_date=dt.date(2099, 1, 1)
    )
    assert _status(district_item, "2024", timezone.localdate()) == "filled"


def test_an_empty_period_is_missing_after_its_due_date_and_not_due_before(operator, regency_item):
    from satudata.schedule.services import fill_states_sync

    fill_states_sync(year=2025)
    due = FillState.objects.get(item=regency_item, period="2025-Q3").due_date
    assert due == dt.date(2025, 9, 30) + dt.timedelta(days=45)
    assert _status(regency_item, "2025-Q3", due) == "not_due"
    assert _status(regency_item, "2025-Q3", due + dt.timedelta(days=1)) == "missing"
