"""The daily reminder job: safe to run twice the same day."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from satudata.notifications.models import Notification, Reminder


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_running_the_daily_job_twice_the_same_day_sends_nothing_the_second_time(
    behind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run("--year", "2024")
    assert "2 reminder(s) sent" in first and len(mail.outbox) == 2
    notified = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = run("--year", "2024")
    assert "0 reminder(s) sent, 2 skipped" in second
    assert len(mail.outbox) == 2 and Notification.objects.count() == notified
    assert Reminder.objects.filter(kind="daily").count() == 2
    assert set(Reminder.objects.values_list("sent_by_label", flat=True)) == {"daily-reminder"}


def test_the_daily_job_by_default_covers_this_year_and_the_last(behind):
    out = run()
    this_year = timezone.localdate().year
    assert f"{this_year - 1}:" in out and f"{this_year}:" in out


def test_the_database_refuses_a_second_daily_reminder_for_an_agency_the_same_day(health):
    fields = dict(
        agency=health,
        year=2024,
        kind="daily",
        sent_by_label="daily-reminder",
        sent_on=timezone.localdate(),
        items_count=1,
        recipients_count=1,
        emails_sent=1,
    )
    Reminder.objects.create(**fields)
    Reminder.objects.create(**{**fields, "kind": "manual"})  # walidata's clicks are not limited
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields)
