"""A small hand-made world for the dashboard tests, with every figure known in advance.

Year Y is last year (every month of it is past). Due dates are set per period, so what falls
due when does not depend on the rules or on the day the tests run:

    health    A "open", annual, regency       Y-1 due Y-03-31, filled on Y-03-01 (on time)
                                              Y   due Y+1-12-31 (not yet due)
    education B "open", quarterly, regency    Y-1-Q4 due Y-02-14, missing
                                              Y-Q1 due Y-05-15, filled on Y-06-01 (late)
                                              Y-Q2 due Y-08-14, missing
                                              Y-Q3 due Y-11-14, missing
                                              Y-Q4 due Y+1-12-31 (not yet due)
                                              Y-1-Q1..Q3 due in Y-1
    health    C closed, annual, regency       Y-1 due Y-1-12-31; Y due Y+1-12-31
    health    D limited, annual, regency      Y-1 due Y-1-12-31, filled; Y due Y+1-12-31

Fill by producer, year Y: health 3 scheduled, all not yet due; education 4: 1 filled late,
2 missing, 1 not yet due (1 of 3 due complete). By due month of Y: February 1 missing,
March 1 filled, May 1 filled late, August 1 missing, November 1 missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem
from satudata.catalog.services import regions_load
from satudata.schedule.services import due_override_set, fill_states_sync
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

REGENCY = "35.09"


@dataclass
class World:
    year: int
    a: DataItem
    b: DataItem
    c: DataItem
    d: DataItem


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def fill_one(item: DataItem, period: str, on: dt.date) -> None:
    observations_save(
        actor=SYSTEM,
        item=item,
        period=period,
        cells=[CellValue(REGENCY, "", Decimal("12.5"))],
        at=noon(on),
    )


def make_item(decree, agency, code: str, **kw) -> DataItem:
    kw.setdefault("periodicity", "annual")
    return DataItemFactory(
        decree=decree, agency=agency, code=code, name=f"Data {code}", level="regency", **kw
    )


def build_world(*, decree, health, education) -> World:
    regions_load(actor=SYSTEM, root=REGENCY)
    y = timezone.localdate().year - 1
    a = make_item(decree, health, "A")
    b = make_item(decree, education, "B", periodicity="quarterly")
    c = make_item(decree, health, "C", accessibility=Accessibility.CLOSED)
    d = make_item(decree, health, "D", accessibility=Accessibility.LIMITED)
    fill_states_sync(year=y - 1)
    fill_states_sync(year=y)
    later = dt.date(y + 1, 12, 31)
    dues = {
        (a, f"{y - 1}"): dt.date(y, 3, 31),
        (a, f"{y}"): later,
        (b, f"{y - 1}-Q1"): dt.date(y - 1, 5, 15),
        (b, f"{y - 1}-Q2"): dt.date(y - 1, 8, 14),
        (b, f"{y - 1}-Q3"): dt.date(y - 1, 11, 14),
        (b, f"{y - 1}-Q4"): dt.date(y, 2, 14),
        (b, f"{y}-Q1"): dt.date(y, 5, 15),
        (b, f"{y}-Q2"): dt.date(y, 8, 14),
        (b, f"{y}-Q3"): dt.date(y, 11, 14),
        (b, f"{y}-Q4"): later,
        (c, f"{y - 1}"): dt.date(y - 1, 12, 31),
        (c, f"{y}"): later,
        (d, f"{y - 1}"): dt.date(y - 1, 12, 31),
        (d, f"{y}"): later,
    }
    for (item, period), due in dues.items():
        due_override_set(actor=SYSTEM, item=item, period=period, due_date=due)
    fill_one(a, f"{y - 1}", dt.date(y, 3, 1))
    fill_one(b, f"{y}-Q1", dt.date(y, 6, 1))
    fill_one(d, f"{y - 1}", dt.date(y - 1, 12, 1))
    return World(year=y, a=a, b=b, c=c, d=d)
