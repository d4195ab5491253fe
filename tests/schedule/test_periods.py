from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.schedule.periods import InvalidPeriod, Period


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-S2", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_a_period_knows_its_first_and_last_day(key, start, end):
    period = Period.parse(key)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize(
    "key", ["", "25", "2025-Q5", "2025-S3", "2025-13", "2025-00", "abc", "0001"]
)
def test_a_malformed_key_is_refused(key):
    with pytest.raises(InvalidPeriod):
        Period.parse(key)


def test_a_key_of_another_periodicity_is_refused():
    with pytest.raises(InvalidPeriod):
        Period.parse("2025-Q3", "monthly")


def test_a_year_has_the_periods_of_its_periodicity():
    assert [p.key for p in Period.of_year(2026, "semester")] == ["2026-S1", "2026-S2"]
    assert len(Period.of_year(2026, "monthly")) == 12


@given(st.text(max_size=12))
def test_parsing_any_text_either_succeeds_or_says_invalid(text):
    try:
        period = Period.parse(text)
    except InvalidPeriod:
        return
    assert Period.parse(period.key) == period
