"""Notifications and reminders: the writes of the notifications app.

A reminder goes to every agency behind schedule: one e-mail per agency to its heads and
operators (sent after the transaction commits, so a rolled-back send mails nobody), an in-app
notification for each of them, a Reminder row, and an audit entry.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satudata.accounts.models import Agency, User
from satudata.accounts.permissions import can
from satudata.accounts.roles import AGENCY_ROLES, Action
from satudata.audit.models import AuditEntry
from satudata.audit.services import actor_label, audit_entry, snapshot
from satudata.catalog.models import Region
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.notifications.choices import ReminderKind
from satudata.notifications.models import Notification, Reminder
from satudata.notifications.selectors import AgencyBehind, agencies_behind
from satudata.schedule.choices import FillStatus
from satudata.schedule.periods import InvalidPeriod, Period

logger = logging.getLogger(__name__)

# The in-app notification lists this many items; the e-mail lists them all.
NOTIFICATION_ITEMS = 10


@dataclass
class ReminderResult:
    """What a send did: the reminders recorded, and agencies skipped (already reminded today)."""

    reminders: list[Reminder] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def emails(self) -> int:
        return sum(1 for r in self.reminders if r.emails_sent)


def notifications_create(
    *, recipients: Iterable[Any], title: str, body: str = "", link: str = ""
) -> list[Notification]:
    """Notify users in the product; called inside other services, which check and audit."""
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(recipient=user, title=title[:200], body=body, link=link, created_at=now)
        for user in recipients
    )


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read."""
    require(
        actor,
        lambda u: notification is not None and getattr(u, "pk", None) == notification.recipient_id,
    )
    # No audit entry: reading one's own notification changes nothing of the SOP's records.
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    require(actor, lambda u: getattr(u, "is_authenticated", False))
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _period_of_year(year: int, period: str) -> str:
    if not isinstance(year, int) or not 1900 <= year <= 2999:
        raise DomainError(_("%(year)s is not a year.") % {"year": year})
    if not period:
        return ""
    try:
        parsed = Period.parse(period)
    except InvalidPeriod as exc:
        raise DomainError(_("%(period)s is not a period.") % {"period": period}) from exc
    if parsed.year != year:
        raise DomainError(
            _("%(period)s is not a period of %(year)s.") % {"period": parsed.key, "year": year}
        )
    return parsed.key


def _staff_by_agency(agency_ids: list[int]) -> dict[int, list[User]]:
    """Active heads and operators of the agencies: those a reminder goes to."""
    staff: dict[int, list[User]] = defaultdict(list)
    users = User.objects.filter(
        agency_id__in=agency_ids, role__in=sorted(AGENCY_ROLES), is_active=True
    ).order_by("role", "username")
    for user in users:
        staff[user.agency_id].append(user)
    return staff


def _region_name() -> str:
    name = Region.objects.filter(code=settings.REGION_CODE).values_list("name", flat=True).first()
    return name or settings.REGION_CODE


def _texts(
    behind: AgencyBehind, *, year: int, period: str, region: str, link: str
) -> dict[str, str]:
    """Subject, e-mail body, notification title and body, in Indonesian.

    The item lines are built here, not in the template: an agency far behind has hundreds
    of items, and a template spends tens of microseconds on each tag of each line.
    """
    count = len(behind.items)
    with translation.override("id"):
        labels = {s.value: str(s.label) for s in FillStatus}
        period_word, due_word = _("Period"), _("Due date")
        dates: dict[Any, str] = {}
        lines, short = [], []
        for row in behind.items:
            due = row["due_date"]
            if due not in dates:
                dates[due] = date_format(due, "DATE_FORMAT")
            cells = (
                f" ({row['filled_cells']}/{row['required_cells']})" if row["filled_cells"] else ""
            )
            status = labels[row["status"]] + cells
            lines.append(
                f"- {row['code']} {row['name']}\n  {period_word}: {row['period']} · "
                f"{due_word}: {dates[due]} · {status}"
            )
            short.append(f"{row['code']} {row['name']} · {row['period']} · {dates[due]} · {status}")
        context = {
            "agency": behind.name,
            "region": region,
            "year": year,
            "period": period,
            "lines": lines,
            "count": count,
            "url": settings.SITE_URL.rstrip("/") + link,
        }
        subject = ngettext(
            "[Satu Data %(region)s] %(n)s data item of %(agency)s is overdue",
            "[Satu Data %(region)s] %(n)s data items of %(agency)s are overdue",
            count,
        ) % {"region": region, "n": count, "agency": behind.name}
        email = render_to_string("notifications/reminder_email.txt", context)
        title = ngettext(
            "Reminder: %(n)s data item is overdue (%(when)s)",
            "Reminder: %(n)s data items are overdue (%(when)s)",
            count,
        ) % {"n": count, "when": period or year}
        body = "\n".join(short[:NOTIFICATION_ITEMS])
        if count > NOTIFICATION_ITEMS:
            more = count - NOTIFICATION_ITEMS
            body += "\n" + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    return {"subject": subject, "email": email, "title": title, "body": body}


def _deliver(message: EmailMessage, reminder_id: int) -> None:
    # Runs after the commit: the reminder is recorded; a mail server that is down must not
    # turn the walidata's click into an error page, so it is logged for the administrator.
    try:
        message.send()
    except Exception:
        logger.exception("reminder %s: the e-mail could not be sent", reminder_id)


@transaction.atomic
def reminders_send(
    *,
    actor: Any,
    year: int,
    period: str = "",
    agencies: Iterable[Agency] | None = None,
    kind: str = ReminderKind.MANUAL,
) -> ReminderResult:
    """Remind every agency with overdue items in the selection (e-mail and in-app), recorded."""
    require(actor, lambda u: can(u, Action.REMINDER_SEND))
    try:
        kind = ReminderKind(kind)
    except ValueError as exc:
        raise DomainError(_("%(kind)s is not a kind of reminder.") % {"kind": kind}) from exc
    period = _period_of_year(year, period)
    today = timezone.localdate()
    behind = agencies_behind(
        year=year,
        period=period,
        agency_ids=None if agencies is None else [a.pk for a in agencies],
        today=today,
    )
    result = ReminderResult()
    if not behind:
        return result
    done_today: set[int] = set()
    if kind == ReminderKind.DAILY:
        done_today = set(
            Reminder.objects.filter(
                kind=kind, year=year, sent_on=today, agency_id__in=[b.agency_id for b in behind]
            ).values_list("agency_id", flat=True)
        )
    staff = _staff_by_agency([b.agency_id for b in behind])
    region = _region_name()
    link = reverse("values-home")
    sender = getattr(actor, "display_name", None) or actor_label(actor)
    entries: list[AuditEntry] = []
    for agency in behind:
        if agency.agency_id in done_today:
            result.skipped.append(agency.name)
            continue
        recipients = staff.get(agency.agency_id, [])
        addresses = sorted({u.email for u in recipients if u.email})
        texts = _texts(agency, year=year, period=period, region=region, link=link)
        try:
            # A savepoint: a second daily run racing this one hits the unique constraint
            # for this agency alone, and the rest of the batch goes on.
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    agency_id=agency.agency_id,
                    year=year,
                    period=period,
                    kind=kind,
                    sent_by=actor if isinstance(actor, User) else None,
                    sent_by_label=sender[:150],
                    sent_on=today,
                    items_count=len(agency.items),
                    recipients_count=len(recipients),
                    emails_sent=len(addresses),
                    items=[
                        {
                            "code": row["code"],
                            "name": row["name"],
                            "period": row["period"],
                            "due_date": row["due_date"].isoformat(),
                            "status": row["status"],
                        }
                        for row in agency.items
                    ],
                )
        except IntegrityError:
            result.skipped.append(agency.name)
            continue
        notifications_create(
            recipients=recipients, title=texts["title"], body=texts["body"], link=link
        )
        entries.append(
            audit_entry(
                actor=actor,
                action="reminder_send",
                target=reminder,
                before=None,
                after=snapshot(reminder, exclude=("items",)),
            )
        )
        if addresses:
            message = EmailMessage(
                subject=texts["subject"],
                body=texts["email"],
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=addresses,
            )
            transaction.on_commit(
                lambda message=message, pk=reminder.pk: _deliver(message, pk)  # type: ignore[misc]
            )
        result.reminders.append(reminder)
    AuditEntry.objects.bulk_create(entries)
    return result
