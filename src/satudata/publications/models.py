"""Publications of an agency's statistics (SOP steps 4-6) and the channels they go out on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.publications.choices import (
    CardSize,
    ChannelKind,
    PostState,
    PublicationState,
    ReviewDecision,
)


class Channel(models.Model):
    """Where an agency publishes: the portal, its WordPress site, a social account, or by hand.

    Credentials (an application password, a page token, API keys) are kept encrypted in
    `credentials` (publications.secrets) and never shown again after saving.
    """

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=120)
    # The site's address (WordPress), the page or account id (Facebook, Instagram), the handle.
    address = models.CharField(_("address or account"), max_length=300, blank=True)
    credentials = models.TextField(_("credentials (encrypted)"), blank=True, editable=False)
    credentials_set_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "kind", "name"]
        verbose_name = _("channel")
        constraints = [
            # One portal channel per agency: the portal's own publications section.
            models.UniqueConstraint(
                fields=["agency"], condition=Q(kind="portal"), name="channel_one_portal"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.kind == ChannelKind.MANUAL

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)


class Publication(models.Model):
    """One publication, from the head's instruction (disposisi) to its posts on every channel."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=20, choices=PublicationState.choices, default="drafting"
    )
    # The instruction (step 4's input): by the head, to an operator, about data or a topic.
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    instructed_at = models.DateTimeField(_("instructed at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator"),
    )
    topic = models.CharField(_("data or topic"), max_length=300)
    instruction = models.TextField(_("instruction"), blank=True)
    items = models.ManyToManyField("catalog.DataItem", blank=True, related_name="+")
    channels = models.ManyToManyField(Channel, related_name="publications")
    # The draft as it stands (saved as the operator types); submissions copy it to a version.
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)  # sanitized HTML (publications.sanitize)
    caption = models.TextField(_("social media caption"), blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=500, blank=True)
    # Tables and charts built from the agency's values: a list of block dicts (blocks.py).
    blocks = models.JSONField(_("tables and charts"), default=list, blank=True)
    dataset = models.ForeignKey(
        "portal.Dataset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dataset on the portal"),
    )
    version = models.PositiveIntegerField(_("versions submitted"), default=0)
    # Bumped by every save of the draft: a stale autosave from another tab is refused.
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The public path under /publikasi/<slug>/, fixed at approval; shown once published.
    slug = models.SlugField(max_length=120, blank=True, db_index=False)

    class Meta:
        ordering = ["-instructed_at", "-pk"]
        verbose_name = _("publication")
        indexes = [
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["state", "published_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=~Q(slug=""), name="publication_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.topic


class PublicationVersion(models.Model):
    """A submitted draft, numbered 1, 2, ...: what the head reviewed, never changed after."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"))
    caption = models.TextField(_("social media caption"), blank=True)
    hashtags = models.CharField(_("hashtags"), max_length=500, blank=True)
    blocks = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["publication", "number"]
        verbose_name = _("publication version")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="publication_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"


class Review(models.Model):
    """The head's decision on a version (step 5): approved, or returned with a comment."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(PublicationVersion, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["publication", "decided_at", "pk"]
        verbose_name = _("review")

    def __str__(self) -> str:
        return f"{self.publication} · {self.get_decision_display()}"


class PublicationStep(models.Model):
    """One run of step 4, 5 or 6 for a publication: standard against actual time.

    A returned draft closes its step 5 run (returned) and opens a new step 4 run: the clock
    restarts as the SOP says. `late_notified_at` makes the lateness notice go out once.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned = models.BooleanField(_("returned for revision"), default=False)
    late_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publication", "started_at", "pk"]
        verbose_name = _("publication step")
        indexes = [models.Index(fields=["ended_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.publication} · {self.number}"

    @property
    def is_running(self) -> bool:
        return self.ended_at is None

    def is_late_at(self, now: dt.datetime) -> bool:
        return (self.ended_at or now) > self.due_at

    @property
    def is_late(self) -> bool:
        return self.is_late_at(timezone.now())

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


def card_path(card: Card, filename: str) -> str:
    return f"publications/{card.publication_id}/cards/{filename}"


class Card(models.Model):
    """A social-media card (PNG) generated from the draft's chart and key figures."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="cards")
    size = models.CharField(_("size"), max_length=20, choices=CardSize.choices)
    image = models.ImageField(
        _("image"), upload_to=card_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # The publication's draft revision the card was made from: stale cards are remade.
    revision = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        ordering = ["publication", "size"]
        verbose_name = _("card")
        constraints = [
            models.UniqueConstraint(fields=["publication", "size"], name="card_one_per_size")
        ]

    def __str__(self) -> str:
        return f"{self.publication} · {self.get_size_display()}"


def proof_path(post: Post, filename: str) -> str:
    return f"publications/{post.publication_id}/proof/{filename}"


class Post(models.Model):
    """A publication on one channel (step 6): sent by a connector job, or recorded by hand.

    The job claims the row (state posting) before calling the network and stores the network's
    id when done; a retry of a posted row does nothing, so nothing is posted twice.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="posts")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts")
    state = models.CharField(
        _("state"), max_length=20, choices=PostState.choices, default="pending"
    )
    external_id = models.CharField(_("id on the channel"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)  # the network's own message
    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    # When the running job claimed the row: a post "posting" for far longer than any network
    # call lasts was left by a worker that died mid-call (posting.posts_interrupted_fail).
    sending_since = models.DateTimeField(null=True, blank=True)
    # Proof of a post made by hand: the link and time above, and a screenshot.
    screenshot = models.ImageField(_("screenshot"), upload_to=proof_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["publication", "channel__kind", "pk"]
        verbose_name = _("post")
        constraints = [
            models.UniqueConstraint(fields=["publication", "channel"], name="post_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.publication} → {self.channel}"

    @property
    def is_done(self) -> bool:
        return self.state == PostState.POSTED
