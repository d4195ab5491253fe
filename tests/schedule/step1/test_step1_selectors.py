"""The fill-check selectors: statuses, counts by agency, periods of a part of the year."""

from __future__ import annotations

import datetime as dt

from satudata.catalog.choices import Accessibility
from satudata.schedule.fill_check import (
    OVERDUE,
    FillFilters,
    agency_due,
    counts_by_agency,
    fill_rows,
    fill_states_ensure,
    fill_states_for,
    period_keys_ending_in,
    totals_of,
    with_status,
)
from satudata.schedule.models import FillState
from satudata.schedule.periods import Period
from tests.factories import DataItemFactory


def _states(user, schedule, **filters):
    decree = fill_states_ensure(schedule.year)
    return fill_states_for(
        user=user,
        decree=decree,
        filters=FillFilters(year=schedule.year, **filters),
        today=schedule.today,
    )


def _statuses(rows) -> dict[tuple[str, str], str]:
    return {(r["item__code"], r["period"]): r["status"] for r in rows}


def test_each_item_period_gets_its_status(walidata, schedule):
    y = schedule.year
    rows = fill_rows(_states(walidata, schedule), today=schedule.today)
    assert _statuses(rows) == {
        ("KES-01", f"{y}-Q1"): "filled",
        ("KES-01", f"{y}-Q2"): "filled_late",
        ("KES-01", f"{y}-Q3"): "missing",
        ("KES-01", f"{y}-Q4"): "not_due",
        ("KES-02", f"{y}"): "partial",
        ("KES-03", f"{y}"): "missing",
        ("PDK-01", f"{y}-Q1"): "filled_late",
        ("PDK-01", f"{y}-Q2"): "missing",
        ("PDK-01", f"{y}-Q3"): "not_due",
        ("PDK-01", f"{y}-Q4"): "not_due",
    }


def test_the_list_puts_the_longest_overdue_first_and_says_by_how_many_days(walidata, schedule):
    rows = fill_rows(_states(walidata, schedule), today=schedule.today)
    order = [(r["item__code"], r["period"][-2:], r["overdue"], r["days"]) for r in rows][:6]
    y2 = str(schedule.year)[-2:]
    assert order == [
        ("KES-03", y2, True, 40),
        ("PDK-01", "Q2", True, 20),
        ("KES-02", y2, True, 5),
        ("KES-01", "Q3", True, 3),
        ("PDK-01", "Q1", False, 30),  # filled 30 days late
        ("KES-01", "Q2", False, 10),
    ]


def test_counts_by_agency_and_totals_add_up(walidata, schedule):
    rows = counts_by_agency(_states(walidata, schedule))
    assert [r.agency_name for r in rows] == ["Dinas Kesehatan", "Dinas Pendidikan"]  # -overdue
    health, education = rows
    assert (health.scheduled, health.overdue, health.due, health.due_complete) == (6, 3, 4, 1)
    assert health.counts == {
        "filled": 1,
        "filled_late": 1,
        "partial": 1,
        "missing": 2,
        "not_due": 1,
    }
    assert health.percent == 25.0
    assert education.percent == 50.0
    total = totals_of(rows)
    assert total.scheduled == 10
    assert total.counts == {
        "filled": 1,
        "filled_late": 2,
        "partial": 1,
        "missing": 3,
        "not_due": 3,
    }
    assert total.overdue == 4


def test_agency_rows_sort_by_any_column(walidata, schedule):
    states = _states(walidata, schedule)
    assert counts_by_agency(states, sort="agency")[0].agency_name == "Dinas Kesehatan"
    assert counts_by_agency(states, sort="-agency")[0].agency_name == "Dinas Pendidikan"
    assert counts_by_agency(states, sort="-percent")[0].agency_name == "Dinas Pendidikan"
    assert counts_by_agency(states, sort="not_due")[0].agency_name == "Dinas Kesehatan"
    # An unknown key falls back to overdue first.
    assert counts_by_agency(states, sort="-nope")[0].agency_name == "Dinas Kesehatan"


def test_a_quarter_selects_the_periods_that_end_in_it():
    q3 = period_keys_ending_in(2026, Period.parse("2026-Q3"))
    assert q3 == {
        "annual": [],
        "semester": [],
        "quarterly": ["2026-Q3"],
        "monthly": ["2026-07", "2026-08", "2026-09"],
    }
    december = period_keys_ending_in(2026, Period.parse("2026-12"))
    assert december == {
        "annual": ["2026"],
        "semester": ["2026-S2"],
        "quarterly": ["2026-Q4"],
        "monthly": ["2026-12"],
    }


def test_a_period_filter_keeps_the_annual_data_in_the_last_quarter_only(walidata, schedule):
    y = schedule.year
    q2 = fill_rows(_states(walidata, schedule, period=Period.parse(f"{y}-Q2")))
    assert sorted(_statuses(q2)) == [("KES-01", f"{y}-Q2"), ("PDK-01", f"{y}-Q2")]
    q4 = fill_rows(_states(walidata, schedule, period=Period.parse(f"{y}-Q4")))
    assert sorted(c for c, _p in _statuses(q4)) == ["KES-01", "KES-02", "KES-03", "PDK-01"]


def test_filters_narrow_by_agency_topic_class_and_status(walidata, schedule, education):
    by_agency = fill_rows(_states(walidata, schedule, agency_id=education.pk))
    assert {r["item__code"] for r in by_agency} == {"PDK-01"}
    closed = fill_rows(_states(walidata, schedule, accessibility=Accessibility.CLOSED))
    assert {r["item__code"] for r in closed} == {"KES-03"}
    states = _states(walidata, schedule)
    assert {r["item__code"] for r in fill_rows(with_status(states, "partial"))} == {"KES-02"}
    assert len(fill_rows(with_status(states, OVERDUE), today=schedule.today)) == 4
    topic_id = schedule.schools.topic_id
    if topic_id is not None:  # the factory may leave the topic empty
        assert fill_rows(_states(walidata, schedule, topic_id=topic_id))


def test_the_year_is_synced_only_when_an_item_has_no_rows(
    walidata, schedule, decree, health, django_assert_max_num_queries
):
    # The decree in force (two queries for a year older than every decree), one count.
    with django_assert_max_num_queries(3):
        fill_states_ensure(schedule.year)
    DataItemFactory(decree=decree, agency=health, code="KES-09", periodicity="monthly")
    fill_states_ensure(schedule.year)
    assert FillState.objects.filter(item__code="KES-09", year=schedule.year).count() == 12


def test_a_row_left_behind_by_a_periodicity_change_is_not_counted(walidata, schedule):
    FillState.objects.create(
        item=schedule.hiv,
        period=f"{schedule.year}-Q1",
        year=schedule.year,
        due_date=schedule.today - dt.timedelta(days=3),
        required_cells=1,
    )
    rows = fill_rows(_states(walidata, schedule))
    assert ("KES-03", f"{schedule.year}-Q1") not in _statuses(rows)


def test_an_agencys_due_list_names_overdue_and_upcoming_periods(schedule, health):
    due = agency_due(agency_id=health.pk, today=schedule.today)
    y = schedule.year
    assert [(r["item__code"], r["period"]) for r in due.overdue] == [
        ("KES-01", f"{y}-Q3"),
        ("KES-02", f"{y}"),
        ("KES-03", f"{y}"),
    ]
    assert due.overdue_count == 3
    assert [(r["item__code"], r["period"]) for r in due.upcoming] == [
        ("KES-01", f"{y}-Q4"),
        ("KES-01", f"{y}-Q1"),
    ]
    summary = dict(due.years)[y]
    assert (summary.scheduled, summary.overdue) == (6, 3)


def test_the_overdue_list_is_capped_but_counted(schedule, health):
    due = agency_due(agency_id=health.pk, today=schedule.today, overdue_limit=2)
    assert len(due.overdue) == 2
    assert due.overdue_count == 3
