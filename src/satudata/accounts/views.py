"""Agencies (every signed-in role reads; walidata and administrators change) and users
(administrators only). Views validate with forms and write through accounts.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from satudata.accounts import services
from satudata.accounts.forms import (
    AgencyForm,
    UserCreateForm,
    UserEditForm,
    attach_service_errors,
)
from satudata.accounts.models import Agency, User
from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import Action, Role
from satudata.accounts.selectors import agencies_with_item_counts, users_for_admin
from satudata.catalog.permissions import ALL_ITEMS_ROLES

USERS_PER_PAGE = 50


def _require(request: HttpRequest, action: Action) -> None:
    if not can(request.user, action):
        raise PermissionDenied


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    """Every agency with its channels and how many data items of each class it holds."""
    _require(request, Action.AGENCY_VIEW)
    search = request.GET.get("q", "")
    return render(
        request,
        "accounts/agency_list.html",
        {
            "agencies": agencies_with_item_counts(user=request.user, search=search),
            "search": search,
            "may_manage": can(request.user, Action.AGENCY_MANAGE),
            # Others' closed counts are hidden from producers (they are 0 in the query too).
            "sees_all_closed": user_role(request.user) in ALL_ITEMS_ROLES,
        },
    )


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    """Register an agency (walidata, administrators)."""
    _require(request, Action.AGENCY_MANAGE)
    form = AgencyForm(request.POST or None, request.FILES or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, _("Agency “%(name)s” was added.") % {"name": agency.name})
            return redirect("agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an agency's names, code or channels (walidata, administrators)."""
    _require(request, Action.AGENCY_MANAGE)
    agency = get_object_or_404(Agency, pk=pk)
    title = agency.name  # the form writes typed values onto the instance while validating
    form = AgencyForm(request.POST or None, request.FILES or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(request, _("Agency “%(name)s” was saved.") % {"name": agency.name})
            return redirect("agency-list")
    return render(
        request, "accounts/agency_form.html", {"form": form, "agency": agency, "title": title}
    )


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """Every account with its role, agency and active flag (administrators)."""
    _require(request, Action.USER_MANAGE)
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    agency = request.GET.get("agency", "")
    agency_id = int(agency) if agency.isdigit() else None
    search = request.GET.get("q", "")
    users = users_for_admin(role=role, agency_id=agency_id, search=search)
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "roles": Role.choices,
            "agencies": Agency.objects.order_by("name").only("pk", "name"),
            "role": role,
            "agency_id": agency_id,
            "search": search,
        },
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    """Open an account (administrators)."""
    _require(request, Action.USER_MANAGE)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user, password=form.new_password, **form.service_fields()
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request, _("Account “%(name)s” was created.") % {"name": user.username}
            )
            return redirect("user-list")
    return render(request, "accounts/user_form.html", {"form": form, "account": None})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an account's name, role, agency, active flag or password (administrators)."""
    _require(request, Action.USER_MANAGE)
    account = get_object_or_404(User.objects.select_related("agency"), pk=pk)
    username = account.username
    form = UserEditForm(request.POST or None, instance=account, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a refused password must not leave the other changes saved.
            with transaction.atomic():
                account = services.user_update(
                    actor=request.user, user=account, **form.service_fields()
                )
                if form.new_password:
                    account = services.user_set_password(
                        actor=request.user, user=account, password=form.new_password
                    )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            if form.new_password and account.pk == request.user.pk:
                # Otherwise changing one's own password here would sign one out.
                update_session_auth_hash(request, account)
            messages.success(request, _("Account “%(name)s” was saved.") % {"name": username})
            return redirect("user-list")
    return render(
        request, "accounts/user_form.html", {"form": form, "account": account, "title": username}
    )
