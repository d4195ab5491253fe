"""Reads of steps 4-6: who sees which publication, the timeline, what is late or due today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from satudata.publications.selectors import (
    ListFilters,
    agency_steps_due,
    publication_rows,
    publications_visible_to,
    publications_waiting_for,
    step_rows,
    version_pair,
)
from satudata.publications.services import draft_save, draft_submit, publication_instruct


def test_producers_see_their_agency_and_the_others_see_all(
    publication, head, operator, other_operator, other_head, other_agency, walidata, supervisor
):
    theirs = publication_instruct(
        actor=other_head, agency=other_agency, assignee=other_operator, topic="Lain"
    )
    assert list(publications_visible_to(operator)) == [publication]
    assert list(publications_visible_to(other_head)) == [theirs]
    assert set(publications_visible_to(walidata)) == {publication, theirs}
    assert set(publications_visible_to(supervisor)) == {publication, theirs}
    # A producer's agency filter cannot reach another agency.
    assert list(publication_rows(other_operator, ListFilters(agency=publication.agency_id))) == [
        theirs
    ]


def test_each_row_carries_its_running_step(publication, operator):
    rows = list(publication_rows(operator, ListFilters()))
    assert [s.number for s in rows[0].running] == [4]


def test_the_timeline_measures_each_run_against_its_standard(publication, operator):
    now = timezone.now()
    step = publication.steps.get()
    publication.steps.update(
        started_at=now - dt.timedelta(days=8), due_at=now - dt.timedelta(days=1, hours=2)
    )
    with translation.override("en"):
        (row,) = step_rows(publication, now)
    assert row.step.pk == step.pk and row.is_running and row.is_late
    assert (row.standard, row.actual, row.late) == (
        "5 working days",
        "8 days",
        "late by 1 day 2 hours",
    )


def test_late_and_due_today_on_the_agency_home(publication, agency, head, operator):
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    step = publication.steps.get()
    publication.steps.update(due_at=noon + dt.timedelta(hours=3))
    (due,) = agency_steps_due(agency.pk, noon)
    assert due.step.pk == step.pk and not due.is_late
    assert agency_steps_due(agency.pk, noon - dt.timedelta(days=1)) == []  # due tomorrow then
    (late,) = agency_steps_due(agency.pk, noon + dt.timedelta(hours=5))
    assert late.is_late and late.late


def test_what_waits_for_whom(publication, head, operator):
    assert list(publications_waiting_for(operator)) == [publication]
    assert list(publications_waiting_for(head)) == []
    draft_save(actor=operator, publication=publication, title="T", body="<p>B</p>")
    draft_submit(actor=operator, publication=publication)
    assert list(publications_waiting_for(operator)) == []
    assert list(publications_waiting_for(head)) == [publication]


def test_the_version_pair_is_the_newest_and_the_one_before(publication, operator, head):
    assert version_pair(publication) == (None, None)
    draft_save(actor=operator, publication=publication, title="T", body="<p>B</p>")
    v1 = draft_submit(actor=operator, publication=publication)
    assert version_pair(publication) == (None, v1)
    from satudata.publications.services import publication_return

    publication_return(actor=head, publication=publication, comment="Ubah.")
    v2 = draft_submit(actor=operator, publication=publication)
    assert version_pair(publication) == (v1, v2)
    assert version_pair(publication, 1) == (None, v1)
    assert version_pair(publication, 3) == (None, None)
