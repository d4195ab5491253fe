"""`satudata demo` loads five years of values, with every fill state on show.

The demo is loaded once for the module, on 25 November 2026 (the day the journeys are told
on), inside a transaction rolled back at the end; each test runs in a savepoint within it.
The test that needs an empty database comes first, before the shared load exists.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Min

from satudata.audit.models import AuditEntry
from satudata.catalog.models import DataItem
from satudata.catalog.selectors import decree_for_year
from satudata.demo.value_profiles import ValueModel, profile_for
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.selectors import with_fill_status
from satudata.values.cells import CellPlan
from satudata.values.models import Observation, ObservationRevision

TODAY = dt.date(2026, 11, 25)
DINKES = "1.02.01"


# --- on an empty database (runs before the module's shared load) ---


def test_without_values_the_demo_loads_the_lists_but_no_values(db):
    out = StringIO()
    call_command("demo", "--without-values", stdout=out)
    assert DataItem.objects.exists()
    assert not Observation.objects.exists() and not FillState.objects.exists()


# --- on the loaded demo ---


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's printed report; the data stays loaded for the module's tests."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch("django.utils.timezone.localdate", return_value=TODAY),
    ):
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db) -> str:
    return demo


def _states():
    return with_fill_status(FillState.objects.all(), TODAY)


def test_every_fill_status_shows_on_first_run(loaded):
    counts = dict(_states().values_list("status").annotate(n=Count("id")))
    assert set(counts) == set(FillStatus.values)
    # Most of what was due is filled; the rest are exceptions, not the rule.
    due = sum(n for status, n in counts.items() if status != FillStatus.NOT_DUE)
    assert counts[FillStatus.FILLED] / due > 0.7
    assert counts[FillStatus.FILLED_LATE] >= 100
    assert counts[FillStatus.PARTIAL] >= 10 and counts[FillStatus.MISSING] >= 10


def test_dinkes_has_immunisation_coverage_2026_q3_overdue_and_nothing_else(loaded):
    overdue = _states().filter(item__agency__code=DINKES, overdue=True)
    [state] = overdue
    assert state.item.name == "Cakupan Imunisasi Dasar Lengkap"
    assert state.item.periodicity == "quarterly" and state.item.decree.year == 2026
    assert (state.period, state.due_date) == ("2026-Q3", dt.date(2026, 11, 14))
    assert state.status == FillStatus.MISSING and state.filled_cells == 0
    assert not Observation.objects.filter(item=state.item, period="2026-Q3").exists()


def test_dinkes_has_four_items_due_this_month_still_to_fill_one_of_them_overdue(loaded):
    this_month = _states().filter(
        item__agency__code=DINKES, due_date__year=2026, due_date__month=11
    )
    to_fill = this_month.exclude(status__in=[FillStatus.FILLED, FillStatus.FILLED_LATE])
    assert to_fill.count() == 4
    assert to_fill.filter(overdue=True).count() == 1
    # The others of this month were filled, some early: the home page is not all red.
    assert this_month.filter(due_date__gte=TODAY, status=FillStatus.FILLED).exists()


def test_values_cover_2021_to_2025_and_the_2026_periods_that_ended(loaded):
    years = defaultdict(int)
    for period, n in Observation.objects.values_list("period").annotate(n=Count("id")):
        years[int(period[:4])] += n
    assert sorted(years) == [2021, 2022, 2023, 2024, 2025, 2026]
    assert all(years[y] >= 10_000 for y in years)
    assert not Observation.objects.filter(period__in=["2026", "2026-S2", "2026-Q4", "2026-11"])


def test_values_belong_to_the_list_in_force_for_their_year(loaded):
    for year in range(2021, 2027):
        decree = decree_for_year(year)
        periods = Observation.objects.filter(period__startswith=str(year))
        assert not periods.exclude(item__decree=decree).exists(), year
    assert decree_for_year(2021).year == 2025


def test_observations_are_only_on_required_cells_and_match_the_fill_states(loaded):
    plan = CellPlan()
    required = {}
    for item in DataItem.objects.prefetch_related("breakdowns"):
        required[item.pk] = set(plan.cells(item))
    cells = defaultdict(set)
    for item_id, period, region, breakdown in Observation.objects.values_list(
        "item_id", "period", "region_id", "breakdown_key"
    ):
        assert (region, breakdown) in required[item_id]
        cells[(item_id, period)].add((region, breakdown))
    states = FillState.objects.values_list("item_id", "period", "filled_cells", "required_cells")
    for item_id, period, filled, needed in states:
        assert filled == len(cells.get((item_id, period), ())), (item_id, period)
        assert needed == len(required[item_id])


def test_every_scheduled_item_period_has_its_fill_state(loaded):
    for year in range(2021, 2027):
        items = DataItem.objects.filter(decree=decree_for_year(year))
        expected = sum({"annual": 1, "semester": 2, "quarterly": 4, "monthly": 12}[p] for p in
                       items.values_list("periodicity", flat=True))  # fmt: skip
        assert FillState.objects.filter(year=year).count() == expected


def test_partly_filled_periods_miss_a_kecamatan_most_often_sumberjambe(loaded):
    partial = _states().filter(status=FillStatus.PARTIAL, item__level="district")
    assert partial.exists()
    without_sumberjambe = [
        s
        for s in partial
        if not Observation.objects.filter(
            item=s.item_id, period=s.period, region_id="35.09.31"
        ).exists()
    ]
    assert len(without_sumberjambe) >= len(partial) / 2


def test_late_fills_were_completed_after_their_due_date_and_before_today(loaded):
    late = _states().filter(status=FillStatus.FILLED_LATE)
    bounds = late.aggregate(first=Min("completed_at"), last=Max("completed_at"))
    assert bounds["last"].date() < TODAY
    for state in late[:50]:
        assert state.completed_at.date() > state.due_date


def test_some_values_were_corrected_and_keep_their_previous_value(loaded):
    revisions = ObservationRevision.objects.all()
    assert revisions.count() >= 20
    revision = revisions.first()
    assert revision.changed_by_label == "demo" and revision.previous_value != revision.new_value


def test_values_are_plausible_for_their_unit(loaded):
    percent = Observation.objects.filter(item__unit="persen").aggregate(
        low=Min("value"), high=Max("value")
    )
    assert Decimal(0) <= percent["low"] and percent["high"] <= Decimal(100)
    # People by kecamatan and sex: tens of thousands each, not millions, not units.
    people = Observation.objects.filter(item__name="Jumlah Penduduk menurut Jenis Kelamin")
    assert people.count() >= 62
    assert all(5_000 < v < 300_000 for v in people.values_list("value", flat=True))


def test_values_are_saved_through_the_service_in_the_demo_name(loaded):
    saves = AuditEntry.objects.filter(action="observations_save")
    assert saves.count() >= FillState.objects.filter(filled_cells__gt=0).count()
    assert set(saves.values_list("actor_label", flat=True)) == {"demo"}


def test_the_report_says_how_many_values_were_loaded(loaded):
    count = Observation.objects.count()
    assert f"{count} " in loaded or f"{count:,}".replace(",", ".") in loaded


def test_with_if_empty_the_values_are_left_unchanged(loaded):
    before = (Observation.objects.count(), FillState.objects.count(), AuditEntry.objects.count())
    call_command("demo", "--if-empty", stdout=StringIO())
    after = (Observation.objects.count(), FillState.objects.count(), AuditEntry.objects.count())
    assert after == before


# --- the number model alone (no database) ---


def test_the_same_seed_gives_the_same_numbers():
    profile = profile_for(unit="orang", name="Jumlah Nelayan", seed="3.25.01.004")
    cells = [(f"35.09.{i:02d}", "") for i in range(1, 32)]

    def draw(seed: int) -> list[Decimal]:
        model = ValueModel(seed=seed, first_year=2021)
        return model.values(
            profile, cells, year=2024, index=1, periods_in_year=1, rng=random.Random(f"{seed}")
        )

    assert draw(1) == draw(1)
    assert draw(1) != draw(2)


def test_a_count_grows_smoothly_over_the_years():
    profile = profile_for(unit="jiwa", name="Jumlah Penduduk", seed="x")
    totals = [profile.yearly(year, 2021) for year in range(2021, 2026)]
    assert all(0.99 < b / a < 1.02 for a, b in itertools.pairwise(totals))
    assert 2_400_000 < totals[0] < 2_700_000


def test_the_demo_has_publications_in_every_state_of_steps_4_to_6(demo):
    from satudata.publications.choices import PostState, PublicationState
    from satudata.publications.models import Publication

    states = set(Publication.objects.values_list("state", flat=True))
    assert states == {
        PublicationState.PUBLISHED,
        PublicationState.SUBMITTED,
        PublicationState.DRAFTING,
        PublicationState.APPROVED,
    }
    published = Publication.objects.get(state=PublicationState.PUBLISHED)
    assert {p.state for p in published.posts.all()} == {PostState.POSTED}
    assert published.cards.count() == 3 and published.blocks
    returned = Publication.objects.filter(reviews__decision="returned").get()
    assert returned.state == PublicationState.DRAFTING
