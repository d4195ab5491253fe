"""A late step 4-6 is told once to the person responsible (in the product and by e-mail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from satudata.audit.models import AuditEntry
from satudata.core.actors import SystemActor
from satudata.core.errors import NotAllowed
from satudata.notifications.models import Notification
from satudata.publications.lateness import publication_steps_notify_late

CRON = SystemActor("tests-cron")


def _make_late(publication, hours=3):
    publication.steps.update(due_at=timezone.now() - dt.timedelta(hours=hours))


def test_a_late_step_is_notified_once_to_the_operator(
    publication, operator, django_capture_on_commit_callbacks
):
    _make_late(publication)
    before = Notification.objects.filter(recipient=operator).count()  # the instruction's
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_steps_notify_late(actor=CRON) == 1
    assert [m.to for m in mail.outbox] == [[operator.email]]
    assert "Angka kematian ibu 2025" in mail.outbox[0].body
    assert f"/app/publications/{publication.pk}/" in mail.outbox[0].body
    late = Notification.objects.filter(recipient=operator).order_by("-pk").first()
    assert Notification.objects.filter(recipient=operator).count() == before + 1
    assert late.link == f"/app/publications/{publication.pk}/"
    step = publication.steps.get()
    assert step.late_notified_at is not None
    entry = AuditEntry.objects.get(action="publication.step_late_notify")
    assert entry.after["step"] == step.pk and entry.after["emailed"] is True

    with django_capture_on_commit_callbacks(execute=True):
        assert publication_steps_notify_late(actor=CRON) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=operator).count() == before + 1
    assert AuditEntry.objects.filter(action="publication.step_late_notify").count() == 1


def test_a_step_not_yet_due_or_already_ended_is_not_notified(
    publication, operator, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_steps_notify_late(actor=CRON) == 0  # due in five working days
    publication.steps.update(due_at=timezone.now() - dt.timedelta(days=1), ended_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_steps_notify_late(actor=CRON) == 0
    assert mail.outbox == []


def test_the_review_step_is_the_heads_to_hear_about(
    publication, operator, head, django_capture_on_commit_callbacks
):
    from satudata.publications.services import draft_save, draft_submit

    draft_save(actor=operator, publication=publication, title="Judul", body="<p>Isi</p>")
    draft_submit(actor=operator, publication=publication)
    publication.steps.filter(number=5).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert publication_steps_notify_late(actor=CRON) == 1
    assert [m.to for m in mail.outbox] == [[head.email]]


def test_the_command_runs_it_and_a_second_run_sends_nothing(publication, capsys):
    _make_late(publication)
    call_command("notify_late_publications")
    assert "1 late step(s) notified." in capsys.readouterr().out
    call_command("notify_late_publications")
    assert "0 late step(s) notified." in capsys.readouterr().out


def test_a_producer_may_not_run_it_but_walidata_may(publication, operator, walidata):
    _make_late(publication)
    with pytest.raises(NotAllowed):
        publication_steps_notify_late(actor=operator)
    assert publication_steps_notify_late(actor=walidata) == 1


def test_the_agency_home_shows_a_late_step_with_a_link(login, publication, operator, head):
    _make_late(publication, hours=30)
    for user in (operator, head):
        page = login(user, language="en").get("/app/").content.decode()
        assert "Late or due today" in page
        section = page.split('class="table pub-due-steps"', 1)[1].split("</table>", 1)[0]
        assert f'href="/app/publications/{publication.pk}/"' in section
        assert "late by 1 day 6 hours" in section


def test_another_agencys_home_does_not_show_it(login, publication, other_operator):
    _make_late(publication)
    page = login(other_operator, language="en").get("/app/").content.decode()
    assert "Angka kematian ibu 2025" not in page


def test_the_operators_home_lists_the_new_instruction(login, publication, operator):
    page = login(operator, language="en").get("/app/").content.decode()
    assert "Waiting for you" in page and "Angka kematian ibu 2025" in page
    assert "Late or due today" not in page
