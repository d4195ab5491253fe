"""bench/scale.py writes what the services would: fill states that match the observations."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from bench.scale import build
from satudata.catalog.selectors import decree_for_year
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.selectors import with_fill_status
from satudata.values.cells import CellPlan
from satudata.values.models import Observation


def test_a_small_build_has_fill_states_consistent_with_its_observations(db):
    result = build(agencies=4, items=120, years=3, seed=7)
    assert result["observations"] == Observation.objects.count() > 0
    year = timezone.localdate().year
    assert result["years"] == [year - 2, year - 1, year]
    # One decree, of the last year, in force for all three years.
    assert decree_for_year(year - 2).pk == result["decree_id"]
    filled = Counter(Observation.objects.values_list("item_id", "period"))
    plan = CellPlan()
    for state in FillState.objects.select_related("item").prefetch_related("item__breakdowns"):
        assert state.filled_cells == filled.get((state.item_id, state.period), 0)
        assert state.required_cells == plan.count(state.item)
        complete = state.filled_cells == state.required_cells
        assert (state.completed_at is not None) == complete
    statuses = set(with_fill_status(FillState.objects.all()).values_list("status", flat=True))
    assert {FillStatus.FILLED, FillStatus.MISSING, FillStatus.NOT_DUE} <= statuses
