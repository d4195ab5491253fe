"""A small made-up schedule for the fill-check tests, with every status in it.

All periods belong to last year (every one of them has started, so values may be entered) and
each period's due date is set relative to today, so the statuses do not depend on the date
the tests run. Values go in through observations_save, as in the product.
"""

from __future__ import annotations

import pytest

from tests.schedule.step1.schedule_data import build_schedule


@pytest.fixture
def schedule(decree, health, education):
    return build_schedule(decree=decree, health=health, education=education)
