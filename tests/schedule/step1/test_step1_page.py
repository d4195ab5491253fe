"""The step-1 page: who may open it, its counts, its list, its filters, print and links."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AgencyFactory, DataItemFactory


def _page(client, **params) -> str:
    response = client.get("/app/step-1/", params)
    assert response.status_code == 200
    return response.content.decode()


def _codes_in_list(page: str) -> list[str]:
    table = page.split('class="table step1-list"', 1)[1]
    return re.findall(r'<td class="code"><a href="[^"]+">([^<]+)</a>', table)


@pytest.mark.parametrize("persona", ["operator", "head", "other_operator"])
def test_producers_may_not_open_the_fill_check(request, login, persona):
    user = request.getfixturevalue(persona)
    assert login(user).get("/app/step-1/").status_code == 403
    assert login(user).get("/app/step-1/export.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/app/step-1/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("persona", ["walidata", "supervisor", "admin_user"])
def test_walidata_supervisor_and_admin_see_the_fill_check(request, login, schedule, persona):
    user = request.getfixturevalue(persona)
    page = _page(login(user, language="en"), year=schedule.year)
    assert "Dinas Kesehatan" in page
    assert "Data Pasien HIV" in page  # they see closed items too (no values are shown)


def test_the_page_shows_headline_counts_and_the_agency_table(login, walidata, schedule):
    page = _page(login(walidata, language="en"), year=schedule.year)
    counts = dict(re.findall(r'class="stat fill-(\w+)"><span class="num">(\d+)</span>', page))
    assert counts == {
        "filled": "1",
        "filled_late": "2",
        "partial": "1",
        "missing": "3",
        "not_due": "3",
        "overdue": "4",
    }
    assert "10.0%" in page  # 1 filled of 10 scheduled
    agencies = page.split('class="table step1-agencies"', 1)[1].split("</table>", 1)[0]
    assert agencies.index("Dinas Kesehatan") < agencies.index("Dinas Pendidikan")
    assert "25.0%" in agencies and "50.0%" in agencies


def test_the_list_is_overdue_first(login, walidata, schedule):
    page = _page(login(walidata, language="en"), year=schedule.year)
    assert _codes_in_list(page)[:4] == ["KES-03", "PDK-01", "KES-02", "KES-01"]
    assert "overdue by 40 days" in page
    assert "30 days late" in page


def test_the_status_filter_narrows_the_list_but_not_the_counts(login, walidata, schedule):
    page = _page(login(walidata, language="en"), year=schedule.year, status="partial")
    assert _codes_in_list(page) == ["KES-02"]
    assert '<span class="num">10</span>' in page  # still every scheduled item-period


def test_the_agency_and_class_filters_narrow_everything(login, walidata, schedule, education):
    client = login(walidata, language="en")
    page = _page(client, year=schedule.year, agency=education.pk)
    assert set(_codes_in_list(page)) == {"PDK-01"}
    assert "Dinas Kesehatan" not in page.split('class="table step1-agencies"', 1)[1]
    page = _page(client, year=schedule.year, accessibility="closed")
    assert _codes_in_list(page) == ["KES-03"]


def test_a_quarter_shows_only_the_periods_ending_in_it(login, walidata, schedule):
    page = _page(login(walidata, language="en"), period=f"{schedule.year}-Q2")
    assert sorted(_codes_in_list(page)) == ["KES-01", "PDK-01"]
    assert f"Periods ending in {schedule.year}-Q2" in page


def test_bad_filters_are_a_400_with_the_reason_never_a_500(login, walidata, schedule):
    client = login(walidata, language="en")
    for params in ({"period": "2025-13"}, {"period": "nonsense"}, {"year": "abc"}):
        response = client.get("/app/step-1/", params)
        assert response.status_code == 400, params
        assert "errorbox" in response.content.decode()
    response = client.get("/app/step-1/", {"year": schedule.year, "period": "1999-Q1"})
    assert response.status_code == 400


def test_the_print_heading_and_the_signature_block_are_on_the_page(login, walidata, schedule):
    page = _page(login(walidata, language="en"), year=schedule.year)
    heading = page.split('class="print-only print-heading"', 1)[1].split("</div>", 1)[0]
    assert "Step 1 of the SOP" in heading
    assert f"Year {schedule.year}" in heading
    assert "Printed on" in heading
    assert 'class="print-only signature"' in page
    assert "data-print" in page and "step1.js" in page


def test_the_page_links_exports_and_reminders_with_its_filters(login, walidata, schedule):
    page = _page(login(walidata, language="en"), period=f"{schedule.year}-Q3")
    assert f"/app/step-1/export.xlsx?period={schedule.year}-Q3" in page
    assert f"/app/step-1/export.csv?period={schedule.year}-Q3" in page
    assert f"/app/notifications/reminders/?year={schedule.year}&amp;period={schedule.year}-Q3" in (
        page
    )


def test_the_supervisor_gets_no_reminder_button(login, supervisor, schedule):
    page = _page(login(supervisor, language="en"), year=schedule.year)
    assert "/app/notifications/reminders/" not in page


def test_without_a_decree_the_page_says_so(login, walidata):
    response = login(walidata, language="en").get("/app/step-1/")
    assert response.status_code == 200
    assert "No data list decree has been registered yet" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_data(login, walidata, schedule, decree):
    client = login(walidata)
    client.get("/app/step-1/", {"year": schedule.year})  # warm: session, sync
    with CaptureQueriesContext(connection) as before:
        client.get("/app/step-1/", {"year": schedule.year})
    for n in range(3):
        agency = AgencyFactory()
        for m in range(4):
            DataItemFactory(
                decree=decree,
                agency=agency,
                code=f"X{n}-{m}",
                periodicity=["monthly", "quarterly", "semester", "annual"][m],
                level="regency",
            )
    client.get("/app/step-1/", {"year": schedule.year})  # syncs the new items' rows
    with CaptureQueriesContext(connection) as after:
        response = client.get("/app/step-1/", {"year": schedule.year})
    assert response.content.decode().count('<td class="code">') == 10 + 3 * (12 + 4 + 2 + 1)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_long_list_shows_its_first_rows_and_offers_the_whole_list(
    login, walidata, schedule, monkeypatch
):
    from satudata.schedule import views_fill

    monkeypatch.setattr(views_fill, "LIST_LIMIT", 3)
    client = login(walidata, language="en")
    page = _page(client, year=schedule.year)
    assert _codes_in_list(page) == ["KES-03", "PDK-01", "KES-02"]  # overdue first
    assert "The first 3 of 10 are shown" in page
    assert f"?year={schedule.year}&amp;all=1" in page
    assert len(_codes_in_list(_page(client, year=schedule.year, all=1))) == 10
