"""The SOP and cycle pages: who sees them, who may post, and what they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from satudata.sop.models import Cycle, Sop, StepRun
from satudata.sop.services import step_finish, step_start
from tests.sop.conftest import CYCLE_START, SYSTEM, hours

ALL = ["walidata", "head", "operator", "supervisor", "admin_user"]
CYCLE_VIEWERS = ["walidata", "supervisor", "admin_user"]


def _revise_post(sop, **changes):
    data = {
        "number": sop.number,
        "name": sop.name,
        "made_on": sop.made_on.isoformat(),
        "revised_on": "2026-03-01",
        "ratified_on": "2026-03-05",
        "ratified_by_name": sop.ratified_by_name,
        "ratified_by_nip": sop.ratified_by_nip,
        "ratified_by_position": sop.ratified_by_position,
        "legal_basis": sop.legal_basis,
        "qualifications": sop.qualifications,
        "related_units": sop.related_units,
        "equipment": sop.equipment,
        "warnings": sop.warnings,
        "recording": sop.recording,
    }
    steps = list(sop.steps.order_by("number"))
    data |= {
        "steps-TOTAL_FORMS": str(len(steps) + 1),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
    }
    for i, s in enumerate(steps):
        for name in (
            "number",
            "description",
            "performer",
            "requirement",
            "time_amount",
            "time_unit",
            "output",
            "note",
        ):
            data[f"steps-{i}-{name}"] = getattr(s, name)
    data |= changes
    return data


@pytest.mark.parametrize("persona", ALL)
def test_every_role_reads_the_sop(sop, persona, request, login):
    page = login(request.getfixturevalue(persona)).get(reverse("sop-detail"))
    assert page.status_code == 200
    text = page.content.decode()
    assert sop.number in text and "Portal Jember Satu Data" in text
    assert "19 Januari 2026" in text  # Indonesian dates


def test_an_older_revision_is_shown_on_request(sop, admin_user, login):
    client = login(admin_user)
    client.post(reverse("sop-revise"), _revise_post(sop, **{"steps-5-time_amount": "90"}))
    assert Sop.objects.get(is_current=True).revision == 4
    old = client.get(reverse("sop-detail") + "?revision=3", HTTP_ACCEPT_LANGUAGE="id")
    assert old.status_code == 200 and "sop-old" in old.content.decode()
    assert client.get(reverse("sop-detail") + "?revision=99").status_code == 404


def test_the_sop_page_says_when_none_is_loaded(db, walidata, login):
    assert login(walidata).get(reverse("sop-detail")).status_code == 200


@pytest.mark.parametrize("persona", ["walidata", "head", "operator", "supervisor"])
def test_only_an_administrator_opens_the_revise_page(sop, persona, request, login):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("sop-revise")).status_code == 403
    assert client.post(reverse("sop-revise"), _revise_post(sop)).status_code == 403
    assert Sop.objects.count() == 1


def test_the_revise_form_is_prefilled_and_saves_a_new_revision(sop, admin_user, login):
    client = login(admin_user)
    page = client.get(reverse("sop-revise"))
    text = page.content.decode()
    assert page.status_code == 200 and sop.number in text
    assert 'value="2026-01-19"' in text  # the date field shows the ratification date
    answer = client.post(reverse("sop-revise"), _revise_post(sop, **{"steps-5-time_amount": "90"}))
    assert answer.status_code == 302
    new = Sop.objects.get(is_current=True)
    assert new.revision == 4 and new.steps.get(number=6).time_amount == 90


def test_the_revise_form_keeps_what_was_typed_on_error(sop, admin_user, login):
    data = _revise_post(sop, name="Nama baru yang diketik", **{"steps-2-number": "9"})
    page = login(admin_user).post(reverse("sop-revise"), data)
    assert page.status_code == 200
    assert "Nama baru yang diketik" in page.content.decode()
    assert Sop.objects.count() == 1


@pytest.mark.parametrize("persona", CYCLE_VIEWERS)
def test_cycle_pages_render_for_walidata_supervisor_and_admin(cycle, persona, request, login):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("cycle-list")).status_code == 200
    assert client.get(reverse("cycle-detail", args=[cycle.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["head", "operator"])
def test_cycle_pages_are_refused_to_producers(cycle, persona, request, login):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("cycle-list")).status_code == 403
    assert client.get(reverse("cycle-detail", args=[cycle.pk])).status_code == 403


def test_the_supervisor_gets_403_on_every_post(cycle, supervisor, login):
    run = step_start(actor=SYSTEM, cycle=cycle, number=1, at=CYCLE_START)
    client = login(supervisor)
    urls = [
        reverse("cycle-list"),
        reverse("cycle-step-start", args=[cycle.pk, 2]),
        reverse("cycle-run-finish", args=[cycle.pk, run.pk]),
        reverse("cycle-close", args=[cycle.pk]),
        reverse("sop-revise"),
    ]
    for url in urls:
        assert client.post(url, {"kind": "annual", "year": "2025"}).status_code == 403, url
    assert Cycle.objects.count() == 1 and StepRun.objects.count() == 1
    assert StepRun.objects.get().is_running


def test_walidata_starts_a_cycle_from_the_list(sop, walidata, login):
    client = login(walidata)
    answer = client.post(
        reverse("cycle-list"), {"kind": "quarterly", "year": "2025", "quarter": "4"}
    )
    cycle = Cycle.objects.get()
    assert cycle.period == "2025-Q4"
    assert answer.status_code == 302 and answer.url == reverse("cycle-detail", args=[cycle.pk])


def test_a_refused_cycle_start_shows_the_reason(cycle, walidata, login):
    year, month = cycle.period.split("-")
    page = login(walidata).post(
        reverse("cycle-list"), {"kind": "monthly", "year": year, "month": str(int(month))}
    )
    assert page.status_code == 200 and cycle.period in page.content.decode()
    assert Cycle.objects.count() == 1


def test_walidata_starts_and_finishes_his_step_on_the_timeline(cycle, walidata, login):
    client = login(walidata)
    detail = reverse("cycle-detail", args=[cycle.pk])
    assert "cycle-step-start" not in detail
    client.post(reverse("cycle-step-start", args=[cycle.pk, 1]))
    run = StepRun.objects.get()
    assert run.is_running and run.started_by == walidata
    page = client.get(detail).content.decode()
    assert reverse("cycle-run-finish", args=[cycle.pk, run.pk]) in page
    # The output link is offered: the fill check of the cycle's period.
    assert f"/app/step-1/?year={cycle.period[:4]}&amp;period={cycle.period}" in page
    client.post(
        reverse("cycle-run-finish", args=[cycle.pk, run.pk]),
        {"step1-output_label": "Daftar keterisian", "step1-output_url": "/app/step-1/"},
    )
    run.refresh_from_db()
    assert not run.is_running and run.output_url == "/app/step-1/"
    assert 'href="/app/step-1/"' in client.get(detail).content.decode()


def test_a_refused_step_shows_a_message_not_an_error_page(cycle, walidata, login):
    client = login(walidata)
    answer = client.post(reverse("cycle-step-start", args=[cycle.pk, 3]), follow=True)
    assert answer.status_code == 200
    assert StepRun.objects.count() == 0
    assert any(m.level_tag == "error" for m in answer.context["messages"])


def test_late_steps_are_flagged_in_words(cycle, walidata, health, login):
    run = step_start(actor=SYSTEM, cycle=cycle, number=1, at=CYCLE_START)
    step_finish(actor=SYSTEM, run=run, at=hours(CYCLE_START, 24 * 4))
    step_start(actor=SYSTEM, cycle=cycle, number=4, agency=health, at=CYCLE_START)
    page = login(walidata, language="en").get(reverse("cycle-detail", args=[cycle.pk]))
    text = page.content.decode()
    assert "late by 3 days"  # due Tuesday 08:00, ended Friday 08:00 in text
    assert "state-late" in text and health.name in text
