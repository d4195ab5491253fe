"""A small published portal for the portal tests, with leak markers in what must stay hidden.

- `open_ds`: Dinkes' annual regency item "Jumlah Penduduk Miskin", values 2023-2025 released.
- `district_ds`: Dinkes' annual item by kecamatan and sex, 2025 released (62 cells).
- `limited_ds`: a limited item, listed (metadata only); its name, definition, tags and values
  carry LIMITED_MARKER / LIMITED_VALUE.
- `closed_item`: a closed item with values, never published; CLOSED_MARKER / CLOSED_VALUE.
- `embargoed_ds`: an open item published with its release tomorrow: its title may be announced
  in the advance release calendar (as statistics offices do), nothing else of it (page,
  metadata, EMBARGO_VALUE) before then.
- `withdrawn_ds`: an open item published, then withdrawn; WITHDRAWN_MARKER.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from satudata.catalog.choices import Accessibility
from satudata.catalog.services import breakdown_ensure, regions_load
from satudata.portal.models import Dataset
from satudata.portal.services import dataset_withdraw, datasets_publish
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory, TopicFactory

LIMITED_MARKER = "ZQXLIMITEDMARKER"
CLOSED_MARKER = "ZQXCLOSEDMARKER"
EMBARGO_MARKER = "ZQXEMBARGOMARKER"
WITHDRAWN_MARKER = "ZQXWITHDRAWNMARKER"
# Values no open item has: a leak of a value shows as one of these strings in any format.
LIMITED_VALUE = Decimal("918273.645")
CLOSED_VALUE = Decimal("827364.519")
EMBARGO_VALUE = Decimal("736455.428")
MARKERS = (LIMITED_MARKER, CLOSED_MARKER, EMBARGO_MARKER, WITHDRAWN_MARKER)
VALUE_MARKERS = ("918273", "827364", "736455", "918.273", "827.364", "736.455")


@dataclass
class PortalWorld:
    open_ds: Dataset
    district_ds: Dataset
    limited_ds: Dataset
    closed_item: object
    embargoed_ds: Dataset
    withdrawn_ds: Dataset


def fill(item, period: str, value: Decimal | None = None, step: Decimal = Decimal("1.5")) -> None:
    """Fill every required cell of the item for the period (a distinct value per cell)."""
    cells = []
    for n, (region, breakdown) in enumerate(CellPlan().cells(item)):
        v = value if value is not None else Decimal(1000) + n * step + int(period[:4])
        cells.append(CellValue(region=region, breakdown=breakdown, value=v, status="final"))
    observations_save(
        actor=SYSTEM,
        item=item,
        period=period,
        cells=cells,
        at=timezone.now() - dt.timedelta(days=30),
    )


@pytest.fixture
def jember(db):
    regions_load(actor=SYSTEM, root="35.09")


@pytest.fixture
def sex(db):
    return breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )


@pytest.fixture
def social(db):
    return TopicFactory(name="Sosial", slug="sosial")


@pytest.fixture
def portal_world(jember, decree, health, sex, social) -> PortalWorld:
    def item(**kw):
        kw.setdefault("decree", decree)
        kw.setdefault("agency", health)
        kw.setdefault("topic", social)
        kw.setdefault("periodicity", "annual")
        kw.setdefault("level", "regency")
        return DataItemFactory(**kw)

    poor = item(
        name="Jumlah Penduduk Miskin",
        unit="jiwa",
        tags="kemiskinan, sosial",
        definition="Penduduk dengan pengeluaran di bawah garis kemiskinan.",
    )
    for year in (2023, 2024, 2025):
        fill(poor, str(year))
    district = item(
        name="Jumlah Siswa Pendidikan Dasar",
        level="district",
        breakdowns=[sex],
        unit="orang",
        tags="pendidikan",
    )
    fill(district, "2025")
    limited = item(
        name=f"Data Terbatas {LIMITED_MARKER}",
        definition=f"Definisi {LIMITED_MARKER}",
        tags=LIMITED_MARKER.lower(),
        accessibility=Accessibility.LIMITED,
        accessibility_reason="UU 14/2008 pasal 17 huruf h",
    )
    fill(limited, "2025", LIMITED_VALUE)
    closed = item(
        name=f"Data Tertutup {CLOSED_MARKER}",
        definition=f"Definisi {CLOSED_MARKER}",
        tags=CLOSED_MARKER.lower(),
        accessibility=Accessibility.CLOSED,
        accessibility_reason="UU 14/2008 pasal 17 huruf c",
    )
    fill(closed, "2025", CLOSED_VALUE)
    embargoed = item(name=f"Data Embargo {EMBARGO_MARKER}", tags=EMBARGO_MARKER.lower())
    fill(embargoed, "2025", EMBARGO_VALUE)
    withdrawn = item(name=f"Data Ditarik {WITHDRAWN_MARKER}")
    fill(withdrawn, "2025")

    published = datasets_publish(actor=SYSTEM, items=[poor, district, limited, withdrawn])
    by_code = {d.code: d for d in published.datasets}
    tomorrow = timezone.now() + dt.timedelta(days=1)
    embargoed_ds = datasets_publish(actor=SYSTEM, items=[embargoed], release_at=tomorrow).datasets[
        0
    ]
    withdrawn_ds = dataset_withdraw(
        actor=SYSTEM, dataset=by_code[withdrawn.code], reason="Ditarik untuk koreksi metodologi."
    )
    return PortalWorld(
        open_ds=by_code[poor.code],
        district_ds=by_code[district.code],
        limited_ds=by_code[limited.code],
        closed_item=closed,
        embargoed_ds=embargoed_ds,
        withdrawn_ds=withdrawn_ds,
    )
