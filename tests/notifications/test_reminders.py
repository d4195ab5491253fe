"""Walidata reminds the agencies behind schedule: one click, one e-mail per agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, NotAllowed
from satudata.notifications.models import Notification, Reminder
from satudata.notifications.selectors import agencies_behind, period_keys_within
from satudata.notifications.services import reminders_send
from satudata.schedule.models import FillState
from satudata.schedule.services import due_override_set
from tests.factories import DataItemFactory


def test_one_click_sends_one_email_per_agency_behind(
    login, walidata, behind, head, operator, other_operator, django_capture_on_commit_callbacks
):
    client = login(walidata)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reminders"), {"year": "2024"})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    by_recipients = {tuple(sorted(m.to)): m for m in mail.outbox}
    health_mail = by_recipients[tuple(sorted([head.email, operator.email]))]
    assert "KES-01" in health_mail.body and "2024-Q3" in health_mail.body
    assert "PDK-01" not in health_mail.body  # another agency's items never appear
    assert by_recipients[(other_operator.email,)]
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "kepala",
        "operator",
        "operator2",
    }
    health = Reminder.objects.get(agency=head.agency)
    assert (health.items_count, health.recipients_count, health.emails_sent) == (4, 2, 2)
    assert health.kind == "manual" and health.sent_by == walidata


def test_no_email_leaves_before_the_transaction_commits(
    walidata, behind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = reminders_send(actor=walidata, year=2024)
        assert mail.outbox == []
    assert len(result.reminders) == 2 and len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 2


def test_the_email_is_written_in_indonesian_whatever_the_senders_language(
    login, walidata, behind, django_capture_on_commit_callbacks
):
    client = login(walidata, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reminders"), {"year": "2024"})
    body = mail.outbox[0].body
    # Due dates as Indonesians write them (the Indonesian locale's date format).
    assert "2024" in body and ("Mei" in body or "Agustus" in body or "Maret" in body)


def test_the_reminders_page_lists_the_agencies_behind_with_counts(login, walidata, behind):
    page = login(walidata, language="en").get(reverse("reminders"), {"year": "2024"})
    html = page.content.decode()
    assert page.status_code == 200
    rows = {r["agency"].name: r["items"] for r in page.context["rows"]}
    assert rows == {"Dinas Kesehatan": 4, "Dinas Pendidikan": 1}
    assert "Send reminders to 2 agencies" in html


def test_an_agency_with_nothing_overdue_is_not_reminded(walidata, behind):
    later = DataItemFactory(decree=behind[0].decree, periodicity="annual", level="regency")
    # Its 2024 values were given until 2031: not yet due, so its agency is not behind.
    due_override_set(actor=walidata, item=later, period="2024", due_date=dt.date(2031, 1, 1))
    result = reminders_send(actor=walidata, year=2024)
    assert later.agency_id not in {r.agency_id for r in result.reminders}
    assert len(result.reminders) == 2
    # Periods of a future year are not yet due: nobody is behind.
    assert reminders_send(actor=walidata, year=2031).reminders == []


def test_a_period_narrows_the_reminder_to_that_period(walidata, behind, health):
    result = reminders_send(actor=walidata, year=2024, period="2024-Q2")
    assert [r.agency_id for r in result.reminders] == [health.pk]
    assert [i["period"] for i in result.reminders[0].items] == ["2024-Q2"]


def test_a_quarter_covers_its_months_and_a_semester_its_quarters():
    assert period_keys_within(2026, "2026-Q3") == ["2026-Q3", "2026-07", "2026-08", "2026-09"]
    assert set(period_keys_within(2026, "2026-S1")) >= {"2026-S1", "2026-Q1", "2026-Q2", "2026-06"}
    assert period_keys_within(2026, "") is None


def test_a_period_of_another_year_is_refused(login, walidata, behind):
    with pytest.raises(DomainError):
        reminders_send(actor=walidata, year=2024, period="2025-Q1")
    page = login(walidata).post(reverse("reminders"), {"year": "2024", "period": "2025-Q1"})
    assert page.status_code == 400
    assert not Reminder.objects.exists()


def test_a_malformed_selection_is_a_400_not_a_500(login, walidata):
    client = login(walidata)
    assert client.get(reverse("reminders"), {"year": "x"}).status_code == 400
    assert client.get(reverse("reminders"), {"period": "2026-Q9"}).status_code == 400


def test_producers_and_the_supervisor_may_not_send_reminders(
    login, operator, head, supervisor, behind
):
    for user in (operator, head, supervisor):
        client = login(user)
        assert client.get(reverse("reminders")).status_code == 403
        assert client.post(reverse("reminders"), {"year": "2024"}).status_code == 403
        with pytest.raises(NotAllowed):
            reminders_send(actor=user, year=2024)
    assert not Reminder.objects.exists() and not mail.outbox


def test_each_reminder_is_audited_and_listed_in_the_history(login, walidata, behind):
    reminders_send(actor=walidata, year=2024)
    assert AuditEntry.objects.filter(action="reminder_send").count() == 2
    page = login(walidata, language="en").get(reverse("reminders"), {"year": "2024"})
    history = page.context["history"]
    assert sorted(r.agency.name for r in history) == ["Dinas Kesehatan", "Dinas Pendidikan"]
    assert "Dinas Pendidikan" in page.content.decode()


def test_items_never_entered_count_as_missing_before_any_fill_state_exists(walidata, behind):
    # Nothing was entered and the schedule was never synced: no fill-state row at all.
    assert not FillState.objects.exists()
    names = {b.name: (b.missing, b.partial) for b in agencies_behind(year=2024)}
    assert names == {"Dinas Kesehatan": (4, 0), "Dinas Pendidikan": (1, 0)}
    result = reminders_send(actor=walidata, year=2024)
    dues = {i["due_date"] for r in result.reminders for i in r.items}
    assert dt.date(2024, 5, 15).isoformat() in dues  # 2024-Q1 + 45 days, the default rule
