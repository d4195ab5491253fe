"""When walidata changes an item's cells or periods, its fill states follow at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from satudata.catalog.services import item_update
from satudata.schedule.models import FillState
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM


def _fill(item, period):
    cells = [
        CellValue(region=r, breakdown=b, value=Decimal(n + 1))
        for n, (r, b) in enumerate(CellPlan().cells(item))
    ]
    observations_save(
        actor=SYSTEM, item=item, period=period, cells=cells, at=timezone.now() - dt.timedelta(1)
    )


def test_dropping_a_breakdown_recounts_required_and_filled_cells(district_item, walidata):
    _fill(district_item, "2025")
    state = FillState.objects.get(item=district_item, period="2025")
    assert (state.required_cells, state.filled_cells) == (62, 62)
    assert state.completed_at is not None

    item_update(actor=walidata, item=district_item, breakdowns=[])

    state.refresh_from_db()
    # 31 kecamatan without a breakdown: none of the old by-sex values fills those cells.
    assert (state.required_cells, state.filled_cells) == (31, 0)
    assert state.completed_at is None


def test_a_new_periodicity_replaces_the_scheduled_periods(district_item, walidata):
    _fill(district_item, "2025")
    item_update(actor=walidata, item=district_item, periodicity="quarterly")
    periods = set(
        FillState.objects.filter(item=district_item, year=2025).values_list("period", flat=True)
    )
    assert periods == {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"}


def test_a_name_change_leaves_fill_states_alone(district_item, walidata):
    _fill(district_item, "2025")
    before = FillState.objects.get(item=district_item, period="2025")
    item_update(actor=walidata, item=district_item, name="Nama Baru")
    after = FillState.objects.get(item=district_item, period="2025")
    assert (after.required_cells, after.filled_cells, after.completed_at) == (
        before.required_cells,
        before.filled_cells,
        before.completed_at,
    )
