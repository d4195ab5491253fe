"""Steps 4-6 of a publication recorded in the open dissemination cycle (sop app), by themselves.

Walidata's cycle page shows each agency's publications as step runs; without this link someone
would have to record by hand what the publication workflow already knows. A publication belongs
to the cycle open when its step starts; when no cycle is open, or the cycle started after the
publication's instruction, nothing is recorded (the publication's own step times still are).
"""

from __future__ import annotations

import datetime as dt
import logging

from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError
from satudata.publications.models import Publication
from satudata.sop.models import Cycle, StepRun
from satudata.sop.services import step_finish, step_start

logger = logging.getLogger(__name__)


def _actor(publication: Publication) -> SystemActor:
    return SystemActor(f"publication:{publication.pk}")


def reference(publication: Publication) -> str:
    return f"publication:{publication.pk}"


def cycle_step_start(publication: Publication, number: int, at: dt.datetime) -> StepRun | None:
    cycle = Cycle.objects.filter(closed_at__isnull=True).order_by("-started_at", "-pk").first()
    if cycle is None or at < cycle.started_at:
        return None
    try:
        return step_start(
            actor=_actor(publication),
            cycle=cycle,
            number=number,
            agency=publication.agency,
            reference=reference(publication),
            at=at,
        )
    except DomainError as exc:  # e.g. the earlier step ran before this cycle began
        logger.info("publication %s step %s not linked: %s", publication.pk, number, exc.message)
        return None


def cycle_step_finish(
    publication: Publication,
    number: int,
    at: dt.datetime,
    *,
    returned: bool = False,
    output_label: str = "",
    output_url: str = "",
) -> StepRun | None:
    run = (
        StepRun.objects.filter(
            reference=reference(publication),
            step__number=number,
            ended_at__isnull=True,
            cycle__closed_at__isnull=True,
        )
        .order_by("-started_at")
        .first()
    )
    if run is None:
        return None
    try:
        return step_finish(
            actor=_actor(publication),
            run=run,
            output_label=output_label,
            output_url=output_url,
            returned=returned,
            at=max(at, run.started_at),
        )
    except DomainError as exc:
        logger.info("publication %s step %s not closed: %s", publication.pk, number, exc.message)
        return None
