"""Small helpers shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.db import models


def assign(obj: models.Model, fields: dict[str, Any]) -> list[str]:
    """Set the given attributes; return the names of those whose value changed."""
    changed = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- The letterhead (core.Letterhead) -----------------------------------------------------

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = frozenset({"PNG", "JPEG"})
LETTERHEAD_FIELDS = frozenset(
    {
        "government",
        "office",
        "address",
        "phone",
        "email",
        "website",
        "city",
        "head_name",
        "head_rank",
        "head_nip",
        "head_position",
    }
)


def logo_check(upload: Any) -> None:
    """Refuse a logo that is not a real PNG or JPEG image of at most 2 MB (read by Pillow,
    whatever its name or declared type says)."""
    from django.utils.translation import gettext as _
    from PIL import Image, UnidentifiedImageError

    from satudata.core.errors import DomainError

    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise DomainError(_("The logo is larger than 2 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(_("The logo is not an image: upload a PNG or JPEG file.")) from None
    finally:
        upload.seek(0)
    if kind not in LOGO_FORMATS:
        raise DomainError(_("The logo must be a PNG or JPEG image."))


def letterhead_update(*, actor: Any, logo: Any = None, logo_clear: bool = False, **fields: Any):
    """Save the letterhead (walidata, administrator): texts, the head's signature block and
    the logo. A replaced logo file is kept, since final reports name the one they printed."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from satudata.accounts.permissions import can
    from satudata.accounts.roles import Action
    from satudata.audit.services import audit_record, snapshot
    from satudata.core.actors import require
    from satudata.core.errors import DomainError
    from satudata.core.models import Letterhead, letterhead

    # Walidata (whose office signs the report) and the administrator keep the letterhead.
    require(actor, lambda user: can(user, Action.REPORT_MANAGE))
    unknown = set(fields) - LETTERHEAD_FIELDS
    if unknown:
        raise DomainError(_("Unknown letterhead fields: %(names)s") % {"names": sorted(unknown)})
    clean = {name: " ".join(str(value or "").split()) for name, value in fields.items()}
    for required in ("government", "office"):
        if required in clean and not clean[required]:
            raise DomainError(_("The government and the office must be given."))
    if logo is not None:
        logo_check(logo)
    with transaction.atomic():
        existing = Letterhead.objects.select_for_update().filter(pk=1).first()
        current = existing or letterhead()
        before = snapshot(existing) if existing else None
        changed = assign(current, clean)
        if logo is not None:
            current.logo.save(logo.name.rsplit("/", 1)[-1], logo, save=False)
            changed.append("logo")
        elif logo_clear and current.logo:
            current.logo = ""
            changed.append("logo")
        if changed or before is None:
            try:
                current.full_clean()
            except ValidationError as error:
                raise DomainError(
                    _("The letterhead could not be saved."), errors=error.messages
                ) from None
            current.save()
            audit_record(
                actor=actor,
                action="letterhead.update",
                target=current,
                before=before,
                after=snapshot(current),
            )
    return current
