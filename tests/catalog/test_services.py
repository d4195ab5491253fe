from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem, Region
from satudata.catalog.services import item_create, item_update, regions_load
from satudata.core.errors import DomainError, NotAllowed
from tests.factories import SYSTEM, DataItemFactory


def test_a_limited_item_needs_its_legal_reason(walidata, decree, health):
    with pytest.raises(ValidationError) as info:
        item_create(
            actor=walidata,
            decree=decree,
            agency=health,
            code="X1",
            name="Data pasien",
            unit="orang",
            periodicity="annual",
            level="district",
            accessibility=Accessibility.LIMITED,
            accessibility_reason="",
        )
    assert "accessibility_reason" in info.value.message_dict
    assert not DataItem.objects.filter(code="X1").exists()


@pytest.mark.parametrize("persona", ["operator", "head", "supervisor", "other_operator"])
def test_only_walidata_and_admin_change_items(request, decree, health, persona):
    item = DataItemFactory(decree=decree, agency=health)
    with pytest.raises(NotAllowed):
        item_update(actor=request.getfixturevalue(persona), item=item, unit="x")
    item.refresh_from_db()
    assert item.unit != "x"


def test_jember_and_its_31_districts_load_from_the_shipped_list(db):
    created = regions_load(actor=SYSTEM, root="35.09")
    assert Region.objects.filter(parent_id="35.09").count() == 31
    assert Region.objects.get(code="35.09").name == "Kabupaten Jember"
    assert Region.objects.filter(level="village", code__startswith="35.09.").count() == 248
    assert regions_load(actor=SYSTEM, root="35.09") == 0 < created


def test_another_region_loads_from_a_csv_without_code_changes(db):
    text = "code,name\n35,JAWA TIMUR\n35.10,Kabupaten Banyuwangi\n35.10.01,Pesanggaran\n"
    assert regions_load(actor=SYSTEM, root="35.10", text=text) == 3
    assert Region.objects.get(code="35.10.01").parent_id == "35.10"


def test_a_region_file_without_the_code_is_refused(db):
    with pytest.raises(DomainError):
        regions_load(actor=SYSTEM, root="99.99", text="code,name\n35,JAWA TIMUR\n")
    assert not Region.objects.exists()
