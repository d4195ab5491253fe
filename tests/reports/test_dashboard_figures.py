"""The dashboard's figures on the hand-made world (conftest.py), through the selectors."""

from __future__ import annotations

import pytest
from django.utils import timezone

from satudata.reports.dashboard import Window, dashboard_for, fill_by_month
from satudata.schedule.periods import Period
from tests.reports.dashboard_world import World, build_world


@pytest.fixture
def world(decree, health, education) -> World:
    return build_world(decree=decree, health=health, education=education)


def test_fill_by_producer_counts_the_periods_of_the_year_as_the_fill_check_does(world, walidata):
    board = dashboard_for(user=walidata, window=Window(world.year))
    rows = {r.agency_name: r for r in board.agency_fill}
    health, education = rows["Dinas Kesehatan"], rows["Dinas Pendidikan"]
    assert (health.scheduled, health.counts["not_due"], health.percent) == (3, 3, None)
    assert education.scheduled == 4
    assert education.counts == {
        "filled": 0,
        "filled_late": 1,
        "partial": 0,
        "missing": 2,
        "not_due": 1,
    }
    assert (education.due, education.due_complete, education.overdue) == (3, 1, 2)
    assert education.percent == 33.3
    assert (board.fill_total.scheduled, board.fill_total.overdue) == (7, 2)


def test_a_quarter_narrows_the_fill_to_the_periods_ending_in_it(world, walidata):
    board = dashboard_for(
        user=walidata, window=Window(world.year, Period.parse(f"{world.year}-Q2"))
    )
    assert [(r.agency_name, r.scheduled, r.counts["missing"]) for r in board.agency_fill] == [
        ("Dinas Pendidikan", 1, 1)
    ]


def test_fill_over_time_counts_what_fell_due_in_each_month(world, walidata):
    today = timezone.localdate()
    months = {m.month: m for m in fill_by_month(user=walidata, year=world.year, today=today)}
    shown = {n: {s: c for s, c in m.counts.items() if c} for n, m in months.items() if m.scheduled}
    assert shown == {
        2: {"missing": 1},
        3: {"filled": 1},
        5: {"filled_late": 1},
        8: {"missing": 1},
        11: {"missing": 1},
    }
    assert [months[n].percent for n in (2, 3, 5, 8, 11)] == [0.0, 100.0, 100.0, 0.0, 0.0]
    assert months[1].percent is None


def test_accessibility_counts_the_decree_in_force(world, walidata):
    board = dashboard_for(user=walidata, window=Window(world.year))
    assert board.accessibility == {"open": 2, "limited": 1, "closed": 1, "total": 4}
