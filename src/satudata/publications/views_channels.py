"""Channel pages under /app/publications/channels/: the head (own agency) and administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.accounts.permissions import can, user_role
from satudata.accounts.roles import AGENCY_ROLES, Action
from satudata.core.errors import DomainError, NotAllowed
from satudata.publications import channels as services
from satudata.publications.choices import ChannelKind
from satudata.publications.forms_channels import ChannelForm
from satudata.publications.models import Channel
from satudata.publications.permissions import may_manage_channels


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed("channels")


def _chosen_agency(request: HttpRequest) -> Agency | None:
    """The head's own agency; for an administrator the agency picked in `?agency=`."""
    if user_role(request.user) in AGENCY_ROLES:
        return request.user.agency  # type: ignore[union-attr]
    wanted = request.GET.get("agency", "")
    if not wanted:
        return None
    if not wanted.isdigit():
        raise Http404
    return get_object_or_404(Agency, pk=int(wanted))


def _list_url(agency: Agency) -> str:
    return f"{reverse('publications:channel-list')}?agency={agency.pk}"


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    """An agency's channels; an administrator first picks the agency."""
    _require(can(request.user, Action.CHANNEL_MANAGE))
    agency = _chosen_agency(request)
    if agency is not None:
        _require(may_manage_channels(request.user, agency.pk))
    rows = (
        list(services.channels_of(agency))
        if agency is not None
        else list(Channel.objects.select_related("agency").order_by("agency__name", "kind"))
    )
    return render(
        request,
        "publications/channel_list.html",
        {
            "agency": agency,
            "channels": rows,
            "agencies": Agency.objects.order_by("name") if agency is None else [],
            "kinds": [(kind.value, kind.label) for kind in services.ADDABLE_KINDS],
            "is_agency_user": user_role(request.user) in AGENCY_ROLES,
        },
    )


@login_required
def channel_create(request: HttpRequest) -> HttpResponse:
    """Add a channel of one kind (`?kind=`) to the chosen agency."""
    _require(can(request.user, Action.CHANNEL_MANAGE))
    agency = _chosen_agency(request)
    if agency is None:
        return redirect("publications:channel-list")
    _require(may_manage_channels(request.user, agency.pk))
    kind = request.GET.get("kind", "")
    if kind not in services.ADDABLE_KINDS:
        raise Http404
    form = ChannelForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(
                actor=request.user,
                agency=agency,
                kind=kind,
                name=form.cleaned_data["name"],
                address=form.cleaned_data.get("address", ""),
                is_active=form.cleaned_data.get("is_active", True),
                credentials=form.credentials(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Channel “%(name)s” added.") % {"name": channel.name})
            return redirect(_list_url(agency))
    return render(
        request,
        "publications/channel_form.html",
        {
            "form": form,
            "agency": agency,
            "kind_label": ChannelKind(kind).label,
            "channel": None,
        },
    )


@login_required
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a channel; saved credentials are never shown, empty fields keep them."""
    channel = get_object_or_404(Channel.objects.select_related("agency"), pk=pk)
    _require(may_manage_channels(request.user, channel.agency_id))
    initial = {"name": channel.name, "address": channel.address, "is_active": channel.is_active}
    form = ChannelForm(request.POST or None, initial=initial, kind=channel.kind, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_update(
                actor=request.user,
                channel=channel,
                name=form.cleaned_data["name"],
                address=form.cleaned_data.get("address", ""),
                is_active=form.cleaned_data.get("is_active", True),
                credentials=form.credentials(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Channel “%(name)s” saved.") % {"name": form.cleaned_data["name"]}
            )
            return redirect(_list_url(channel.agency))
    return render(
        request,
        "publications/channel_form.html",
        {
            "form": form,
            "agency": channel.agency,
            "kind_label": channel.get_kind_display(),
            "channel": channel,
        },
    )
