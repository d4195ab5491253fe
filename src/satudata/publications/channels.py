"""Channel services: an agency's website and accounts, configured by its head or an admin.

Credentials are sealed (secrets.py) the moment they arrive and never leave the server again:
not on a page, not in an audit entry, not in an error message.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.publications.choices import ChannelKind
from satudata.publications.connectors import CREDENTIAL_FIELDS
from satudata.publications.models import Channel
from satudata.publications.permissions import may_manage_channels
from satudata.publications.secrets import credentials_seal
from satudata.publications.services import channel_portal

# Kinds a person adds; the portal channel is made by the system, one per agency.
ADDABLE_KINDS = [
    ChannelKind.WORDPRESS,
    ChannelKind.FACEBOOK,
    ChannelKind.INSTAGRAM,
    ChannelKind.X,
    ChannelKind.MANUAL,
]

_NUMERIC_ID = re.compile(r"^[0-9]{3,30}$")
_HANDLE = re.compile(r"^@?[A-Za-z0-9_]{1,15}$")


def _snap(channel: Channel) -> dict[str, Any]:
    # The sealed token is left out too: an audit entry holds no part of a secret.
    data = snapshot(channel, exclude=("credentials",))
    data["has_credentials"] = channel.has_credentials
    return data


def address_error(kind: str, address: str) -> str | None:
    """What is wrong with a channel's address for its kind, or None."""
    address = address.strip()
    if kind == ChannelKind.WORDPRESS:
        try:
            URLValidator(schemes=["http", "https"])(address)
        except ValidationError:
            return _("Enter the website's address, starting with https://.")
    elif kind in (ChannelKind.FACEBOOK, ChannelKind.INSTAGRAM):
        if not _NUMERIC_ID.match(address):
            return _("Enter the numeric id of the page or account (digits only).")
    elif kind == ChannelKind.X and address and not _HANDLE.match(address):
        return _("Enter the account's handle, like @diskominfo (letters, digits, _).")
    return None


def credentials_clean(kind: str, values: dict[str, str] | None) -> dict[str, str] | None:
    """The credential fields of `kind` from `values`; None when all are empty (keep the old)."""
    fields = CREDENTIAL_FIELDS.get(kind, [])
    if not fields or not values:
        return None
    cleaned = {key: (values.get(key) or "").strip() for key, _label, _secret in fields}
    if not any(cleaned.values()):
        return None
    missing = [str(label) for key, label, _secret in fields if not cleaned[key]]
    if missing:
        raise DomainError(
            _("Fill in every credential together: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return cleaned


def channels_of(agency: Agency) -> QuerySet[Channel]:
    """An agency's channels, its portal channel first (made on first use)."""
    channel_portal(agency)
    return Channel.objects.filter(agency=agency).order_by("kind", "name")


@transaction.atomic
def channel_create(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    name: str,
    address: str = "",
    credentials: dict[str, str] | None = None,
    is_active: bool = True,
) -> Channel:
    """Add a website, social account or manual channel to an agency."""
    require(actor, lambda user: may_manage_channels(user, agency.pk))
    if kind not in ADDABLE_KINDS:
        raise DomainError(_("This kind of channel cannot be added."))
    name = name.strip()
    if not name:
        raise DomainError(_("Give the channel a name."))
    error = address_error(kind, address)
    if error:
        raise DomainError(error)
    sealed = credentials_clean(kind, credentials)
    if CREDENTIAL_FIELDS.get(kind) and sealed is None:
        raise DomainError(_("This channel needs its credentials to post."))
    channel = Channel.objects.create(
        agency=agency,
        kind=kind,
        name=name[:120],
        address=address.strip(),
        credentials=credentials_seal(sealed or {}),
        credentials_set_at=timezone.now() if sealed else None,
        is_active=is_active,
    )
    audit_record(
        actor=actor, action="channel.create", target=channel, before=None, after=_snap(channel)
    )
    return channel


@transaction.atomic
def channel_update(
    *,
    actor: Any,
    channel: Channel,
    name: str,
    address: str = "",
    is_active: bool = True,
    credentials: dict[str, str] | None = None,
) -> Channel:
    """Change a channel; empty credentials keep the saved ones, new ones replace them whole."""
    require(actor, lambda user: may_manage_channels(user, channel.agency_id))
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    before = _snap(channel)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the channel a name."))
    if channel.kind == ChannelKind.PORTAL:
        # The portal section is always there and has no address or account.
        channel.name = name[:120]
    else:
        error = address_error(channel.kind, address)
        if error:
            raise DomainError(error)
        sealed = credentials_clean(channel.kind, credentials)
        channel.name = name[:120]
        channel.address = address.strip()
        channel.is_active = is_active
        if sealed is not None:
            channel.credentials = credentials_seal(sealed)
            channel.credentials_set_at = timezone.now()
    channel.save()
    after = _snap(channel)
    after["credentials_replaced"] = after["credentials_set_at"] != before["credentials_set_at"]
    audit_record(actor=actor, action="channel.update", target=channel, before=before, after=after)
    return channel
