"""Every change to the SOP and its cycles: load, revise, start a cycle, record steps, close.

Each service takes the acting user first, checks permission, runs in one transaction and
writes its audit entry. Times default to now; `at=` lets a step be recorded after the fact
(walidata often learns of a producer's publication later) but never in the future.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.accounts.roles import Role
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import require
from satudata.core.errors import DomainError, InvalidTransition
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.sop.choices import TimeUnit
from satudata.sop.constants import CYCLE_PERIODICITIES, HEADER_FIELDS, STEP_FIELDS
from satudata.sop.models import Cycle, Sop, SopStep, StepRun
from satudata.sop.permissions import (
    may_manage_cycles,
    may_manage_sop,
    may_record_step,
    may_record_steps,
)

_DATE_FIELDS = ("made_on", "revised_on", "ratified_on")
_LIST_FIELDS = ("legal_basis", "qualifications", "related_units", "equipment", "warnings")


def _user(actor: Any) -> Any:
    """The actor as a row for created_by/started_by; None for the system."""
    return actor if getattr(actor, "pk", None) is not None else None


def _sop_snapshot(sop: Sop) -> dict[str, Any]:
    data = snapshot(sop)
    data["steps"] = [snapshot(s, exclude=("id", "sop")) for s in sop.steps.order_by("number")]
    return data


# --- the SOP ---------------------------------------------------------------------------


def _read_sop_file(path: Path) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    """Revision, header fields and steps from an SOP file (see sop/data/ for its shape)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        header: dict[str, Any] = {
            "number": raw["number"],
            "name": raw["name"],
            "ratified_by_name": raw["ratified_by"]["name"],
            "ratified_by_nip": raw["ratified_by"].get("nip", ""),
            "ratified_by_position": raw["ratified_by"]["position"],
            "recording": "\n".join(raw.get("recording", [])),
        }
        for name in _DATE_FIELDS:
            value = raw.get(name)
            header[name] = dt.date.fromisoformat(value) if value else None
        for name in _LIST_FIELDS:
            header[name] = "\n".join(raw.get(name, []))
        steps = [
            {
                "number": int(s["number"]),
                "description": s["description"],
                "performer": s["performer"],
                "requirement": s.get("requirement", ""),
                "time_amount": int(s["time"]["amount"]),
                "time_unit": s["time"]["unit"],
                "output": s.get("output", ""),
                "note": s.get("note", ""),
            }
            for s in raw["steps"]
        ]
        return int(raw["revision"]), header, steps
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DomainError(
            _("The SOP file cannot be read: %(error)s") % {"error": str(exc) or type(exc).__name__}
        ) from exc


def _same_content(sop: Sop, header: dict[str, Any], steps: list[dict[str, Any]]) -> bool:
    if any(getattr(sop, name) != header[name] for name in HEADER_FIELDS):
        return False
    stored = [
        {name: getattr(s, name) for name in STEP_FIELDS} for s in sop.steps.order_by("number")
    ]
    return stored == sorted(steps, key=lambda s: s["number"])


def _clean_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Steps numbered 1..n without gaps, each with a known performer and unit."""
    if not steps:
        raise DomainError(_("An SOP needs at least one step."))
    ordered = sorted(steps, key=lambda s: int(s["number"]))
    numbers = [int(s["number"]) for s in ordered]
    if numbers != list(range(1, len(ordered) + 1)):
        raise DomainError(_("Steps must be numbered 1, 2, 3… without gaps or repeats."))
    for step in ordered:
        if step["performer"] not in Role.values:
            raise DomainError(_("Unknown performer: %(role)s") % {"role": step["performer"]})
        if step["time_unit"] not in TimeUnit.values:
            raise DomainError(_("Unknown unit of time: %(unit)s") % {"unit": step["time_unit"]})
        if int(step["time_amount"]) < 1:
            raise DomainError(_("A standard time must be at least 1."))
    return ordered


def _create_revision(
    *, actor: Any, revision: int, header: dict[str, Any], steps: list[dict[str, Any]]
) -> Sop:
    sop = Sop(revision=revision, created_by=_user(actor), **header)
    try:
        sop.full_clean(exclude=["is_current", "created_by"])
    except ValidationError as exc:
        raise DomainError(_("The SOP is not valid."), errors=exc.messages) from exc
    sop.save()
    for step in _clean_steps(steps):
        row = SopStep(sop=sop, **{name: step[name] for name in STEP_FIELDS})
        try:
            row.full_clean(exclude=["sop"])
        except ValidationError as exc:
            raise DomainError(
                _("Step %(number)s is not valid.") % {"number": step["number"]},
                errors=exc.messages,
            ) from exc
        row.save()
    return sop


def _make_current(sop: Sop) -> None:
    # Unset first: the conditional unique constraint allows one current row at any moment.
    Sop.objects.filter(is_current=True).exclude(pk=sop.pk).update(is_current=False)
    Sop.objects.filter(pk=sop.pk).update(is_current=True)
    sop.is_current = True


@transaction.atomic
def sop_load(*, actor: Any, path: Path | str) -> Sop:
    """Load an SOP revision from a JSON file; loading the same file again changes nothing."""
    require(actor, may_manage_sop)
    revision, header, steps = _read_sop_file(Path(path))
    existing = Sop.objects.filter(revision=revision).first()
    if existing is not None:
        if _same_content(existing, header, steps):
            return existing
        raise DomainError(
            _(
                "Revision %(revision)s is already loaded with a different text; "
                "a changed SOP is a new revision."
            )
            % {"revision": revision}
        )
    sop = _create_revision(actor=actor, revision=revision, header=header, steps=steps)
    newest = Sop.objects.aggregate(top=Max("revision"))["top"]
    if revision == newest:
        _make_current(sop)
    audit_record(actor=actor, action="sop.load", target=sop, before=None, after=_sop_snapshot(sop))
    return sop


@transaction.atomic
def sop_revise(*, actor: Any, sop: Sop, steps: list[dict[str, Any]], **header: Any) -> Sop:
    """A new revision (number + 1) from the current one, made current; the old one is kept."""
    require(actor, may_manage_sop)
    sop = Sop.objects.select_for_update().get(pk=sop.pk)
    if not sop.is_current:
        raise InvalidTransition(_("Only the revision in force can be revised."))
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    fields = {name: header.get(name, getattr(sop, name)) for name in HEADER_FIELDS}
    revision = (Sop.objects.aggregate(top=Max("revision"))["top"] or 0) + 1
    new = _create_revision(actor=actor, revision=revision, header=fields, steps=steps)
    _make_current(new)
    audit_record(
        actor=actor,
        action="sop.revise",
        target=new,
        before={"revision": sop.revision},
        after=_sop_snapshot(new),
    )
    return new


# --- cycles ----------------------------------------------------------------------------


def _moment(at: dt.datetime | None) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now
    if at > now:
        raise DomainError(_("A time in the future cannot be recorded."))
    return at


@transaction.atomic
def cycle_start(*, actor: Any, period: str, at: dt.datetime | None = None) -> Cycle:
    """Start the dissemination cycle of a month, quarter or year under the SOP in force."""
    require(actor, may_manage_cycles)
    try:
        value = Period.parse(period)
    except InvalidPeriod as exc:
        raise DomainError(
            _("“%(period)s” is not a month (2026-11), a quarter (2026-Q4) or a year (2026).")
            % {"period": period}
        ) from exc
    if value.periodicity not in CYCLE_PERIODICITIES:
        raise DomainError(_("A cycle runs for a month, a quarter or a year."))
    moment = _moment(at)
    if value.start > timezone.localtime(moment).date():
        raise DomainError(
            _("The period %(period)s has not begun: its data cannot be disseminated yet.")
            % {"period": value.key}
        )
    sop = Sop.objects.filter(is_current=True).first()
    if sop is None:
        raise DomainError(_("No SOP is loaded yet: load one first (satudata load-sop)."))
    if Cycle.objects.filter(period=value.key).exists():
        raise DomainError(_("A cycle for %(period)s already exists.") % {"period": value.key})
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                period=value.key, sop=sop, started_at=moment, started_by=_user(actor)
            )
    except IntegrityError as exc:  # two walidata clicking at once
        raise DomainError(
            _("A cycle for %(period)s already exists.") % {"period": value.key}
        ) from exc
    audit_record(
        actor=actor, action="cycle.start", target=cycle, before=None, after=snapshot(cycle)
    )
    return cycle


def _open_cycle(cycle: Cycle) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_closed:
        raise InvalidTransition(_("This cycle is closed: its steps can no longer change."))
    return cycle


def _latest(cycle: Cycle, step: SopStep, agency: Agency | None, reference: str) -> StepRun | None:
    return (
        StepRun.objects.filter(cycle=cycle, step=step, agency=agency, reference=reference)
        .order_by("-started_at", "-pk")
        .first()
    )


def _check_order(cycle: Cycle, step: SopStep, agency: Agency | None, reference: str) -> None:
    """A step waits for the step before it in the same track (walidata's or one publication's).

    Crossing tracks does not wait: producers may draft (4) before the portal step (3) is done,
    and walidata may start the report (7) while some publications are still running.
    """
    previous = cycle.sop.steps.filter(number=step.number - 1).first()
    if previous is None or previous.per_agency != step.per_agency:
        return
    run = _latest(cycle, previous, agency, reference)
    if run is None or run.is_running or run.returned:
        raise InvalidTransition(
            _("Step %(number)s can start only when step %(previous)s is finished.")
            % {"number": step.number, "previous": previous.number}
        )


@transaction.atomic
def step_start(
    *,
    actor: Any,
    cycle: Cycle,
    number: int,
    agency: Agency | None = None,
    reference: str = "",
    at: dt.datetime | None = None,
) -> StepRun:
    """Record that a step of the cycle began (for producers' steps: for one agency)."""
    require(actor, may_record_steps)
    cycle = _open_cycle(cycle)
    step = cycle.sop.steps.filter(number=number).first()
    if step is None:
        raise DomainError(_("The SOP of this cycle has no step %(number)s.") % {"number": number})
    require(actor, lambda user: may_record_step(user, step, getattr(agency, "pk", None)))
    if step.per_agency and agency is None:
        raise DomainError(
            _("Step %(number)s is run per agency: name the agency.") % {"number": number}
        )
    if not step.per_agency and agency is not None:
        raise DomainError(
            _("Step %(number)s is walidata's: it has no agency.") % {"number": number}
        )
    moment = _moment(at)
    if moment < cycle.started_at:
        raise DomainError(_("A step cannot start before its cycle."))
    latest = _latest(cycle, step, agency, reference)
    if latest is not None and latest.is_running:
        raise InvalidTransition(_("Step %(number)s is already running.") % {"number": number})
    if latest is not None and not step.per_agency:
        raise InvalidTransition(
            _("Step %(number)s was already done in this cycle.") % {"number": number}
        )
    _check_order(cycle, step, agency, reference)
    run = StepRun.objects.create(
        cycle=cycle,
        step=step,
        agency=agency,
        reference=reference[:100],
        started_at=moment,
        started_by=_user(actor),
    )
    audit_record(actor=actor, action="step.start", target=run, before=None, after=snapshot(run))
    return run


def _valid_link(url: str) -> str:
    url = url.strip()
    if url and not url.startswith(("/", "https://", "http://")):
        raise DomainError(_("The output link must be an address (https://…) or a page (/app/…)."))
    return url


@transaction.atomic
def step_finish(
    *,
    actor: Any,
    run: StepRun,
    output_label: str = "",
    output_url: str = "",
    note: str = "",
    returned: bool = False,
    at: dt.datetime | None = None,
) -> StepRun:
    """Record that a step ended, with a link to its output; a review may send the draft back."""
    require(actor, may_record_steps)
    require(actor, lambda user: may_record_step(user, run.step, run.agency_id))
    run = StepRun.objects.select_for_update().select_related("step", "cycle").get(pk=run.pk)
    _open_cycle(run.cycle)
    if not run.is_running:
        raise InvalidTransition(_("This step was already finished."))
    if returned:
        previous = run.cycle.sop.steps.filter(number=run.step.number - 1).first()
        if previous is None or previous.per_agency != run.step.per_agency:
            raise DomainError(_("Only a review can send a draft back."))
    moment = _moment(at)
    if moment < run.started_at:
        raise DomainError(_("A step cannot end before it started."))
    before = snapshot(run)
    run.ended_at = moment
    run.done_by = _user(actor)
    run.output_label = output_label.strip()[:200]
    run.output_url = _valid_link(output_url)[:500]
    run.note = note.strip()
    run.returned = returned
    run.save()
    audit_record(actor=actor, action="step.finish", target=run, before=before, after=snapshot(run))
    return run


@transaction.atomic
def cycle_close(*, actor: Any, cycle: Cycle, at: dt.datetime | None = None) -> Cycle:
    """Close a cycle once its last step (the report) is done and nothing is running."""
    require(actor, may_manage_cycles)
    cycle = _open_cycle(cycle)
    if cycle.runs.filter(ended_at__isnull=True).exists():
        raise InvalidTransition(_("Some steps are still running: finish them first."))
    last = cycle.sop.steps.order_by("-number").first()
    if last is not None and not cycle.runs.filter(step=last, ended_at__isnull=False).exists():
        raise InvalidTransition(
            _("Step %(number)s is not done: the cycle cannot close yet.") % {"number": last.number}
        )
    before = snapshot(cycle)
    cycle.closed_at = _moment(at)
    cycle.save(update_fields=["closed_at"])
    audit_record(
        actor=actor, action="cycle.close", target=cycle, before=before, after=snapshot(cycle)
    )
    return cycle
