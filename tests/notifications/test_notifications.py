"""A user's own notifications: the header badge, reading them, and nobody else's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satudata.core.errors import NotAllowed
from satudata.notifications.models import Notification
from satudata.notifications.services import (
    notification_mark_read,
    notifications_create,
    reminders_send,
)
from satudata.schedule.models import PeriodLock
from satudata.schedule.services import period_lock, period_unlock


@pytest.fixture
def note(operator):
    (created,) = notifications_create(
        recipients=[operator], title="Pengingat: 3 data terlambat", body="KES-01", link="/app/"
    )
    return created


def test_the_operator_sees_his_notification_and_marks_it_read(login, operator, note):
    client = login(operator, language="en")
    page = client.get(reverse("notification-list")).content.decode()
    assert "Pengingat: 3 data terlambat" in page
    assert '<span class="count"' in page  # the unread badge in the header
    client.post(reverse("notification-list"), {"read": note.pk})
    note.refresh_from_db()
    assert note.read_at is not None
    assert '<span class="count"' not in client.get(reverse("notification-list")).content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, operator, note):
    response = login(operator).get(reverse("notification-open", args=[note.pk]))
    assert response.status_code == 302 and response["Location"] == "/app/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_link_to_another_site_is_never_followed(login, operator):
    (bad,) = notifications_create(recipients=[operator], title="x", link="https://evil.example/")
    response = login(operator).get(reverse("notification-open", args=[bad.pk]))
    assert response["Location"] == reverse("notification-list")


def test_nobody_reads_someone_elses_notification(login, other_operator, head, note):
    for user in (other_operator, head):
        client = login(user)
        assert client.get(reverse("notification-open", args=[note.pk])).status_code == 404
        assert client.post(reverse("notification-list"), {"read": note.pk}).status_code == 404
        assert "Pengingat" not in client.get(reverse("notification-list")).content.decode()
        with pytest.raises(NotAllowed):
            notification_mark_read(actor=user, notification=note)
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_reads_only_ones_own(login, operator, other_operator, note):
    notifications_create(recipients=[operator, other_operator], title="Dua")
    login(operator).post(reverse("notification-list"), {"all": "1"})
    assert not Notification.objects.filter(recipient=operator, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_operator, read_at__isnull=True).exists()


def test_anonymous_visitors_go_to_the_login_page(client, note):
    response = client.get(reverse("notification-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_unread_count_costs_one_query_and_none_for_visitors(login, client, operator, note):
    with CaptureQueriesContext(connection) as anonymous:
        client.get(reverse("login"))
    assert not [q for q in anonymous.captured_queries if "notifications_" in q["sql"]]
    signed_in = login(operator)
    signed_in.get(reverse("notification-list"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        signed_in.get(reverse("password_change"))
    counts = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0]["sql"].upper()


def test_the_new_services_refuse_a_producer_operator(operator, walidata):
    lock = period_lock(actor=walidata, period="2024")
    with pytest.raises(NotAllowed):
        period_unlock(actor=operator, lock=lock)
    with pytest.raises(NotAllowed):
        reminders_send(actor=operator, year=None)  # type: ignore[arg-type]
    with pytest.raises(NotAllowed):
        notification_mark_read(actor=operator, notification=None)  # type: ignore[arg-type]
    assert PeriodLock.objects.filter(period="2024").exists()
