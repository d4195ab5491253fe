"""Steps 4-5 through the services: instruction, draft, submit, return, approve; the state table."""

from __future__ import annotations

import pytest

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, InvalidTransition, NotAllowed
from satudata.notifications.models import Notification
from satudata.publications import states
from satudata.publications.choices import ChannelKind, PostState, PublicationState
from satudata.publications.models import PublicationStep
from satudata.publications.services import (
    draft_save,
    draft_submit,
    publication_approve,
    publication_cancel,
    publication_instruct,
    publication_return,
)


def _write(publication, operator):
    return draft_save(
        actor=operator,
        publication=publication,
        title="Angka kematian ibu turun",
        body="<p>Turun <strong>12%</strong><script>alert(1)</script></p>"
        '<a href="javascript:alert(1)" onclick="x()">tautan</a>',
        caption="AKI turun #Jember",
    )


def test_instruction_starts_step_4_for_the_operator_on_the_portal_channel(publication, operator):
    assert publication.state == PublicationState.DRAFTING
    assert [c.kind for c in publication.channels.all()] == [ChannelKind.PORTAL]
    step = publication.steps.get()
    assert (step.number, step.responsible, step.ended_at) == (4, operator, None)
    assert (step.due_at - step.started_at).days >= 5  # five working days
    assert Notification.objects.filter(recipient=operator).count() == 1
    assert AuditEntry.objects.filter(action="publication.instruct").count() == 1


def test_only_the_agencys_own_head_instructs_its_own_operator(
    agency, head, operator, other_head, other_operator
):
    with pytest.raises(NotAllowed):
        publication_instruct(actor=other_head, agency=agency, assignee=operator, topic="x")
    with pytest.raises(NotAllowed):
        publication_instruct(actor=operator, agency=agency, assignee=operator, topic="x")
    with pytest.raises(DomainError):
        publication_instruct(actor=head, agency=agency, assignee=other_operator, topic="x")


def test_the_draft_is_stored_harmless(publication, operator):
    publication = _write(publication, operator)
    assert "<script" not in publication.body and "alert" not in publication.body
    assert "onclick" not in publication.body and "javascript:" not in publication.body
    assert "<strong>12%</strong>" in publication.body
    assert publication.revision == 1


def test_a_stale_autosave_is_refused_and_changes_nothing(publication, operator):
    publication = draft_save(actor=operator, publication=publication, revision=0, title="Satu")
    with pytest.raises(InvalidTransition):
        draft_save(actor=operator, publication=publication, revision=0, title="Dua")
    publication.refresh_from_db()
    assert publication.title == "Satu"


def test_submit_return_resubmit_approve(publication, operator, head):
    _write(publication, operator)
    v1 = draft_submit(actor=operator, publication=publication)
    publication.refresh_from_db()
    assert (v1.number, publication.state) == (1, PublicationState.SUBMITTED)
    with pytest.raises(InvalidTransition):
        draft_save(actor=operator, publication=publication, title="diubah saat ditinjau")
    with pytest.raises(DomainError):
        publication_return(actor=head, publication=publication, comment="  ")
    publication_return(actor=head, publication=publication, comment="Tambahkan sumber data.")
    publication.refresh_from_db()
    assert publication.state == PublicationState.DRAFTING
    runs = [(s.number, s.returned, s.ended_at is None) for s in publication.steps.all()]
    assert runs == [(4, False, False), (5, True, False), (4, False, True)]
    draft_save(actor=operator, publication=publication, body="<p>Sumber: Dinkes</p>")
    v2 = draft_submit(actor=operator, publication=publication)
    assert v2.number == 2
    publication_approve(actor=head, publication=publication)
    publication.refresh_from_db()
    assert publication.state == PublicationState.APPROVED
    assert list(publication.posts.values_list("state", flat=True)) == [PostState.PENDING]
    running = PublicationStep.objects.get(publication=publication, ended_at__isnull=True)
    assert running.number == 6 and (running.due_at - running.started_at).seconds == 3600


def test_moves_outside_the_table_are_refused_with_a_message(publication, operator, head):
    with pytest.raises(InvalidTransition) as refused:
        publication_approve(actor=head, publication=publication)
    assert str(PublicationState.DRAFTING.label) in refused.value.message
    with pytest.raises(DomainError):
        draft_submit(actor=operator, publication=publication)  # no title or body yet
    assert set(states.allowed_moves(PublicationState.SUBMITTED)) == {states.APPROVE, states.RETURN}


def test_another_agencys_staff_cannot_touch_the_draft(publication, other_operator, other_head):
    with pytest.raises(NotAllowed):
        draft_save(actor=other_operator, publication=publication, title="x")
    with pytest.raises(NotAllowed):
        publication_cancel(actor=other_head, publication=publication, reason="x")
