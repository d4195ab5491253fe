"""State changes of agencies and users. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency, User
from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.core.services import assign, logo_check


@transaction.atomic
def _logo(fields: dict[str, Any]) -> dict[str, Any]:
    """A new logo must be a real PNG or JPEG image of at most 2 MB; False (a form's "clear")
    removes it."""
    logo = fields.get("logo")
    if logo is False:
        fields["logo"] = ""
    elif isinstance(logo, UploadedFile):
        try:
            logo_check(logo)
        except DomainError as error:
            raise ValidationError({"logo": error.message}) from None
    return fields


def agency_create(*, actor: Any, **fields: Any) -> Agency:
    """Register a producing agency."""
    require(actor, lambda u: can(u, Action.AGENCY_MANAGE))
    agency = Agency(**_logo(fields))
    agency.full_clean()
    agency.save()
    audit_record(
        actor=actor, action="agency_create", target=agency, before=None, after=snapshot(agency)
    )
    return agency


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, **fields: Any) -> Agency:
    """Change an agency's name, code, website or social accounts."""
    require(actor, lambda u: can(u, Action.AGENCY_MANAGE))
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = snapshot(agency)
    if assign(agency, _logo(fields)):
        agency.full_clean()
        agency.save()
        audit_record(
            actor=actor,
            action="agency_update",
            target=agency,
            before=before,
            after=snapshot(agency),
        )
    return agency


@transaction.atomic
def user_create(
    *, actor: Any, password: str | None = None, password_hash: str | None = None, **fields: Any
) -> User:
    """Create an account with its role (and agency for producer roles).

    `password_hash` takes an already hashed password: the demo hashes its one published
    password once instead of once per account (half a second each).
    """
    require(actor, lambda u: can(u, Action.USER_MANAGE))
    user = User(**fields)
    if password_hash:
        user.password = password_hash
    elif password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user_create", target=user, before=None, after=snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **fields: Any) -> User:
    """Change a user's name, role, agency or active flag."""
    require(actor, lambda u: can(u, Action.USER_MANAGE))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == getattr(actor, "pk", None) and (
        fields.get("role", user.role) != user.role or fields.get("is_active", True) is False
    ):
        # An administrator who demotes himself may leave the product with no administrator.
        raise DomainError(_("You cannot change your own role or deactivate your own account."))
    before = snapshot(user)
    if assign(user, fields):
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor, action="user_update", target=user, before=before, after=snapshot(user)
        )
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """Set a user's password (administrators; the password itself is never audited)."""
    require(actor, lambda u: can(u, Action.USER_MANAGE))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="user_set_password",
        target=user,
        before=None,
        after={"password": "(changed)"},
    )
    return user
