from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satudata.catalog.choices import Accessibility
from satudata.schedule.fill_check import agency_due
from satudata.schedule.models import FillState
from tests.factories import DataItemFactory
from tests.schedule.step1.schedule_data import build_schedule


def test_an_operator_sees_his_own_agency_on_his_home_page(login, operator, education, decree):
    DataItemFactory(decree=decree, agency=operator.agency, accessibility=Accessibility.CLOSED)
    DataItemFactory(decree=decree, agency=education, name="Angka Partisipasi Sekolah")
    page = login(operator).get("/app/").content.decode()
    assert "Dinas Kesehatan" in page
    assert page.count('class="num">1<') >= 2  # 1 item of his agency, 1 closed
    assert "Angka Partisipasi Sekolah" in page  # other agencies' open items may show


def test_a_closed_item_of_another_agency_never_shows_on_a_producers_home(
    login, other_operator, health, decree
):
    DataItemFactory(
        decree=decree, agency=health, name="Data Pasien HIV", accessibility=Accessibility.CLOSED
    )
    page = login(other_operator).get("/app/").content.decode()
    assert "Data Pasien HIV" not in page


def test_walidata_sees_the_whole_list_even_with_an_agency(login, walidata, health, decree):
    DataItemFactory(decree=decree, agency=health, accessibility=Accessibility.CLOSED)
    DataItemFactory(decree=decree, agency=health)
    page = login(walidata).get("/app/").content.decode()
    assert 'class="num">2<' in page


# --- What is due (the agency's home) and the walidata's fill headline ---------------------


@pytest.fixture
def schedule(decree, health, education):
    return build_schedule(decree=decree, health=health, education=education)


def _section(page: str, css: str) -> str:
    return page.split(f'class="{css}"', 1)[1].split("</table>", 1)[0]


def test_the_operators_home_lists_what_is_overdue_first_with_a_link_to_the_grid(
    login, operator, schedule
):
    page = login(operator, language="en").get("/app/").content.decode()
    assert "What is due" in page
    overdue = _section(page, "table due-list due-overdue")
    y = schedule.year
    for code, period in (("KES-01", f"{y}-Q3"), ("KES-02", f"{y}"), ("KES-03", f"{y}")):
        assert f"/app/values/{getattr(schedule, _ITEMS[code]).pk}/{period}/" in overdue
    assert overdue.index(f"{y}-Q3") < overdue.index("KES-03")  # most recently due first
    assert "overdue by 40 days" in overdue
    due_section = page.split('class="home-due"', 1)[1].split("</section>", 1)[0]
    assert "PDK-01" not in due_section  # another agency's data is not his to do
    assert page.index("due-overdue") < page.index("due-upcoming")


def test_the_operators_home_says_what_falls_due_next(login, operator, schedule):
    page = login(operator, language="en").get("/app/").content.decode()
    upcoming = _section(page, "table due-list due-upcoming")
    y = schedule.year
    assert upcoming.index(f"{y}-Q4") < upcoming.index(f"{y}-Q1")  # due in 20, then 30 days
    assert "Not yet due" in upcoming and "Filled" in upcoming


def test_the_home_counts_the_items_due_this_month_and_overdue(login, head, schedule):
    today = schedule.today
    page = login(head, language="en").get("/app/").content.decode()
    # Counted after the visit: the home also schedules this year's periods.
    due = FillState.objects.filter(
        item__agency=head.agency, due_date__year=today.year, due_date__month=today.month
    ).count()
    assert due >= 1
    overdue = agency_due(agency_id=head.agency_id, today=today).overdue_count
    assert overdue >= 3
    summary = re.search(r'<p class="due-summary">(.*?)</p>', page, re.S).group(1)
    assert f"{due} item" in summary
    assert f"{overdue} overdue" in summary


def test_the_agency_summary_shows_last_years_fill_state(login, operator, schedule):
    page = login(operator, language="en").get("/app/").content.decode()
    years = _section(page, "table due-years")
    row = years.split(f"<td>{schedule.year}</td>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num">([^<]+)<', row) == ["6", "1", "1", "1", "2", "1", "25.0%", "3"]


def test_an_agency_without_schedule_sees_nothing_is_due(login, operator, decree):
    page = login(operator, language="en").get("/app/").content.decode()
    assert "Nothing is overdue." in page
    assert "0 items due this month" in page


def test_walidatas_home_shows_the_years_fill_counts_and_links_step_1(login, walidata, schedule):
    page = login(walidata, language="en").get("/app/").content.decode()
    assert f"Fill check {schedule.today.year}" in page
    assert f'href="/app/step-1/?year={schedule.today.year}"' in page
    assert "What is due" not in page


def test_the_supervisor_sees_the_fill_headline_too(login, supervisor, schedule):
    page = login(supervisor, language="en").get("/app/").content.decode()
    assert "/app/step-1/" in page


def test_the_operators_home_costs_a_constant_number_of_queries(
    login, operator, schedule, decree, health
):
    client = login(operator)
    client.get("/app/")
    with CaptureQueriesContext(connection) as before:
        client.get("/app/")
    for n in range(5):
        DataItemFactory(
            decree=decree, agency=health, code=f"KES-X{n}", periodicity="monthly", level="regency"
        )
    client.get("/app/")  # syncs the new items' rows
    with CaptureQueriesContext(connection) as after:
        client.get("/app/")
    assert len(after.captured_queries) == len(before.captured_queries)


_ITEMS = {"KES-01": "vaccination", "KES-02": "infants", "KES-03": "hiv"}
