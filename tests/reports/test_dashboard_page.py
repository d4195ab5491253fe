"""The dashboard page: who may see it, an empty database, the period selector, the charts."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.reports.dashboard_world import World, build_world

URL = "/app/dashboard/"


@pytest.fixture
def world(decree, health, education) -> World:
    return build_world(decree=decree, health=health, education=education)


def test_producers_may_not_see_the_dashboard(login, head, operator):
    for user in (head, operator):
        assert login(user).get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["walidata", "supervisor", "admin_user"])
def test_walidata_supervisor_and_admin_see_an_empty_dashboard(request, login, persona):
    user = request.getfixturevalue(persona)
    response = login(user, "en").get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "No data list decree has been registered yet" in text
    assert "No dataset was listed on the portal in this year." in text
    assert "No use of the portal was counted in this year." in text
    assert "No request for limited data was made in this period." in text
    assert "Nothing was posted on any channel in this period." in text
    assert 'data-spec="spec-' not in text  # nothing to draw: no chart, no chart scripts
    assert "vega-embed.min.js" not in text


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_a_period_outside_the_chosen_year_is_refused_next_to_the_field(login, walidata):
    year = timezone.localdate().year
    response = login(walidata, "en").get(URL, {"year": year, "period": f"{year - 1}-Q2"})
    assert response.status_code == 400
    assert "The period is not in the chosen year." in response.content.decode()
    response = login(walidata, "en").get(URL, {"period": "2026-Q9"})
    assert response.status_code == 400


def _spec(text: str, name: str) -> dict:
    start = text.index(f'<script id="spec-{name}" type="application/json">')
    body = text[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_the_page_shows_the_numbers_beside_the_charts(world, login, walidata):
    response = login(walidata, "en").get(URL, {"year": world.year})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dinas Pendidikan" in text and "33.3%" in text
    for name in ("agency_fill", "fill_months", "accessibility"):
        assert f'data-spec="spec-{name}"' in text
    # The chart pictures the table's numbers: education's four item-periods by status.
    bars = _spec(text, "agency_fill")["data"]["values"]
    education = {v["status"]: v["n"] for v in bars if v["agency"] == "Dinas Pendidikan"}
    assert education == {"Filled late": 1, "Missing": 2, "Not yet due": 1}
    months = _spec(text, "fill_months")["data"]["values"]
    assert sum(v["n"] for v in months) == 5
    assert "vendor/vega-embed.min.js" in text and "satudata/dashboard.js" in text
    assert "https://" not in text.split("<script", 1)[0].split("</head>")[0]  # nothing remote


def test_the_page_speaks_indonesian_by_default(world, login, walidata):
    response = login(walidata).get(URL, {"year": world.year})
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


def _more_agencies(decree, year: int, n: int) -> None:
    from satudata.schedule.services import fill_states_sync
    from tests.factories import AgencyFactory
    from tests.reports.dashboard_world import fill_one, make_item

    for i in range(n):
        agency = AgencyFactory(name=f"Kecamatan Uji {i}")
        item = make_item(decree, agency, f"X{i}", periodicity="quarterly")
        make_item(decree, agency, f"Y{i}", accessibility="limited")
        fill_states_sync(year=year)
        fill_one(item, f"{year}-Q1", timezone.localdate())


def test_the_number_of_queries_does_not_grow_with_agencies(
    world, decree, login, walidata, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(walidata)
    params = {"year": world.year}
    client.get(URL, params)  # the first visit may make the year's fill states
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, params).status_code == 200
    queries = len(small)  # now: the log is a bounded deque that later queries push along
    _more_agencies(decree, world.year, 6)
    client.get(URL, params)
    with django_assert_max_num_queries(queries):
        response = client.get(URL, params)
    assert response.content.decode().count("Kecamatan Uji") >= 6
    assert queries <= 30


def test_a_quarter_marks_its_months_and_narrows_the_counts(world, login, walidata):
    response = login(walidata, "en").get(URL, {"year": world.year, "period": f"{world.year}-Q2"})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{world.year}-Q2 (Apr–Jun)" in text
    assert text.count('class="in-window"') >= 3  # April to June in each monthly table
    bars = _spec(text, "agency_fill")["data"]["values"]
    assert bars == [{"agency": "Dinas Pendidikan", "status": "Missing", "n": 1, "order": 3}]
