from __future__ import annotations

import pytest

from satudata.catalog.services import breakdown_ensure, regions_load
from tests.factories import SYSTEM, DataItemFactory


@pytest.fixture
def jember(db):
    regions_load(actor=SYSTEM, root="35.09")


@pytest.fixture
def sex(db):
    return breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )


@pytest.fixture
def district_item(jember, decree, health, sex):
    """Health's annual item by kecamatan and sex: 31 x 2 = 62 cells a period."""
    return DataItemFactory(
        decree=decree,
        agency=health,
        name="Jumlah Bayi Diimunisasi",
        periodicity="annual",
        level="district",
        breakdowns=[sex],
    )


@pytest.fixture
def regency_item(jember, decree, health):
    """Health's quarterly item for the whole regency: 1 cell a period."""
    return DataItemFactory(
        decree=decree,
        agency=health,
        name="Cakupan Imunisasi",
        periodicity="quarterly",
        level="regency",
    )
