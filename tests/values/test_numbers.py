from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satudata.values.numbers import InvalidNumber, format_number, parse_number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1.234,5", Decimal("1234.5")),
        ("12,5", Decimal("12.5")),
        ("1234", Decimal("1234")),
        ("1.234", Decimal("1234")),
        ("-0,75", Decimal("-0.75")),
        (" 1.000.000 ", Decimal("1000000")),
        (12.5, Decimal("12.5")),
        (0.1, Decimal("0.1")),
        (7, Decimal("7")),
        ("", None),
        (None, None),
    ],
)
def test_numbers_are_read_the_indonesian_way_and_exactly(typed, stored):
    assert parse_number(typed) == stored


@pytest.mark.parametrize("typed", ["12,5%", "abc", "1,234.5", "1.23", "12.5", "1..2", "--1", True])
def test_what_is_not_an_indonesian_number_is_refused_with_a_hint(typed):
    with pytest.raises(InvalidNumber):
        parse_number(typed)


def test_a_percent_sign_gets_its_own_hint():
    with pytest.raises(InvalidNumber, match="%"):
        parse_number("12,5%")


def test_numbers_are_shown_the_indonesian_way():
    assert format_number(Decimal("1234.500000")) == "1.234,5"
    assert format_number(Decimal("-1000000")) == "-1.000.000"
    assert format_number(Decimal("0.000000")) == "0"


@given(st.decimals(min_value=-(10**8), max_value=10**8, places=6, allow_nan=False))
def test_what_is_shown_reads_back_the_same(value):
    assert parse_number(format_number(value)) == value


@given(st.text(max_size=20))
def test_any_text_is_a_number_or_a_clear_refusal(text):
    try:
        parse_number(text)
    except InvalidNumber as exc:
        assert str(exc)
