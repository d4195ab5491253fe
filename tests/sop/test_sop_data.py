"""The SOP is data: loaded from its file, revised into a new revision, one in force."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, InvalidTransition
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.models import Sop, SopStep
from satudata.sop.selectors import current_sop
from satudata.sop.services import sop_load, sop_revise
from tests.sop.conftest import SYSTEM


def _steps(sop):
    return [
        {
            "number": s.number,
            "description": s.description,
            "performer": s.performer,
            "requirement": s.requirement,
            "time_amount": s.time_amount,
            "time_unit": s.time_unit,
            "output": s.output,
            "note": s.note,
        }
        for s in sop.steps.order_by("number")
    ]


def test_the_shipped_sop_is_jembers_revision_3(sop):
    assert sop.number == "000.8.3.4/19.4/35.09.323/2026"
    assert sop.revision == 3 and sop.is_current
    assert str(sop.ratified_on) == "2026-01-19"
    steps = list(sop.steps.order_by("number"))
    with translation.override("en"):
        assert [s.standard_text for s in steps] == [
            "1 working day",
            "1 working day",
            "1 working day",
            "5 working days",
            "1 working day",
            "60 minutes",
            "3 working days",
        ]
    assert [s.performer for s in steps] == [
        "walidata",
        "walidata",
        "walidata",
        "producer_operator",
        "producer_head",
        "producer_operator",
        "walidata",
    ]


def test_loading_the_same_file_twice_changes_nothing(sop):
    entries = AuditEntry.objects.count()
    again = sop_load(actor=SYSTEM, path=DEFAULT_SOP_FILE)
    assert again.pk == sop.pk
    assert Sop.objects.count() == 1 and SopStep.objects.count() == 7
    assert AuditEntry.objects.count() == entries


def test_a_changed_file_with_the_same_revision_is_refused(sop, tmp_path):
    raw = json.loads(DEFAULT_SOP_FILE.read_text(encoding="utf-8"))
    raw["steps"][0]["time"]["amount"] = 2
    path = tmp_path / "sop.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DomainError):
        sop_load(actor=SYSTEM, path=path)


def test_an_unreadable_file_is_refused_with_a_message(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DomainError, match="SOP"):
        sop_load(actor=SYSTEM, path=path)


def test_a_revision_is_new_and_keeps_the_old_one_untouched(sop, cycle, admin_user):
    steps = _steps(sop)
    steps[5]["time_amount"], steps[5]["time_unit"] = 2, "hours"
    new = sop_revise(actor=admin_user, sop=sop, steps=steps, revised_on=sop.ratified_on)
    sop.refresh_from_db()
    cycle.refresh_from_db()
    assert new.revision == 4 and new.is_current
    assert not sop.is_current
    assert sop.steps.get(number=6).time_unit == "minutes"
    assert new.steps.get(number=6).time_unit == "hours"
    assert cycle.sop_id == sop.pk
    assert current_sop() == new
    assert Sop.objects.filter(is_current=True).count() == 1


def test_only_the_revision_in_force_can_be_revised(sop, admin_user):
    new = sop_revise(actor=admin_user, sop=sop, steps=_steps(sop))
    with pytest.raises(InvalidTransition):
        sop_revise(actor=admin_user, sop=sop, steps=_steps(sop))
    assert new.revision == 4


def test_steps_must_be_numbered_without_gaps(sop, admin_user):
    steps = _steps(sop)
    del steps[2]
    with pytest.raises(DomainError):
        sop_revise(actor=admin_user, sop=sop, steps=steps)
    assert Sop.objects.count() == 1


def test_the_database_refuses_two_current_revisions(sop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sop.objects.create(
            number="x",
            name="x",
            revision=9,
            made_on=sop.made_on,
            ratified_on=sop.ratified_on,
            ratified_by_name="x",
            ratified_by_position="x",
            is_current=True,
        )


@pytest.mark.parametrize("persona", ["walidata", "head", "operator", "supervisor"])
def test_only_an_administrator_revises(sop, persona, request):
    from satudata.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        sop_revise(actor=request.getfixturevalue(persona), sop=sop, steps=_steps(sop))


def test_a_signed_in_user_cannot_load_an_sop_file_but_an_administrator_can(db, walidata):
    from satudata.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        sop_load(actor=walidata, path=DEFAULT_SOP_FILE)


def test_the_load_command_is_idempotent(db, capsys):
    from django.core.management import call_command

    call_command("load_sop")
    call_command("load_sop", str(DEFAULT_SOP_FILE))
    assert Sop.objects.count() == 1
    assert "revision 3" in capsys.readouterr().out
