"""The release schedule's rules per periodicity, and period locks (walidata's settings)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from satudata.audit.models import AuditEntry
from satudata.schedule.models import FillState, PeriodLock
from satudata.schedule.periods import Period
from satudata.schedule.release_calendar import last_ended_period, rule_rows
from satudata.schedule.services import fill_states_sync, period_is_open
from tests.factories import DataItemFactory


@pytest.fixture
def quarterly(decree, health):
    return DataItemFactory(decree=decree, agency=health, periodicity="quarterly", level="regency")


def test_the_example_is_the_latest_period_that_ended():
    assert last_ended_period("annual", dt.date(2026, 2, 1)) == Period.parse("2025")
    assert last_ended_period("quarterly", dt.date(2026, 2, 1)) == Period.parse("2025-Q4")
    assert last_ended_period("monthly", dt.date(2026, 7, 31)) == Period.parse("2026-06")


def test_annual_2025_is_due_on_31_march_2026_by_the_default_rule(db):
    (annual,) = [r for r in rule_rows(dt.date(2026, 6, 1)) if r.periodicity == "annual"]
    assert (annual.example_period.key, annual.example_due) == ("2025", dt.date(2026, 3, 31))
    assert annual.is_default


def test_the_rules_page_shows_each_rule_with_its_example(login, walidata):
    page = login(walidata, language="en").get(reverse("schedule-rules"))
    html = page.content.decode()
    assert page.status_code == 200
    for row in page.context["rows"]:
        with translation.override("en"):
            due = date_format(row.example_due, "DATE_FORMAT")
        assert f"{row.example_period.key} → {due}" in html
    assert "Save the rules" in html


def test_changing_a_rule_moves_the_due_dates_of_the_fill_states(login, walidata, quarterly):
    fill_states_sync(year=2024)
    assert FillState.objects.get(item=quarterly, period="2024-Q1").due_date == dt.date(2024, 5, 15)
    data = {"action": "rules", "annual": 90, "semester": 60, "quarterly": 60, "monthly": 30}
    response = login(walidata).post(reverse("schedule-rules"), data)
    assert response.status_code == 302
    assert FillState.objects.get(item=quarterly, period="2024-Q1").due_date == dt.date(2024, 5, 30)
    # Only the rule that changed was written (and audited).
    (entry,) = AuditEntry.objects.filter(action="due_rule_set")
    assert entry.after["periodicity"] == "quarterly"
    page = login(walidata, language="en").get(reverse("schedule-rules"))
    (row,) = [r for r in page.context["rows"] if r.periodicity == "quarterly"]
    assert row.example_due == row.example_period.end + dt.timedelta(days=60)
    assert not row.is_default


def test_a_rule_out_of_range_is_refused_on_the_form(login, walidata):
    data = {"action": "rules", "annual": -1, "semester": 60, "quarterly": 45, "monthly": 9999}
    response = login(walidata).post(reverse("schedule-rules"), data)
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="due_rule_set").exists()


def test_producers_may_neither_open_nor_change_the_rules(login, operator, head):
    data = {"action": "rules", "annual": 10, "semester": 60, "quarterly": 45, "monthly": 30}
    for user in (operator, head):
        client = login(user)
        assert client.get(reverse("schedule-rules")).status_code == 403
        assert client.post(reverse("schedule-rules"), data).status_code == 403
        assert (
            client.post(reverse("schedule-rules"), {"action": "lock", "period": "2024"}).status_code
            == 403
        )
    assert not PeriodLock.objects.exists()
    assert not AuditEntry.objects.filter(action="due_rule_set").exists()


def test_the_supervisor_reads_the_rules_but_has_no_form(login, supervisor):
    page = login(supervisor, language="en").get(reverse("schedule-rules"))
    assert page.status_code == 200
    assert "Save the rules" not in page.content.decode()
    data = {"action": "rules", "annual": 10, "semester": 60, "quarterly": 45, "monthly": 30}
    assert login(supervisor).post(reverse("schedule-rules"), data).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("schedule-rules"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_walidata_locks_a_period_and_unlocks_it(login, walidata):
    client = login(walidata)
    response = client.post(
        reverse("schedule-rules"), {"action": "lock", "period": "2025-q3", "reason": "Laporan"}
    )
    assert response.status_code == 302
    lock = PeriodLock.objects.get()
    assert (lock.period, lock.locked_by, lock.reason) == ("2025-Q3", walidata, "Laporan")
    assert not period_is_open(Period.parse("2025-Q3"))
    assert "2025-Q3" in client.get(reverse("schedule-rules")).content.decode()
    client.post(reverse("schedule-rules"), {"action": "unlock", "lock": lock.pk})
    assert not PeriodLock.objects.exists()
    assert period_is_open(Period.parse("2025-Q3"))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"period_lock", "period_unlock"} <= actions


def test_a_malformed_period_to_lock_is_an_error_on_the_form(login, walidata):
    response = login(walidata).post(
        reverse("schedule-rules"), {"action": "lock", "period": "2025-Q7"}
    )
    assert response.status_code == 400
    assert response.context["lock_form"].errors["period"]
    assert not PeriodLock.objects.exists()


def test_unlocking_a_lock_that_does_not_exist_is_a_404(login, walidata):
    response = login(walidata).post(reverse("schedule-rules"), {"action": "unlock", "lock": "x"})
    assert response.status_code == 404
