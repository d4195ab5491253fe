"""The writes of access requests: submit, approve, refuse, expire, and record a download.

Each is atomic and audited; e-mails leave only after the commit (a rolled-back decision mails
nobody) and a mail server that is down is logged, never shown as an error to the reviewer.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.access.choices import AccessRequestState, DownloadFormat, may_move
from satudata.access.constants import MAX_GRANT_DAYS
from satudata.access.models import AccessDownload, AccessRequest
from satudata.access.permissions import can_review_request
from satudata.access.selectors import limited_dataset, token_hash
from satudata.accounts.models import User
from satudata.accounts.roles import Role
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import SystemActor, require
from satudata.core.errors import DomainError, InvalidTransition
from satudata.notifications.services import notifications_create
from satudata.portal.models import Dataset

logger = logging.getLogger(__name__)

# Never in an audit entry: the hash opens nothing, but it has no business in a log either.
AUDIT_EXCLUDE = ("token_hash",)
# The public has no account: its actions are audited under this name.
PUBLIC_ACTOR = "public"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _deliver(message: EmailMessage, request_id: int) -> None:
    try:
        message.send()
    except Exception:
        logger.exception("access request %s: the e-mail could not be sent", request_id)


def _mail_after_commit(
    *, request: AccessRequest, to: list[str], template: str, subject: str, context: dict
) -> None:
    if not to:
        return
    body = render_to_string(template, {"req": request, **context})
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    transaction.on_commit(lambda: _deliver(message, request.pk))


def _reviewers(agency_id: int) -> list[User]:
    """Who decides on a request: the agency's heads and every walidata."""
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role=Role.WALIDATA) | Q(role=Role.PRODUCER_HEAD, agency_id=agency_id))
        .order_by("role", "username")
    )


def _public_or(actor: Any) -> Any:
    """A signed-in user or the system is named in the audit; anyone else is "public"."""
    if isinstance(actor, SystemActor | str) or getattr(actor, "is_authenticated", False):
        return actor
    return PUBLIC_ACTOR


def _move(request: AccessRequest, target: str) -> None:
    if not may_move(request.state, target):
        raise InvalidTransition(
            _("The request's state is %(state)s: this decision is not possible.")
            % {"state": request.get_state_display().lower()}
        )
    request.state = target


def _locked(request: AccessRequest) -> AccessRequest:
    # Two reviewers deciding at once: the second sees the first's decision, not a stale row.
    return (
        AccessRequest.objects.select_for_update().select_related("dataset__item").get(pk=request.pk)
    )


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    dataset: Dataset,
    name: str,
    institution: str,
    purpose: str,
    email: str,
    phone: str = "",
    letter: UploadedFile | None = None,
    letter_type: str = "",
    language: str = "id",
) -> AccessRequest:
    """Record a request for a limited dataset; confirm to the requester, tell the reviewers."""
    # Anyone may ask; the only rule is that the dataset is public and limited right now.
    current = limited_dataset(dataset)
    if current is None:
        raise DomainError(_("This dataset cannot be requested."))
    request = AccessRequest(
        dataset=current,
        name=name.strip(),
        institution=institution.strip(),
        purpose=purpose.strip(),
        email=email.strip(),
        phone=phone.strip(),
        letter_type=letter_type if letter else "",
        language=language[:8],
    )
    if letter is not None:
        request.letter = letter
    request.full_clean(exclude=["letter"])
    request.save()
    audit_record(
        actor=_public_or(actor),
        action="access_request_submit",
        target=request,
        before=None,
        after=snapshot(request, exclude=AUDIT_EXCLUDE),
    )
    title = current.item.name
    reviewers = _reviewers(current.item.agency_id)
    link = reverse("access-request-detail", args=[request.pk])
    with translation.override("id"):
        notifications_create(
            recipients=reviewers,
            title=_("Access request for %(title)s") % {"title": title},
            body=(
                _("%(name)s (%(institution)s) asks for limited data: %(purpose)s")
                % {
                    "name": request.name,
                    "institution": request.institution,
                    "purpose": request.purpose,
                }
            )[:500],
            link=link,
        )
        _mail_after_commit(
            request=request,
            to=sorted({u.email for u in reviewers if u.email}),
            template="access/email/reviewers_new.txt",
            subject=_("[Satu Data] New access request for %(title)s") % {"title": title},
            context={"title": title, "url": _absolute(link)},
        )
    with translation.override(request.language):
        _mail_after_commit(
            request=request,
            to=[request.email],
            template="access/email/requester_received.txt",
            subject=_("[Satu Data] We received your request for %(title)s") % {"title": title},
            context={"title": title},
        )
    return request


def grant_expiry(expires_on: dt.date) -> dt.datetime:
    """A grant chosen to end on a day ends at that day's midnight, local time."""
    day_after = expires_on + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))


@transaction.atomic
def request_approve(*, actor: Any, request: AccessRequest, expires_on: dt.date) -> AccessRequest:
    """Grant the request until `expires_on`; the requester gets the download link by e-mail."""
    require(actor, lambda u: can_review_request(u, request))
    request = _locked(request)
    before = snapshot(request, exclude=AUDIT_EXCLUDE)
    _move(request, AccessRequestState.APPROVED)
    today = timezone.localdate()
    if not today <= expires_on <= today + dt.timedelta(days=MAX_GRANT_DAYS):
        raise DomainError(
            _("Choose an expiry date from today to at most %(days)s days ahead.")
            % {"days": MAX_GRANT_DAYS}
        )
    if limited_dataset(request.dataset) is None:
        raise DomainError(
            _("This dataset is no longer public limited data: the request can only be refused.")
        )
    token = secrets.token_urlsafe(32)
    request.token_hash = token_hash(token)
    request.expires_at = grant_expiry(expires_on)
    _decided(actor, request, before, "access_request_approve")
    title = request.dataset.item.name
    with translation.override(request.language):
        _mail_requester(
            request,
            "access/email/requester_approved.txt",
            _("[Satu Data] Your request for %(title)s is approved") % {"title": title},
            {
                "title": title,
                "url": _absolute(reverse("access-grant-download", args=[token])),
                "expires": date_format(expires_on, "DATE_FORMAT"),
            },
        )
    return request


@transaction.atomic
def request_refuse(*, actor: Any, request: AccessRequest, reason: str) -> AccessRequest:
    """Refuse the request with a reason, which the requester receives by e-mail."""
    require(actor, lambda u: can_review_request(u, request))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for refusing: the requester receives it."))
    request = _locked(request)
    before = snapshot(request, exclude=AUDIT_EXCLUDE)
    _move(request, AccessRequestState.REFUSED)
    request.refusal_reason = reason
    _decided(actor, request, before, "access_request_refuse")
    title = request.dataset.item.name
    with translation.override(request.language):
        _mail_requester(
            request,
            "access/email/requester_refused.txt",
            _("[Satu Data] Your request for %(title)s was refused") % {"title": title},
            {"title": title, "reason": reason},
        )
    return request


def _decided(actor: Any, request: AccessRequest, before: dict, action: str) -> None:
    """Record who decided and when, save, and audit the decision (approve or refuse)."""
    request.decided_by = actor if isinstance(actor, User) else None
    request.decided_at = timezone.now()
    request.save()
    audit_record(
        actor=actor,
        action=action,
        target=request,
        before=before,
        after=snapshot(request, exclude=AUDIT_EXCLUDE),
    )


def _mail_requester(request: AccessRequest, template: str, subject: str, context: dict) -> None:
    """The decision's e-mail to the requester, sent once the transaction commits."""
    _mail_after_commit(
        request=request, to=[request.email], template=template, subject=subject, context=context
    )


@transaction.atomic
def requests_expire(*, actor: Any, now: dt.datetime | None = None) -> int:
    """Mark approved requests past their expiry as expired (the daily job); returns how many.

    The link stops working at the expiry time whether or not this has run: the state is
    the record, not the lock.
    """
    require(actor, lambda u: False)  # the system only (command line, scheduled job)
    now = now or timezone.now()
    due = AccessRequest.objects.select_for_update().filter(
        state=AccessRequestState.APPROVED, expires_at__lte=now
    )
    count = 0
    for request in due:
        before = snapshot(request, exclude=AUDIT_EXCLUDE)
        _move(request, AccessRequestState.EXPIRED)
        request.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="access_request_expire",
            target=request,
            before=before,
            after=snapshot(request, exclude=AUDIT_EXCLUDE),
        )
        count += 1
    return count


@transaction.atomic
def grant_download_record(*, grant: AccessRequest, fmt: str) -> AccessDownload:
    """Record one download made with a granted link (time and format only)."""
    if not grant.is_active_grant():
        raise DomainError(_("The link is invalid or has expired."))
    download = AccessDownload.objects.create(request=grant, format=DownloadFormat(fmt))
    audit_record(
        actor=PUBLIC_ACTOR,
        action="access_grant_download",
        target=grant,
        before=None,
        after={"format": download.format, "at": download.at.isoformat()},
    )
    return download
