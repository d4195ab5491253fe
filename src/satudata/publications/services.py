"""The writes of SOP steps 4 and 5: instruction, draft, submission, review; and settling step 6.

Each service takes the acting user first, checks permission, runs in one transaction, moves the
state through the one table in states.py, records step times (PublicationStep) and writes the
audit entry. Posting to channels (step 6) is in posting.py; it calls `publication_settle`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import require
from satudata.core.errors import DomainError, InvalidTransition
from satudata.notifications.services import notifications_create
from satudata.publications import states
from satudata.publications.blocks import clean_blocks
from satudata.publications.choices import ChannelKind, PostState, PublicationState, ReviewDecision
from satudata.publications.cycle_links import cycle_step_finish, cycle_step_start
from satudata.publications.models import (
    Channel,
    Post,
    Publication,
    PublicationStep,
    PublicationVersion,
    Review,
)
from satudata.publications.permissions import may_draft, may_instruct, may_review
from satudata.publications.sanitize import clean_html, clean_text
from satudata.publications.timing import due_at

AUDITED = {"exclude": ("body", "blocks", "caption")}


def _snap(publication: Publication) -> dict[str, Any]:
    return snapshot(publication, **AUDITED)


def _link(publication: Publication) -> str:
    return reverse("publications:detail", args=[publication.pk])


def channel_portal(agency: Agency) -> Channel:
    """The agency's portal channel (the portal's own publications section), made on first use."""
    channel, _created = Channel.objects.get_or_create(
        agency=agency,
        kind=ChannelKind.PORTAL,
        defaults={"name": _("Portal publications")},
    )
    return channel


def _step_start(publication: Publication, number: int, responsible: Any, at: dt.datetime) -> None:
    PublicationStep.objects.create(
        publication=publication,
        number=number,
        started_at=at,
        due_at=due_at(number, at),
        responsible=responsible,
    )
    cycle_step_start(publication, number, at)


# What each step hands on, as the cycle page names it.
STEP_OUTPUTS = {
    4: gettext_lazy("Draft publication"),
    5: gettext_lazy("Approved draft"),
    6: gettext_lazy("Published publication"),
}


def _step_end(publication: Publication, number: int, at: dt.datetime, *, returned=False) -> None:
    PublicationStep.objects.filter(
        publication=publication, number=number, ended_at__isnull=True
    ).update(ended_at=at, returned=returned)
    cycle_step_finish(
        publication,
        number,
        at,
        returned=returned,
        output_label=str(STEP_OUTPUTS[number]),
        output_url=_link(publication),
    )


def _heads(agency_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.PRODUCER_HEAD, agency_id=agency_id, is_active=True))


def _locked(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


@transaction.atomic
def publication_instruct(
    *,
    actor: Any,
    agency: Agency,
    assignee: User,
    topic: str,
    instruction: str = "",
    channels: Iterable[Channel] = (),
    items: Iterable[Any] = (),
    dataset: Any = None,
) -> Publication:
    """The head's instruction (disposisi) to an operator: step 4 starts, its clock with it."""
    require(actor, lambda user: may_instruct(user, agency.pk))
    topic = clean_text(topic)
    if not topic:
        raise DomainError(_("Say which data or topic the publication is about."))
    if (
        assignee.agency_id != agency.pk
        or assignee.role != Role.PRODUCER_OPERATOR
        or not assignee.is_active
    ):
        raise DomainError(_("Choose an active operator of your own agency."))
    channels = list(channels)
    if any(c.agency_id != agency.pk or not c.is_active for c in channels):
        raise DomainError(_("Choose active channels of your own agency."))
    items = list(items)
    if any(item.agency_id != agency.pk for item in items):
        raise DomainError(_("Choose data items of your own agency."))
    if not channels:  # agencies without a website or accounts publish on the portal
        channels = [channel_portal(agency)]
    now = timezone.now()
    publication = Publication.objects.create(
        agency=agency,
        instructed_by=actor,
        instructed_at=now,
        assignee=assignee,
        topic=topic[:300],
        instruction=clean_text(instruction),
        dataset=dataset,
        state=PublicationState.DRAFTING,
    )
    publication.channels.set(channels)
    publication.items.set(items)
    _step_start(publication, 4, assignee, now)
    # In the site's language, not the actor's: the recipient reads it (lateness.py too).
    with translation.override(settings.LANGUAGE_CODE):
        notifications_create(
            recipients=[assignee],
            title=_("New publication to draft: %(topic)s") % {"topic": publication.topic},
            body=publication.instruction,
            link=_link(publication),
        )
    audit_record(
        actor=actor,
        action="publication.instruct",
        target=publication,
        before=None,
        after=_snap(publication),
    )
    return publication


@transaction.atomic
def draft_save(
    *,
    actor: Any,
    publication: Publication,
    revision: int | None = None,
    **fields: Any,
) -> Publication:
    """Save the draft as it stands (autosave). `revision` guards against a stale tab.

    Fields: title, body (sanitized HTML), caption, hashtags, blocks, dataset. Saving does not
    write an audit entry each time (a draft saves every few seconds); submission does.
    """
    require(actor, lambda user: may_draft(user, publication.agency_id))
    publication = _locked(publication)
    if publication.state not in states.EDITABLE:
        raise InvalidTransition(_("This draft is with the head or done: it can no longer change."))
    if revision is not None and revision != publication.revision:
        raise InvalidTransition(
            _(
                "This draft was changed elsewhere (another tab or person) since you opened it. "
                "Reload the page to see the newest text; your typing is kept below."
            )
        )
    unknown = set(fields) - {"title", "body", "caption", "hashtags", "blocks", "dataset"}
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "title" in fields:
        publication.title = clean_text(fields["title"])[:300]
    if "body" in fields:
        publication.body = clean_html(fields["body"])
    if "caption" in fields:
        publication.caption = clean_text(fields["caption"])
    if "hashtags" in fields:
        publication.hashtags = clean_text(fields["hashtags"])[:500]
    if "blocks" in fields:
        publication.blocks = clean_blocks(fields["blocks"], agency_id=publication.agency_id)
    if "dataset" in fields:
        publication.dataset = fields["dataset"]
    publication.revision += 1
    publication.saved_at = timezone.now()
    publication.save()
    return publication


@transaction.atomic
def draft_submit(*, actor: Any, publication: Publication) -> PublicationVersion:
    """Step 4 ends: the draft becomes version n and goes to the head (step 5 starts)."""
    require(actor, lambda user: may_draft(user, publication.agency_id))
    publication = _locked(publication)
    new_state = states.next_state(publication.state, states.SUBMIT)
    missing = [
        label
        for label, value in ((_("title"), publication.title), (_("body"), publication.body))
        if not value.strip()
    ]
    if missing:
        raise DomainError(
            _("The draft needs a %(fields)s before it can be submitted.")
            % {"fields": _(" and ").join(str(m) for m in missing)}
        )
    before = _snap(publication)
    now = timezone.now()
    publication.version += 1
    version = PublicationVersion.objects.create(
        publication=publication,
        number=publication.version,
        title=publication.title,
        body=publication.body,
        caption=publication.caption,
        hashtags=publication.hashtags,
        blocks=publication.blocks,
        submitted_by=actor,
        submitted_at=now,
    )
    publication.state = new_state
    publication.save()
    _step_end(publication, 4, now)
    _step_start(publication, 5, publication.instructed_by, now)
    with translation.override(settings.LANGUAGE_CODE):
        notifications_create(
            recipients=_heads(publication.agency_id),
            title=_("Publication to review: %(title)s (version %(n)s)")
            % {"title": publication.title, "n": version.number},
            link=_link(publication),
        )
    audit_record(
        actor=actor,
        action="publication.submit",
        target=publication,
        before=before,
        after=_snap(publication),
    )
    return version


def _decide(
    actor: Any, publication: Publication, move: str, decision: str, comment: str
) -> tuple[Publication, Review, dict[str, Any], dt.datetime]:
    require(actor, lambda user: may_review(user, publication.agency_id))
    publication = _locked(publication)
    new_state = states.next_state(publication.state, move)
    before = _snap(publication)
    now = timezone.now()
    version = publication.versions.order_by("-number").first()
    review = Review.objects.create(
        publication=publication,
        version=version,
        decision=decision,
        comment=clean_text(comment),
        decided_by=actor,
        decided_at=now,
    )
    publication.state = new_state
    return publication, review, before, now


@transaction.atomic
def publication_approve(*, actor: Any, publication: Publication, comment: str = "") -> Review:
    """Step 5 ends approved; step 6 starts: one post per target channel, waiting to be sent."""
    publication, review, before, now = _decide(
        actor, publication, states.APPROVE, ReviewDecision.APPROVED, comment
    )
    # The public address is fixed now, so posts can link to it before the last channel is done.
    publication.slug = _unique_slug(publication)
    publication.save()
    _step_end(publication, 5, now)
    _step_start(publication, 6, publication.assignee, now)
    Post.objects.bulk_create(
        Post(publication=publication, channel=channel, state=PostState.PENDING)
        for channel in publication.channels.all()
    )
    with translation.override(settings.LANGUAGE_CODE):
        notifications_create(
            recipients=[publication.assignee],
            title=_("Approved, publish it now: %(title)s") % {"title": publication.title},
            body=review.comment,
            link=_link(publication),
        )
    audit_record(
        actor=actor,
        action="publication.approve",
        target=publication,
        before=before,
        after=_snap(publication),
    )
    return review


@transaction.atomic
def publication_return(*, actor: Any, publication: Publication, comment: str) -> Review:
    """Step 5 ends returned: the draft goes back to step 4, whose clock starts again."""
    if not clean_text(comment):
        raise DomainError(_("Say what must change: a returned draft needs a comment."))
    publication, review, before, now = _decide(
        actor, publication, states.RETURN, ReviewDecision.RETURNED, comment
    )
    publication.save()
    _step_end(publication, 5, now, returned=True)
    _step_start(publication, 4, publication.assignee, now)
    with translation.override(settings.LANGUAGE_CODE):
        notifications_create(
            recipients=[publication.assignee],
            title=_("Returned for revision: %(title)s") % {"title": publication.title},
            body=review.comment,
            link=_link(publication),
        )
    audit_record(
        actor=actor,
        action="publication.return",
        target=publication,
        before=before,
        after=_snap(publication),
    )
    return review


@transaction.atomic
def publication_cancel(*, actor: Any, publication: Publication, reason: str) -> Publication:
    """The head withdraws an instruction still being drafted."""
    require(actor, lambda user: may_instruct(user, publication.agency_id))
    if not clean_text(reason):
        raise DomainError(_("Give a reason for cancelling."))
    publication = _locked(publication)
    new_state = states.next_state(publication.state, states.CANCEL)
    before = _snap(publication)
    publication.state = new_state
    publication.save()
    _step_end(publication, 4, timezone.now())
    audit_record(
        actor=actor,
        action="publication.cancel",
        target=publication,
        before=before,
        after={**_snap(publication), "reason": clean_text(reason)},
    )
    return publication


def _unique_slug(publication: Publication) -> str:
    base = slugify(publication.title)[:100] or "publikasi"
    slug, n = base, 1
    while Publication.objects.filter(~Q(pk=publication.pk), slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def publication_settle(*, actor: Any, publication: Publication) -> Publication:
    """When every post of an approved publication is done, it is published and step 6 ends.

    Called inside the posting services' transactions (posting.py); does nothing otherwise.
    """
    publication = _locked(publication)
    if publication.state != PublicationState.APPROVED:
        return publication
    posts = list(publication.posts.all())
    if not posts or any(post.state != PostState.POSTED for post in posts):
        return publication
    before = _snap(publication)
    now = max(post.posted_at or timezone.now() for post in posts)
    publication.state = states.next_state(publication.state, states.PUBLISH)
    publication.published_at = now
    publication.save()
    _step_end(publication, 6, now)
    audit_record(
        actor=actor,
        action="publication.publish",
        target=publication,
        before=before,
        after=_snap(publication),
    )
    return publication
