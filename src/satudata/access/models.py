"""Requests for limited data (data terbatas) and the downloads made with a granted link.

A limited dataset is listed publicly as metadata only; its values go to an identified person
for a stated purpose once the agency head or walidata approves. The link they receive carries
a random token; only its SHA-256 is stored, so a copy of the database opens no data.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.access.choices import AccessRequestState, DownloadFormat
from satudata.portal.models import Dataset


def letter_path(instance: AccessRequest, filename: str) -> str:
    """A random name: the requester's file name is free text and may tell too much."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"access/letters/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension[:5]}"


class AccessRequest(models.Model):
    """One person's request for the values of one limited dataset, and its decision."""

    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.PROTECT,
        related_name="access_requests",
        verbose_name=_("dataset"),
    )
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=200)
    purpose = models.TextField(_("purpose"))
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    letter = models.FileField(_("supporting letter"), upload_to=letter_path, blank=True)
    letter_type = models.CharField(_("letter type"), max_length=40, blank=True)
    # The interface language of the form: the requester's e-mails are written in it.
    language = models.CharField(_("language"), max_length=8, default="id")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AccessRequestState.choices,
        default=AccessRequestState.SUBMITTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # SHA-256 (hex) of the download token; the raw token exists only in the e-mail.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = [models.Index(fields=["state", "created_at"], name="access_request_state")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.dataset.code} {self.institution}"[:300]

    def is_active_grant(self, now: object = None) -> bool:
        """Approved and not past its expiry: the link opens the data."""
        now = now or timezone.now()
        return (
            self.state == AccessRequestState.APPROVED
            and self.expires_at is not None
            and now < self.expires_at  # type: ignore[operator]
        )

    @property
    def last_valid_day(self) -> dt.date | None:
        """The last day the link works: the reviewer's chosen date (it ends at midnight after)."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - dt.timedelta(microseconds=1)).date()

    @property
    def shown_state(self) -> str:
        """The state as people should read it: an approval past its expiry is expired."""
        if self.state == AccessRequestState.APPROVED and not self.is_active_grant():
            return AccessRequestState.EXPIRED
        return self.state

    def get_shown_state_display(self) -> str:
        return str(AccessRequestState(self.shown_state).label)


class AccessDownload(models.Model):
    """One download made with a granted link: when and which file (no address, no agent)."""

    request = models.ForeignKey(
        AccessRequest,
        on_delete=models.CASCADE,
        related_name="downloads",
        verbose_name=_("access request"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    format = models.CharField(_("format"), max_length=5, choices=DownloadFormat.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")

    def __str__(self) -> str:
        return f"{self.request_id} {self.format} {self.at:%Y-%m-%d %H:%M}"
