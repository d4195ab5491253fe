"""The values home: the items a user fills, each period with its fill status."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from satudata.schedule.models import FillState
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

HOME = "/app/values/"


def test_the_operator_sees_his_agencys_items_with_each_periods_status_and_grid_link(
    login, operator, district_item, regency_item, education
):
    other = DataItemFactory(decree=district_item.decree, agency=education, name="Jumlah Sekolah")
    cells = [CellValue(r, b, Decimal(1)) for r, b in CellPlan().cells(district_item)]
    observations_save(actor=SYSTEM, item=district_item, period="2025", cells=cells[:10])

    page = login(operator, language="en").get(HOME, {"year": 2025})

    text = page.content.decode()
    assert page.status_code == 200
    assert district_item.name in text and regency_item.name in text
    assert other.name not in text
    assert f'href="/app/values/{district_item.pk}/2025/"' in text
    assert f'href="/app/values/{regency_item.pk}/2025-Q4/"' in text
    assert 'class="fill partial overdue"' in text  # annual 2025 was due 31 March 2026
    # The year's schedule rows were made on the first look: 1 annual + 4 quarters.
    assert FillState.objects.filter(year=2025).count() == 5


def test_the_periodicity_choice_narrows_the_list(login, operator, district_item, regency_item):
    text = login(operator).get(HOME, {"year": 2026, "periodicity": "quarterly"}).content.decode()
    assert regency_item.name in text and district_item.name not in text


def test_walidata_chooses_a_producer_first(login, walidata, district_item, health):
    client = login(walidata, language="en")
    assert "Choose a producer" in client.get(HOME).content.decode()
    text = client.get(HOME, {"agency": health.pk, "year": 2026}).content.decode()
    assert district_item.name in text


def test_roles_that_do_not_enter_values_get_403(login, supervisor):
    assert login(supervisor).get(HOME).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_year_outside_the_choices_is_refused(login, operator, district_item):
    assert login(operator).get(HOME, {"year": 1850}).status_code == 400


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME, {"year": 2026}).status_code == 200
    return len(queries)


def test_the_home_costs_the_same_queries_for_2_or_12_items(
    login, operator, district_item, regency_item
):
    client = login(operator)
    _home_queries(client)  # the first look makes the year's schedule rows
    few = _home_queries(client)
    for _n in range(10):
        DataItemFactory(decree=district_item.decree, agency=district_item.agency, level="regency")
    _home_queries(client)
    assert _home_queries(client) == few
