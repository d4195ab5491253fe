"""observations_save(at=...) and observations_save_many(at=...): the system may backdate a
save (demo history); people may not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satudata.core.errors import NotAllowed
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.selectors import with_fill_status
from satudata.values.cells import CellPlan
from satudata.values.models import Observation, ObservationRevision
from satudata.values.services import (
    CellValue,
    ItemCells,
    observations_save,
    observations_save_many,
)
from tests.factories import SYSTEM


def _cells(item, value: str = "10") -> list[CellValue]:
    return [CellValue(r, b, Decimal(value)) for r, b in CellPlan().cells(item)]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def test_a_backdated_system_save_stamps_every_time_with_the_given_moment(district_item):
    # Annual 2024 values are due 31 March 2025; filled on 3 March 2025.
    when = _at(dt.date(2025, 3, 3))
    observations_save(
        actor=SYSTEM, item=district_item, period="2024", cells=_cells(district_item), at=when
    )
    state = FillState.objects.get(item=district_item, period="2024")
    assert state.completed_at == when and state.last_change_at == when
    assert set(Observation.objects.values_list("updated_at", flat=True)) == {when}
    status = with_fill_status(FillState.objects.filter(pk=state.pk)).get().status
    assert status == FillStatus.FILLED


def test_a_system_save_backdated_after_the_due_date_is_filled_late(district_item):
    when = _at(dt.date(2025, 5, 20))
    observations_save(
        actor=SYSTEM, item=district_item, period="2024", cells=_cells(district_item), at=when
    )
    state = with_fill_status(FillState.objects.filter(item=district_item, period="2024")).get()
    assert state.status == FillStatus.FILLED_LATE


def test_a_backdated_change_dates_its_revision_too(regency_item):
    first, second = _at(dt.date(2025, 10, 2)), _at(dt.date(2025, 10, 9))
    cell = CellValue("35.09", "", Decimal("81.5"))
    observations_save(actor=SYSTEM, item=regency_item, period="2025-Q3", cells=[cell], at=first)
    changed = CellValue("35.09", "", Decimal("82.75"))
    observations_save(actor=SYSTEM, item=regency_item, period="2025-Q3", cells=[changed], at=second)
    revision = ObservationRevision.objects.get()
    assert revision.changed_at == second and revision.previous_value == Decimal("81.5")
    state = FillState.objects.get(item=regency_item, period="2025-Q3")
    # Completed on the first save; the correction moves only the last change.
    assert (state.completed_at, state.last_change_at) == (first, second)


@pytest.mark.parametrize("persona", ["operator", "walidata", "admin_user"])
def test_no_person_may_backdate_a_save_and_nothing_is_written(persona, request, district_item):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotAllowed):
        observations_save(
            actor=user,
            item=district_item,
            period="2024",
            cells=_cells(district_item),
            at=_at(dt.date(2025, 3, 3)),
        )
    assert not Observation.objects.exists()
    assert not FillState.objects.filter(item=district_item, filled_cells__gt=0).exists()


def test_without_at_a_system_save_is_stamped_now(district_item):
    before = timezone.now()
    observations_save(actor=SYSTEM, item=district_item, period="2024", cells=_cells(district_item))
    state = FillState.objects.get(item=district_item, period="2024")
    assert state.completed_at >= before


def test_a_backdated_batch_save_stamps_its_moment_and_can_be_late(district_item, regency_item):
    when = _at(dt.date(2025, 3, 20))
    observations_save_many(
        actor=SYSTEM,
        saves=[
            ItemCells(district_item, "2024", _cells(district_item)),
            ItemCells(regency_item, "2024-Q4", _cells(regency_item)),
        ],
        at=when,
    )
    states = with_fill_status(FillState.objects.filter(period__in=["2024", "2024-Q4"]))
    by_period = {s.period: s for s in states}
    assert by_period["2024"].completed_at == when
    assert by_period["2024"].status == FillStatus.FILLED  # due 31 March 2025
    assert by_period["2024-Q4"].status == FillStatus.FILLED_LATE  # due 14 February 2025
    assert set(Observation.objects.values_list("updated_at", flat=True)) == {when}


def test_no_person_may_backdate_a_batch_save(operator, district_item):
    with pytest.raises(NotAllowed):
        observations_save_many(
            actor=operator,
            saves=[ItemCells(district_item, "2024", _cells(district_item))],
            at=_at(dt.date(2025, 3, 3)),
        )
    assert not Observation.objects.exists()
