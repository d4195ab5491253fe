"""Channels: the head (own agency) or an administrator configures them; secrets stay secret."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from satudata.audit.models import AuditEntry
from satudata.core.errors import DomainError, NotAllowed
from satudata.publications.channels import channel_create, channel_update
from satudata.publications.choices import ChannelKind
from satudata.publications.models import Channel
from satudata.publications.secrets import credentials_open

APP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"
TOKEN = "EAAB-very-secret-page-token-987654"


def _wordpress(head, **overrides):
    fields = {
        "kind": ChannelKind.WORDPRESS,
        "name": "Situs Dinkes",
        "address": "https://dinkes.jemberkab.go.id",
        "credentials": {"username": "editor", "app_password": APP_PASSWORD},
    }
    return channel_create(actor=head, agency=head.agency, **(fields | overrides))


def test_the_head_adds_a_website_and_its_password_is_stored_encrypted(head, login):
    client = login(head, language="en")
    url = reverse("publications:channel-create") + "?kind=wordpress"
    response = client.post(
        url,
        {
            "name": "Situs Dinkes",
            "address": "https://dinkes.jemberkab.go.id",
            "is_active": "on",
            "cred_username": "editor",
            "cred_app_password": APP_PASSWORD,
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(kind=ChannelKind.WORDPRESS)
    assert channel.agency == head.agency
    assert APP_PASSWORD not in channel.credentials and "editor" not in channel.credentials
    assert credentials_open(channel.credentials) == {
        "username": "editor",
        "app_password": APP_PASSWORD,
    }
    entry = AuditEntry.objects.get(action="channel.create")
    assert entry.after["has_credentials"] is True
    assert "credentials" not in entry.after and APP_PASSWORD not in str(entry.after)


def test_saved_credentials_are_never_shown_again(head, login):
    channel = _wordpress(head)
    client = login(head, language="en")
    listing = client.get(reverse("publications:channel-list")).content.decode()
    edit = client.get(reverse("publications:channel-edit", args=[channel.pk])).content.decode()
    for page in (listing, edit):
        assert APP_PASSWORD not in page and channel.credentials not in page
    assert "leave empty to keep" in edit
    assert "Situs Dinkes" in listing and "Portal publications" in listing


def test_empty_credentials_keep_the_saved_ones_and_new_ones_replace_them(head, login):
    channel = _wordpress(head)
    sealed = channel.credentials
    client = login(head, language="en")
    url = reverse("publications:channel-edit", args=[channel.pk])
    form = {"name": "Situs baru", "address": "https://dinkes.jemberkab.go.id", "is_active": "on"}
    assert client.post(url, form).status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.credentials) == ("Situs baru", sealed)
    half = client.post(url, form | {"cred_app_password": "new pass 1234"})
    assert half.status_code == 200 and b"Fill in every credential together" in half.content
    client.post(url, form | {"cred_username": "admin2", "cred_app_password": "new pass 1234"})
    channel.refresh_from_db()
    assert credentials_open(channel.credentials)["username"] == "admin2"
    update = AuditEntry.objects.filter(action="channel.update").order_by("pk").last()
    assert update.after["credentials_replaced"] is True
    assert "new pass 1234" not in str(update.before) + str(update.after)


def test_a_wrong_address_is_refused_beside_the_field_keeping_what_was_typed(head, login):
    client = login(head, language="en")
    response = client.post(
        reverse("publications:channel-create") + "?kind=facebook",
        {"name": "FB Dinkes", "address": "facebook.com/dinkes", "cred_access_token": TOKEN},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the numeric id of the page or account" in page
    assert 'value="FB Dinkes"' in page and TOKEN not in page  # the secret is not echoed back
    assert not Channel.objects.filter(kind=ChannelKind.FACEBOOK).exists()


def test_services_check_the_address_and_the_credentials(head):
    with pytest.raises(DomainError):
        _wordpress(head, address="ftp://dinkes.example")
    with pytest.raises(DomainError):
        _wordpress(head, credentials=None)
    with pytest.raises(DomainError):
        channel_create(actor=head, agency=head.agency, kind=ChannelKind.PORTAL, name="Portal 2")
    manual = channel_create(
        actor=head, agency=head.agency, kind=ChannelKind.MANUAL, name="Grup WhatsApp"
    )
    assert manual.credentials == "" and not manual.has_credentials


def test_the_portal_channel_is_always_there_and_only_renamed(head):
    from satudata.publications.services import channel_portal

    portal = channel_portal(head.agency)
    channel_update(actor=head, channel=portal, name="Publikasi portal", is_active=False)
    portal.refresh_from_db()
    assert (portal.name, portal.is_active) == ("Publikasi portal", True)


def test_only_the_head_of_the_agency_or_an_admin_manages_its_channels(
    head, operator, other_head, other_operator, admin_user, login
):
    channel = _wordpress(head)
    with pytest.raises(NotAllowed):
        channel_create(
            actor=other_head, agency=head.agency, kind=ChannelKind.MANUAL, name="Grup lain"
        )
    with pytest.raises(NotAllowed):
        channel_update(actor=operator, channel=channel, name="x", address=channel.address)
    edit = reverse("publications:channel-edit", args=[channel.pk])
    for user in (other_head, other_operator, operator):
        client = login(user)
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"name": "dibajak"}).status_code == 403
    assert login(head).get(reverse("publications:channel-list")).status_code == 200  # in Indonesian
    assert login(operator).get(reverse("publications:channel-list")).status_code == 403
    assert login(other_operator).get(reverse("publications:channel-list")).status_code == 403
    channel.refresh_from_db()
    assert channel.name == "Situs Dinkes"
    admin = login(admin_user, language="en")
    listing = admin.get(reverse("publications:channel-list")).content.decode()
    assert "Situs Dinkes" in listing
    picked = admin.get(reverse("publications:channel-list") + f"?agency={head.agency_id}")
    assert b"Add a channel" in picked.content
    assert (
        admin.post(edit, {"name": "Situs (admin)", "address": channel.address}).status_code == 302
    )


def test_credentials_sealed_with_another_key_are_refused_with_a_message(head, settings):
    channel = _wordpress(head)
    settings.CREDENTIALS_KEY = "another key entirely"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        credentials_open(channel.credentials)
    assert "Enter them again" in refused.value.message
