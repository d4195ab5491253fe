"""The made-up schedule of the fill-check tests (used by tests/schedule/step1 and the home tests).

Year Y is last year; T is today. Due dates are per-period overrides, so the statuses are:

    health    KES-01 quarterly, regency (1 cell)   Q1 filled (due T+30), Q2 filled late (due T-10),
                                                    Q3 missing (due T-3), Q4 not yet due (due T+20)
    health    KES-02 annual, 31 kecamatan x sex     Y partly filled, 61 of 62 (due T-5): overdue
    health    KES-03 annual, regency, CLOSED        Y missing (due T-40)
    education PDK-01 quarterly, regency             Q1 filled late (due T-30),
                                                    Q2 missing (due T-20),
                                                    Q3 and Q4 not yet due (T+10, T+40)

Totals: 10 scheduled; 1 filled, 2 filled late, 1 partly filled, 3 missing, 3 not yet due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, Region
from satudata.catalog.services import breakdown_ensure, regions_load
from satudata.schedule.services import due_override_set, fill_states_sync
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

REGENCY = "35.09"


@dataclass
class Schedule:
    year: int
    today: dt.date
    vaccination: DataItem  # KES-01
    infants: DataItem  # KES-02, partly filled
    hiv: DataItem  # KES-03, closed
    schools: DataItem  # PDK-01
    gap_region: str  # the kecamatan code missing from KES-02

    def key(self, suffix: str = "") -> str:
        return f"{self.year}{suffix}"


def _due(item: DataItem, period: str, today: dt.date, days: int) -> None:
    due_override_set(actor=SYSTEM, item=item, period=period, due_date=today + dt.timedelta(days))


def _fill(item: DataItem, period: str, cells: list[tuple[str, str]]) -> None:
    observations_save(
        actor=SYSTEM,
        item=item,
        period=period,
        cells=[CellValue(region, key, Decimal("12.5")) for region, key in cells],
    )


def build_schedule(*, decree, health, education) -> Schedule:
    regions_load(actor=SYSTEM, root=REGENCY)
    sex = breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )
    today = timezone.localdate()
    year = today.year - 1
    make = DataItemFactory
    vaccination = make(
        decree=decree,
        agency=health,
        code="KES-01",
        name="Cakupan Imunisasi",
        periodicity="quarterly",
        level="regency",
    )
    infants = make(
        decree=decree,
        agency=health,
        code="KES-02",
        name="Jumlah Bayi Diimunisasi",
        periodicity="annual",
        level="district",
        breakdowns=[sex],
    )
    hiv = make(
        decree=decree,
        agency=health,
        code="KES-03",
        name="Data Pasien HIV",
        periodicity="annual",
        level="regency",
        accessibility=Accessibility.CLOSED,
    )
    schools = make(
        decree=decree,
        agency=education,
        code="PDK-01",
        name="Jumlah Sekolah Rusak",
        periodicity="quarterly",
        level="regency",
    )
    fill_states_sync(year=year)
    for item, suffix, days in (
        (vaccination, "-Q1", 30),
        (vaccination, "-Q2", -10),
        (vaccination, "-Q3", -3),
        (vaccination, "-Q4", 20),
        (infants, "", -5),
        (hiv, "", -40),
        (schools, "-Q1", -30),
        (schools, "-Q2", -20),
        (schools, "-Q3", 10),
        (schools, "-Q4", 40),
    ):
        _due(item, f"{year}{suffix}", today, days)
    one = [(REGENCY, "")]
    _fill(vaccination, f"{year}-Q1", one)
    _fill(vaccination, f"{year}-Q2", one)
    _fill(schools, f"{year}-Q1", one)
    gap = Region.objects.get(name__iexact="Sumberjambe", level="district").code
    cells = [c for c in CellPlan().cells(infants) if c != (gap, "jenis-kelamin=P")]
    _fill(infants, str(year), cells)
    return Schedule(year, today, vaccination, infants, hiv, schools, gap)
