"""Step 6: posting an approved publication to its channels, and the proof of posts by hand.

A post goes pending -> queued -> posting -> posted | failed; failed -> queued again on retry.
The job (tasks.send_post) claims a queued row before it calls the network and stores the
network's answer after; a row that is not queued is left alone, so a job delivered twice, or a
retry of a post that went out, never posts twice. The portal channel needs no network: it is
posted at once. When the last post is done, `publication_settle` publishes the publication.

A worker killed during the network call leaves its post "posting", and nobody can know whether
the network got it. Such a post is never sent again by itself: when its job runs again (the
worker's recovery queues it) or when it has been "posting" longer than any call lasts, it turns
failed with a message saying to look at the channel first; then a person retries or records it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image

from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import SystemActor, require
from satudata.core.errors import DomainError, InvalidTransition
from satudata.core.jobs import enqueue_on_commit
from satudata.publications.choices import (
    CardSize,
    ChannelKind,
    PostState,
    PublicationState,
    ReviewDecision,
)
from satudata.publications.connectors import ConnectorError, PostContent, Sent, connector_for
from satudata.publications.models import Post, Publication
from satudata.publications.permissions import may_publish
from satudata.publications.secrets import credentials_open, scrub
from satudata.publications.services import publication_settle

logger = logging.getLogger(__name__)

MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024
SCREENSHOT_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=5)
# Far longer than a connector's calls can take (a few 20-second requests): past this, the job
# that claimed a "posting" row is gone.
POSTING_STALE_AFTER = dt.timedelta(minutes=15)
JOB_ACTOR = SystemActor("job:post_send")


def _snap(post: Post) -> dict[str, Any]:
    return snapshot(post)


def _audit(actor: Any, action: str, post: Post, before: dict[str, Any] | None) -> None:
    audit_record(actor=actor, action=action, target=post, before=before, after=_snap(post))


def post_key(post: Post) -> str:
    """Our own id of a post on every network (the WordPress slug): finds an earlier attempt."""
    return f"satudata-{post.pk}"


def public_link(publication: Publication) -> str:
    """The publication's public page on the portal, absolute (posts link to it)."""
    return f"{settings.SITE_URL.rstrip('/')}/publikasi/{publication.slug}/"


def card_link(publication: Publication, size: str) -> str:
    """The public address of a card: networks that fetch images themselves read it here.

    "" when the publication has no such card. While the publication is only approved the
    public part signs the address (selectors_public.card_address), so the network can fetch
    the card before the publication is shown to everyone.
    """
    if not publication.cards.filter(size=size).exclude(image="").exists():
        return ""
    try:
        from satudata.publications.selectors_public import card_address
    except ImportError:  # the public pages are not installed: the plain address
        return f"{settings.SITE_URL.rstrip('/')}/publikasi/{publication.slug}/kartu/{size}.png"
    return card_address(publication, size)


def posts_of(publication: Publication) -> QuerySet[Post]:
    """A publication's posts with their channels, for its page."""
    return publication.posts.select_related("channel", "recorded_by").order_by(
        "channel__kind", "pk"
    )


def approved_at(publication: Publication) -> dt.datetime | None:
    return (
        publication.reviews.filter(decision=ReviewDecision.APPROVED)
        .order_by("-decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )


def _card_bytes(publication: Publication, size: str) -> bytes | None:
    card = publication.cards.filter(size=size).first()
    if card is None or not card.image:
        return None
    try:
        with card.image.open("rb") as handle:
            return handle.read()
    except OSError:  # the row outlived its file: post without the picture
        return None


def post_content(post: Post) -> PostContent:
    """The publication as the networks receive it (in the site's own language)."""
    publication = post.publication
    link = public_link(publication)
    with translation.override(settings.LANGUAGE_CODE):
        more = _("Tables, charts and the data are on the Satu Data portal")
    text = "\n\n".join(
        part
        for part in (publication.caption or publication.title, publication.hashtags, link)
        if part
    )
    html = f'{publication.body}\n<p><a href="{escape(link)}">{escape(more)}</a></p>'
    kind = post.channel.kind
    wants_upload = kind in (ChannelKind.WORDPRESS, ChannelKind.X)
    return PostContent(
        key=post_key(post),
        title=publication.title,
        html=html,
        text=text,
        link=link,
        image_url=card_link(publication, CardSize.SQUARE),
        image=_card_bytes(publication, CardSize.LANDSCAPE) if wants_upload else None,
        image_name=f"{publication.slug}.png",
    )


def _post_to_portal(post: Post, now: dt.datetime) -> None:
    # The portal's own section shows the publication at its public address: nothing to send.
    post.state = PostState.POSTED
    post.attempts += 1
    post.posted_at = now
    post.url = public_link(post.publication)
    post.external_id = post.publication.slug
    post.error = ""


@transaction.atomic
def post_queue(
    *, actor: Any, publication: Publication, posts: list[Post] | None = None
) -> list[Post]:
    """Publish now: queue every waiting or failed post (or those given) of an approved draft."""
    require(actor, lambda user: may_publish(user, publication.agency_id))
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.state != PublicationState.APPROVED:
        raise InvalidTransition(_("Only an approved publication can be published."))
    rows = (
        Post.objects.select_for_update(of=("self",))
        .select_related("channel", "publication")
        .filter(publication=publication, state__in=[PostState.PENDING, PostState.FAILED])
        .exclude(channel__kind=ChannelKind.MANUAL)
        .order_by("pk")
    )
    if posts is not None:
        rows = rows.filter(pk__in=[post.pk for post in posts])
    queued = list(rows)
    if not queued:
        raise DomainError(
            _("Nothing to send: every channel is posted, on its way, or posted by hand.")
        )
    from satudata.publications.services_cards import cards_generate
    from satudata.publications.tasks import send_post

    if any(post.channel.kind != ChannelKind.PORTAL for post in queued):
        # The networks show the cards: make the missing or stale ones now, once, rather than
        # in each channel's job (which would race to draw the same files).
        cards_generate(actor=actor, publication=publication)
    now = timezone.now()
    for post in queued:
        before = _snap(post)
        if post.channel.kind == ChannelKind.PORTAL:
            _post_to_portal(post, now)
            post.save()
            _audit(actor, "post.posted", post, before)
            continue
        post.state = PostState.QUEUED
        post.queued_at = now
        post.error = ""
        post.save()
        _audit(actor, "post.queue", post, before)
        enqueue_on_commit(send_post, post.pk)
    publication_settle(actor=actor, publication=publication)
    return queued


@transaction.atomic
def post_retry(*, actor: Any, post: Post) -> Post:
    """Send a failed post again (a new job); a post that went out is never sent again."""
    require(actor, lambda user: may_publish(user, post.publication.agency_id))
    post = Post.objects.select_for_update().select_related("channel", "publication").get(pk=post.pk)
    if post.publication.state != PublicationState.APPROVED:
        raise InvalidTransition(_("Only an approved publication can be published."))
    if post.state != PostState.FAILED:
        raise InvalidTransition(
            _("Only a failed post can be retried; this one is “%(state)s”.")
            % {"state": PostState(post.state).label}
        )
    if post.channel.kind == ChannelKind.MANUAL:
        raise DomainError(_("This channel is posted by hand: record the link instead."))
    before = _snap(post)
    post.state = PostState.QUEUED
    post.queued_at = timezone.now()
    post.error = ""
    post.save()
    _audit(actor, "post.retry", post, before)
    from satudata.publications.tasks import send_post

    enqueue_on_commit(send_post, post.pk)
    return post


def _claim(post_id: int) -> tuple[Post, dict[str, Any]] | None:
    with transaction.atomic():
        post = (
            Post.objects.select_for_update(of=("self",))
            .select_related("channel", "publication")
            .filter(pk=post_id)
            .first()
        )
        if post is not None and post.state == PostState.POSTING:
            # One job at a time sends a post; this one finding it "posting" means an earlier
            # run of it died mid-call (its worker was killed, and recovery queued it again).
            _interrupted(post)
            return None
        # Only a queued post is sent: posted and failed ones are left.
        if post is None or post.state != PostState.QUEUED:
            return None
        before = _snap(post)
        post.state = PostState.POSTING
        post.attempts += 1
        post.sending_since = timezone.now()
        post.save(update_fields=["state", "attempts", "sending_since"])
    return post, before


def _interrupted(post: Post) -> None:
    """Fail a post whose sending was cut off; it is not sent again without a person's word."""
    before = _snap(post)
    with translation.override(settings.LANGUAGE_CODE):
        post.error = _(
            "The sending was interrupted (the background worker stopped). The post may or may "
            "not have reached the channel: look at the channel first, then retry, or record "
            "the post by hand if it is there."
        )
    post.state = PostState.FAILED
    post.sending_since = None
    post.save(update_fields=["state", "error", "sending_since"])
    _audit(JOB_ACTOR, "post.interrupted", post, before)


def posts_interrupted_fail(*, now: dt.datetime | None = None) -> int:
    """Fail the posts left "posting" by a dead worker; how many (the worker's recovery sweep)."""
    now = now or timezone.now()
    stale = Post.objects.filter(
        state=PostState.POSTING, sending_since__lt=now - POSTING_STALE_AFTER
    )
    failed = 0
    for post_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            post = Post.objects.select_for_update(of=("self",)).filter(pk=post_id).first()
            # Read again under the lock: the job may have finished in between.
            if (
                post
                and post.state == PostState.POSTING
                and post.sending_since < now - (POSTING_STALE_AFTER)
            ):
                _interrupted(post)
                failed += 1
    return failed


def _send(post: Post) -> Sent | str:
    """Call the connector; the network's answer, or the message to show (never a secret)."""
    channel = post.channel
    secrets: dict[str, str] = {}
    try:
        if not channel.is_active:
            return _("This channel is switched off. Switch it on, or record the post by hand.")
        connector = connector_for(channel.kind)
        if connector is None:
            return _("This channel has no connector: record the post by hand.")
        secrets = credentials_open(channel.credentials)
        return connector.send(
            address=channel.address, credentials=secrets, content=post_content(post)
        )
    except ConnectorError as error:
        return scrub(error.message, secrets)
    except DomainError as error:
        return error.message
    except Exception:  # a bug must not leave the post "posting" for ever
        logger.exception("posting %s to channel %s failed", post.pk, channel.pk)
        return _(
            "An unexpected error stopped the posting; the administrator can see it in the log."
        )


def post_send(*, post_id: int) -> Post | None:
    """The job body: claim the queued post, call its network, store the answer; once."""
    claimed = _claim(post_id)
    if claimed is None:
        return None
    post, before = claimed
    # Messages are stored once and read later by the agency: in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        outcome = _send(post)  # outside any transaction: the network may take 20 seconds
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("publication").get(pk=post.pk)
        if isinstance(outcome, Sent):
            post.state = PostState.POSTED
            post.external_id = outcome.external_id[:200]
            post.url = outcome.url[:500]
            post.posted_at = timezone.now()
            post.error = ""
            post.sending_since = None
            post.save()
            _audit(JOB_ACTOR, "post.posted", post, before)
            publication_settle(actor=JOB_ACTOR, publication=post.publication)
        else:
            post.state = PostState.FAILED
            post.error = outcome
            post.sending_since = None
            post.save()
            _audit(JOB_ACTOR, "post.failed", post, before)
    return post


def screenshot_check(upload: UploadedFile) -> str:
    """The file's extension if it is a real image of at most 5 MB; DomainError otherwise."""
    if upload.size is not None and upload.size > MAX_SCREENSHOT_BYTES:
        raise DomainError(
            _("The screenshot is too large (%(size)s MB): at most 5 MB is accepted.")
            % {"size": f"{upload.size / 1024 / 1024:.1f}"}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            kind = image.format
    except Exception:  # Pillow raises many types for a file that is not an image
        kind = None
    upload.seek(0)
    if kind not in SCREENSHOT_FORMATS:
        raise DomainError(
            _("The screenshot is not an image: upload a PNG, JPEG or WebP picture of the post.")
        )
    return SCREENSHOT_FORMATS[kind]


def _proof_time(publication: Publication, posted_at: dt.datetime | None) -> dt.datetime:
    if posted_at is None:
        raise DomainError(_("Say when the post was made."))
    if timezone.is_naive(posted_at):
        posted_at = timezone.make_aware(posted_at)
    if posted_at > timezone.now() + CLOCK_SKEW:
        raise DomainError(_("The time of the post cannot be in the future."))
    approved = approved_at(publication)
    if approved is not None and posted_at < approved - CLOCK_SKEW:
        raise DomainError(
            _("The time of the post cannot be before the approval (%(approved)s).")
            % {"approved": timezone.localtime(approved).strftime("%d-%m-%Y %H:%M")}
        )
    return posted_at


@transaction.atomic
def post_record_manual(
    *,
    actor: Any,
    post: Post,
    url: str,
    posted_at: dt.datetime | None,
    screenshot: UploadedFile | None = None,
) -> Post:
    """Proof of a post made by hand (manual channels, or any channel as a fallback)."""
    require(actor, lambda user: may_publish(user, post.publication.agency_id))
    post = Post.objects.select_for_update().select_related("channel", "publication").get(pk=post.pk)
    if post.publication.state != PublicationState.APPROVED:
        raise InvalidTransition(_("Only an approved publication can be published."))
    if post.state == PostState.POSTED:
        raise InvalidTransition(_("This channel is already posted."))
    if post.state == PostState.POSTING:
        raise InvalidTransition(_("This post is being sent right now: wait for its result."))
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(_("Enter the post's link, starting with http:// or https://.")) from None
    when = _proof_time(post.publication, posted_at)
    extension = screenshot_check(screenshot) if screenshot else ""
    before = _snap(post)
    if screenshot:
        name = f"{post.pk}-{uuid.uuid4().hex[:12]}.{extension}"
        post.screenshot.save(name, screenshot, save=False)
    post.state = PostState.POSTED
    post.url = url[:500]
    post.posted_at = when
    post.error = ""
    post.recorded_by = actor if getattr(actor, "pk", None) else None
    post.save()
    _audit(actor, "post.record_manual", post, before)
    publication_settle(actor=actor, publication=post.publication)
    return post
