"""The lateness notice of steps 4-6: the person responsible for a step hears once that it is late.

Run from cron (`satudata notify_late_publications`, like `send_reminders`). Each late step is
claimed by setting `late_notified_at` where it is still empty, so a second run, or two runs
racing each other, notify nobody twice. The e-mail leaves after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.models import AuditEntry
from satudata.audit.services import audit_entry
from satudata.core.actors import require
from satudata.notifications.services import notifications_create
from satudata.publications.models import PublicationStep
from satudata.publications.selectors import STEP_NAMES
from satudata.sop.durations import late_text

logger = logging.getLogger(__name__)


def _deliver(message: EmailMessage, step_id: int) -> None:
    # After the commit: the notice is recorded; a mail server that is down must not undo it.
    try:
        message.send()
    except Exception:
        logger.exception("late step %s: the e-mail could not be sent", step_id)


def _texts(step: PublicationStep, now: dt.datetime, link: str) -> dict[str, str]:
    publication = step.publication
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "step": step.number,
            "name": STEP_NAMES[step.number],
            "title": str(publication),
            "agency": publication.agency.name,
            "due": date_format(timezone.localtime(step.due_at), "DATETIME_FORMAT"),
            "late": late_text(now - step.due_at),
        }
        title = _("Step %(step)s is late: %(title)s") % values
        body = (
            _("Step %(step)s (%(name)s) of “%(title)s” was due %(due)s and is %(late)s.") % values
        )
        subject = _("[Satu Data] Step %(step)s of a publication of %(agency)s is late") % values
        email = "\n\n".join(
            [
                body,
                _("Open the publication: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + link},
            ]
        )
    return {"title": title, "body": body, "subject": subject, "email": email}


@transaction.atomic
def publication_steps_notify_late(*, actor: Any, now: dt.datetime | None = None) -> int:
    """Notify the responsible person of every running step now late, once; returns how many."""
    require(actor, lambda user: can(user, Action.REMINDER_SEND))
    now = now or timezone.now()
    candidates = list(
        PublicationStep.objects.filter(
            ended_at__isnull=True, due_at__lt=now, late_notified_at__isnull=True
        )
        .select_related("publication__agency", "responsible")
        .order_by("due_at", "pk")
    )
    entries = []
    for step in candidates:
        # The claim: only the run that sets the mark sends the notice.
        claimed = PublicationStep.objects.filter(pk=step.pk, late_notified_at__isnull=True).update(
            late_notified_at=now
        )
        if not claimed:
            continue
        link = reverse("publications:detail", args=[step.publication_id])
        texts = _texts(step, now, link)
        responsible = step.responsible
        recipients = [responsible] if responsible.is_active else []
        notifications_create(
            recipients=recipients, title=texts["title"], body=texts["body"], link=link
        )
        if recipients and responsible.email:
            message = EmailMessage(
                subject=texts["subject"],
                body=texts["email"],
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[responsible.email],
            )
            transaction.on_commit(
                lambda message=message, pk=step.pk: _deliver(message, pk)  # type: ignore[misc]
            )
        entries.append(
            audit_entry(
                actor=actor,
                action="publication.step_late_notify",
                target=step.publication,
                before=None,
                after={
                    "step": step.pk,
                    "number": step.number,
                    "responsible": responsible.pk,
                    "due_at": step.due_at.isoformat(),
                    "late_notified_at": now.isoformat(),
                    "emailed": bool(recipients and responsible.email),
                },
            )
        )
    AuditEntry.objects.bulk_create(entries)
    return len(entries)
