"""One item's due dates for a year, and walidata's overrides per item and per period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from satudata.schedule.models import DueOverride, FillState
from satudata.schedule.periods import Period
from satudata.schedule.services import due_date_for, due_override_set, fill_states_sync
from tests.factories import DataItemFactory


@pytest.fixture
def quarterly(decree, health):
    return DataItemFactory(decree=decree, agency=health, periodicity="quarterly", level="regency")


@pytest.fixture
def closed_item(decree, health):
    return DataItemFactory(
        decree=decree, agency=health, periodicity="annual", level="regency", accessibility="closed"
    )


def url(item, year=2024):
    return f"{reverse('item-schedule', args=[item.pk])}?year={year}"


def sources(response) -> dict[str, tuple[dt.date, str]]:
    return {r.period: (r.due_date, r.source) for r in response.context["rows"]}


def test_the_page_lists_the_years_periods_with_due_dates_from_the_rule(login, walidata, quarterly):
    page = login(walidata, language="en").get(url(quarterly))
    assert page.status_code == 200
    assert sources(page)["2024-Q1"] == (dt.date(2024, 5, 15), "rule")
    assert list(sources(page)) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert "Missing" in page.content.decode()  # 2024 is long due and nothing was entered


def test_an_item_wide_override_moves_every_period(login, walidata, quarterly):
    fill_states_sync(year=2024)
    client = login(walidata)
    response = client.post(url(quarterly), {"action": "item", "days_after_period_end": "10"})
    assert response.status_code == 302 and response["Location"] == url(quarterly)
    rows = sources(client.get(url(quarterly)))
    assert rows["2024-Q1"] == (dt.date(2024, 4, 10), "item")
    assert rows["2024-Q4"] == (dt.date(2025, 1, 10), "item")
    assert FillState.objects.get(item=quarterly, period="2024-Q2").due_date == dt.date(2024, 7, 10)


def test_a_due_date_for_one_period_overrides_only_that_period(login, walidata, quarterly):
    fill_states_sync(year=2024)
    client = login(walidata)
    client.post(url(quarterly), {"action": "period", "period": "2024-Q2", "due_date": "2024-09-01"})
    rows = sources(client.get(url(quarterly)))
    assert rows["2024-Q2"] == (dt.date(2024, 9, 1), "period")
    assert rows["2024-Q3"] == (dt.date(2024, 11, 14), "rule")
    assert due_date_for(quarterly, Period.parse("2024-Q2")) == dt.date(2024, 9, 1)
    assert FillState.objects.get(item=quarterly, period="2024-Q2").due_date == dt.date(2024, 9, 1)


def test_a_period_of_another_periodicity_is_refused_on_the_form(login, walidata, quarterly):
    response = login(walidata).post(
        url(quarterly), {"action": "period", "period": "2024-07", "due_date": "2024-09-01"}
    )
    assert response.status_code == 400
    assert not DueOverride.objects.exists()


def test_removing_an_override_brings_the_rule_back(login, walidata, quarterly):
    override = due_override_set(
        actor=walidata, item=quarterly, period="2024-Q1", due_date=dt.date(2024, 12, 1)
    )
    client = login(walidata)
    client.post(url(quarterly), {"action": "remove", "override": override.pk})
    assert not DueOverride.objects.exists()
    assert sources(client.get(url(quarterly)))["2024-Q1"] == (dt.date(2024, 5, 15), "rule")


def test_another_items_override_cannot_be_removed_through_this_page(
    login, walidata, quarterly, closed_item
):
    other = due_override_set(actor=walidata, item=closed_item, days_after_period_end=5)
    response = login(walidata).post(url(quarterly), {"action": "remove", "override": other.pk})
    assert response.status_code == 404
    assert DueOverride.objects.filter(pk=other.pk).exists()


def test_the_items_agency_reads_its_schedule_but_may_not_change_it(
    login, operator, head, quarterly
):
    for user in (operator, head):
        client = login(user, language="en")
        page = client.get(url(quarterly))
        assert page.status_code == 200
        assert "Set the item's own rule" not in page.content.decode()
        response = client.post(url(quarterly), {"action": "item", "days_after_period_end": "1"})
        assert response.status_code == 403
    assert not DueOverride.objects.exists()


def test_another_agency_never_learns_of_a_closed_item(login, other_operator, closed_item):
    assert login(other_operator).get(url(closed_item)).status_code == 404


def test_an_item_that_does_not_exist_is_a_404_and_a_bad_year_falls_back(login, walidata, quarterly):
    client = login(walidata)
    assert client.get(reverse("item-schedule", args=[999999])).status_code == 404
    page = client.get(f"{reverse('item-schedule', args=[quarterly.pk])}?year=20x4")
    assert page.status_code == 200 and page.context["year"] == quarterly.decree.year
