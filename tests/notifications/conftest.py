"""Fixtures of the reminder tests: two agencies behind schedule on the 2024 periods.

2024 is long past, so every 2024 period is due whatever the day the tests run.
"""

from __future__ import annotations

import pytest

from tests.factories import DataItemFactory


@pytest.fixture
def health_quarterly(decree, health):
    """Health's quarterly regency-level item: four periods in 2024, all overdue when empty."""
    return DataItemFactory(
        decree=decree,
        agency=health,
        code="KES-01",
        name="Cakupan Imunisasi, Dasar",
        periodicity="quarterly",
        level="regency",
    )


@pytest.fixture
def education_annual(decree, education):
    """Education's annual item: 2024 due on 31 March 2025."""
    return DataItemFactory(
        decree=decree,
        agency=education,
        code="PDK-01",
        name="Angka Partisipasi Murni",
        periodicity="annual",
        level="regency",
    )


@pytest.fixture
def behind(health_quarterly, education_annual, head, operator, other_operator):
    """Both agencies behind in 2024, each with staff to remind."""
    return [health_quarterly, education_annual]
