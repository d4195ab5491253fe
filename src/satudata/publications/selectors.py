"""Reads of SOP steps 4-6 that encode a rule: who sees which publication, what is late.

Producers see their own agency's publications only; walidata, the supervisor and the
administrator see every agency's (publications.permissions says the same for one row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.accounts.permissions import user_role
from satudata.accounts.roles import AGENCY_ROLES, Role
from satudata.publications.choices import PostState, PublicationState
from satudata.publications.models import (
    Post,
    Publication,
    PublicationStep,
    PublicationVersion,
)
from satudata.publications.permissions import may_view_publications
from satudata.publications.timing import standard
from satudata.sop.durations import duration_text, late_text, standard_text

# The SOP's words for the three steps a publication goes through (DOMAIN.md, steps 4-6).
STEP_NAMES = {
    4: _("Prepare the draft publication"),
    5: _("Review the draft publication"),
    6: _("Publish on the channels"),
}

PAGE_SIZE = 50


def publications_visible_to(user: Any) -> QuerySet[Publication]:
    """The publications the user may see: his agency's for a producer, all for the others."""
    if not may_view_publications(user):
        return Publication.objects.none()
    rows = Publication.objects.all()
    if user_role(user) in AGENCY_ROLES:
        rows = rows.filter(agency_id=user.agency_id)
    return rows


@dataclass(frozen=True)
class ListFilters:
    """The list page's filters; `agency` is ignored for producers (they see their own)."""

    agency: int | None = None
    state: str = ""


def publication_rows(user: Any, filters: ListFilters) -> QuerySet[Publication]:
    """The list page's rows, newest first, each with its running step (`running`) loaded."""
    rows = publications_visible_to(user).select_related("agency", "assignee")
    if filters.agency and user_role(user) not in AGENCY_ROLES:
        rows = rows.filter(agency_id=filters.agency)
    if filters.state in PublicationState.values:
        rows = rows.filter(state=filters.state)
    return rows.prefetch_related(
        Prefetch(
            "steps",
            queryset=PublicationStep.objects.filter(ended_at__isnull=True).select_related(
                "responsible"
            ),
            to_attr="running",
        )
    )


@dataclass
class StepRow:
    """One run of step 4, 5 or 6 as the timeline shows it."""

    step: PublicationStep
    name: str
    standard: str
    actual: str
    is_late: bool
    late: str

    @property
    def is_running(self) -> bool:
        return self.step.ended_at is None


def step_rows(publication: Publication, now: dt.datetime | None = None) -> list[StepRow]:
    """Every run of the publication's steps, in order: standard against actual time."""
    now = now or timezone.now()
    standards: dict[int, str] = {}
    rows = []
    for step in publication.steps.select_related("responsible").order_by("started_at", "pk"):
        if step.number not in standards:
            amount, unit = standard(step.number)
            standards[step.number] = standard_text(amount, unit)
        end = step.ended_at or now
        is_late = step.is_late_at(now)
        rows.append(
            StepRow(
                step=step,
                name=str(STEP_NAMES.get(step.number, step.number)),
                standard=standards[step.number],
                actual=duration_text(end - step.started_at),
                is_late=is_late,
                late=late_text(end - step.due_at) if is_late else "",
            )
        )
    return rows


@dataclass
class DueStep:
    """A running step of the agency that is late or due today, for the home page."""

    step: PublicationStep
    name: str
    is_late: bool
    late: str


def agency_steps_due(agency_id: int, now: dt.datetime | None = None) -> list[DueStep]:
    """The agency's running steps that are late, then those due before today ends."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    end_of_today = local.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    steps = (
        PublicationStep.objects.filter(
            publication__agency_id=agency_id,
            ended_at__isnull=True,
            due_at__lt=end_of_today,
        )
        .select_related("publication", "responsible")
        .order_by("due_at", "pk")
    )
    return [
        DueStep(
            step=step,
            name=str(STEP_NAMES.get(step.number, step.number)),
            is_late=step.due_at < now,
            late=late_text(now - step.due_at) if step.due_at < now else "",
        )
        for step in steps
    ]


def publications_waiting_for(user: Any) -> QuerySet[Publication]:
    """What is the user's to do now: drafts for an operator, drafts to review for a head."""
    role = user_role(user)
    rows = publications_visible_to(user)
    if role == Role.PRODUCER_OPERATOR:
        # Drafts to write, and approved ones to publish (step 6 is the operator's too).
        return rows.filter(
            assignee_id=user.pk,
            state__in=[PublicationState.DRAFTING, PublicationState.APPROVED],
        )
    if role == Role.PRODUCER_HEAD:
        return rows.filter(state=PublicationState.SUBMITTED)
    return rows.none()


def version_pair(
    publication: Publication, number: int | None = None
) -> tuple[PublicationVersion | None, PublicationVersion | None]:
    """(version n-1, version n); n is the newest when not given. (None, None) without versions."""
    versions = publication.versions.all()
    current = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if current is None:
        return None, None
    previous = versions.filter(number=current.number - 1).first()
    return previous, current


def posts_failed(limit: int = 50) -> QuerySet[Post]:
    """Posts whose sending failed, newest first (the administrator's jobs page lists them:
    their job itself ended well, having stored the network's refusal on the post)."""
    return (
        Post.objects.filter(state=PostState.FAILED)
        .select_related("channel", "publication", "publication__agency")
        .order_by("-queued_at", "-pk")[:limit]
    )
