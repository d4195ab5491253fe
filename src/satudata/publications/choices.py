"""The words of SOP steps 4-6: publication states, channel kinds, post states, card sizes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")  # step 4: the operator writes (after the instruction)
    SUBMITTED = "submitted", _("Awaiting review")  # step 5: with the head
    APPROVED = "approved", _("Approved")  # step 6: to be published on its channels
    PUBLISHED = "published", _("Published")  # every channel posted or recorded by hand
    CANCELLED = "cancelled", _("Cancelled")


class ChannelKind(models.TextChoices):
    PORTAL = "portal", _("Portal publications")  # always there; needs no account
    WORDPRESS = "wordpress", _("Website (WordPress)")
    FACEBOOK = "facebook", _("Facebook Page")
    INSTAGRAM = "instagram", _("Instagram")
    X = "x", _("X (Twitter)")
    MANUAL = "manual", _("Other (posted by hand)")


class PostState(models.TextChoices):
    PENDING = "pending", _("Waiting")  # not yet sent (or a manual post not yet recorded)
    QUEUED = "queued", _("Queued")
    POSTING = "posting", _("Posting")
    POSTED = "posted", _("Posted")
    FAILED = "failed", _("Failed")


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")


class CardSize(models.TextChoices):
    """Social-media card sizes in pixels (width x height), as the networks recommend."""

    SQUARE = "square", _("Square feed post (1080 × 1080)")
    PORTRAIT = "portrait", _("Portrait story (1080 × 1920)")
    LANDSCAPE = "landscape", _("Landscape link post (1200 × 630)")


CARD_PIXELS: dict[str, tuple[int, int]] = {
    CardSize.SQUARE: (1080, 1080),
    CardSize.PORTRAIT: (1080, 1920),
    CardSize.LANDSCAPE: (1200, 630),
}
