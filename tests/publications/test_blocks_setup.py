"""Data for the blocks, cards and preview tests (fixtures only; imported by those modules).

Dinas Kesehatan (the `agency` of conftest.py) has:
- `district_item`: babies immunised by kecamatan and sex (orang, annual), filled for 2024 and
  2025: kecamatan n (1..31) has n*10 boys and n*10+5 girls in 2025, 2 fewer of each in 2024;
  Kecamatan 35.09.01's boys in 2025 are 1234.5 (to see the Indonesian number format);
- `rate_item`: a share for the whole regency (persen, annual), 2023 65.5, 2024 70.25, 2025 72;
- `closed_item`: closed data of the same agency, filled for 2025.
Dinas Pendidikan (`other_agency`) has `foreign_item`, open and filled for 2025.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from satudata.catalog.services import breakdown_ensure, regions_load
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

__all__ = [
    "boys_2025",
    "closed_item",
    "district_item",
    "fill",
    "foreign_item",
    "jember",
    "rate_item",
    "sex",
]


def boys_2025(n: int) -> Decimal:
    return Decimal("1234.5") if n == 1 else Decimal(n * 10)


def _value(region: str, key: str, period: str) -> Decimal:
    n = int(region.rsplit(".", 1)[-1])
    boys = boys_2025(n) if period == "2025" else Decimal(n * 10 - 2)
    return boys if key.endswith("=L") else Decimal(n * 10 + (5 if period == "2025" else 3))


def fill(item, period: str, value=None) -> None:
    cells = [
        CellValue(r, b, value if value is not None else _value(r, b, period))
        for r, b in CellPlan().cells(item)
    ]
    observations_save(actor=SYSTEM, item=item, period=period, cells=cells)


@pytest.fixture
def jember(db):
    regions_load(actor=SYSTEM, root="35.09")


@pytest.fixture
def sex(db):
    return breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )


@pytest.fixture
def district_item(jember, decree, agency, sex):
    item = DataItemFactory(
        decree=decree,
        agency=agency,
        name="Jumlah Bayi Diimunisasi",
        unit="orang",
        level="district",
        breakdowns=[sex],
    )
    fill(item, "2024")
    fill(item, "2025")
    return item


@pytest.fixture
def rate_item(jember, decree, agency):
    item = DataItemFactory(
        decree=decree, agency=agency, name="Cakupan Imunisasi Dasar", unit="persen", level="regency"
    )
    for period, value in (("2023", "65.5"), ("2024", "70.25"), ("2025", "72")):
        fill(item, period, Decimal(value))
    return item


@pytest.fixture
def closed_item(jember, decree, agency):
    item = DataItemFactory(
        decree=decree, agency=agency, name="Kasus HIV", level="regency", accessibility="closed"
    )
    fill(item, "2025", Decimal(777))
    return item


@pytest.fixture
def foreign_item(jember, decree, other_agency):
    item = DataItemFactory(decree=decree, agency=other_agency, name="Jumlah Murid", level="regency")
    fill(item, "2025", Decimal(888))
    return item
