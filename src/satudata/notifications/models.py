"""In-app notifications, and the record of every reminder sent to an agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from satudata.accounts.models import Agency
from satudata.notifications.choices import ReminderKind


class Notification(models.Model):
    """A message to one user inside the product (the badge in the header counts the unread)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    # A path inside the product (never another site): opening the notification goes there.
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        # The header counts a user's unread notifications on every page.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """One reminder to one agency about its missing or overdue data (e-mail and in-app)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    # Who sent it in words: a user's name, or the job ("daily-reminder") that has no account.
    sent_by_label = models.CharField(_("sent by"), max_length=150)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    items_count = models.PositiveIntegerField(_("items"))
    recipients_count = models.PositiveIntegerField(_("recipients"))
    # Addresses the one message went to (heads and operators without an address get none).
    emails_sent = models.PositiveIntegerField(_("e-mails sent"))
    # What the reminder listed ({"code", "name", "period", "due_date", "status"}), as it was then.
    items = models.JSONField(_("items listed"), default=list)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # The daily job may run twice a day (a retry, a second cron host): an agency still
            # gets one daily reminder per year of periods per day.
            models.UniqueConstraint(
                fields=["agency", "year", "sent_on"],
                condition=Q(kind="daily"),
                name="one_daily_reminder_per_agency_per_day",
            )
        ]
        indexes = [models.Index(fields=["year", "sent_at"], name="reminder_year_sent")]

    def __str__(self) -> str:
        return f"{self.agency} {self.period or self.year} {self.sent_on}"
