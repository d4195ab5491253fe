"""State changes of agencies and users. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency, User
from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.audit.services import audit_record, snapshot
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.core.services import assign


@transaction.atomic
def agency_create(*, actor: Any, **fields: Any) -> Agency:
    """Register a producing agency."""
    require(actor, lambda u: can(u, Action.AGENCY_MANAGE))
    agency = Agency(**fields)
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
    if assign(agency, fields):
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
