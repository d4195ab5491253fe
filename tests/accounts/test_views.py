"""Agencies and users pages: who may open them, what they write, and how they refuse."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from satudata.accounts.models import Agency, User
from satudata.accounts.roles import Role
from satudata.accounts.selectors import agencies_with_item_counts
from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from tests.factories import AgencyFactory, DataItemFactory, UserFactory

NEW_AGENCY = {
    "code": "2.16.01",
    "name": "Dinas Komunikasi dan Informatika",
    "short_name": "Diskominfo",
    "kind": "dinas",
    "website": "https://kominfo.jemberkab.go.id",
    "email": "",
    "instagram": "@kominfojember",
    "facebook": "",
    "x_account": "",
    "youtube": "",
    "is_active": "on",
}


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source strings, whatever the Indonesian catalog says.
    settings.LANGUAGE_CODE = "en"


def _new_user(**overrides) -> dict:
    data = {
        "username": "baru",
        "first_name": "Siti",
        "last_name": "Aminah",
        "email": "siti@example.go.id",
        "role": Role.PRODUCER_OPERATOR,
        "agency": "",
        "position": "Statistisi",
        "password1": "kopi-tubruk-2026",
        "password2": "kopi-tubruk-2026",
    }
    return {**data, **overrides}


def _edit_data(user: User, **overrides) -> dict:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "agency": user.agency_id or "",
        "position": user.position,
        "is_active": "on" if user.is_active else "",
        "new_password1": "",
        "new_password2": "",
    }
    return {k: v for k, v in {**data, **overrides}.items() if v is not None}


@pytest.mark.parametrize("name", ["agency-list", "agency-create", "user-list", "user-create"])
def test_it_sends_anonymous_visitors_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona", ["walidata", "head", "operator", "other_operator", "supervisor", "admin_user"]
)
def test_every_signed_in_role_sees_the_agency_list(request, login, health, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get(reverse("agency-list"))
    assert response.status_code == 200
    assert "Dinas Kesehatan" in response.content.decode()


def test_the_agency_list_counts_items_by_class_in_one_query(
    walidata, health, decree, django_assert_num_queries
):
    for accessibility in (Accessibility.OPEN, Accessibility.OPEN, Accessibility.CLOSED):
        DataItemFactory(decree=decree, agency=health, accessibility=accessibility)
    with django_assert_num_queries(1):
        rows = {a.pk: a for a in agencies_with_item_counts(user=walidata)}
    assert (rows[health.pk].n_open, rows[health.pk].n_limited, rows[health.pk].n_closed) == (
        2,
        0,
        1,
    )
    assert rows[health.pk].n_items == 3


def test_it_hides_how_many_closed_items_another_agency_has(
    login, other_operator, operator, health, decree
):
    DataItemFactory(decree=decree, agency=health, accessibility=Accessibility.OPEN)
    DataItemFactory(decree=decree, agency=health, accessibility=Accessibility.CLOSED)
    outsider = {a.pk: a for a in agencies_with_item_counts(user=other_operator)}[health.pk]
    insider = {a.pk: a for a in agencies_with_item_counts(user=operator)}[health.pk]
    assert (outsider.n_open, outsider.n_closed, outsider.n_items) == (1, 0, 1)
    assert (insider.n_open, insider.n_closed, insider.n_items) == (1, 1, 2)
    page = login(other_operator).get(reverse("agency-list")).content.decode()
    assert "Closed data of other agencies is not shown." in page


def test_the_search_box_narrows_the_agency_list(login, walidata, health, education):
    page = login(walidata).get(reverse("agency-list"), {"q": "Dispendik"}).content.decode()
    assert "Dinas Pendidikan" in page
    assert "Dinas Kesehatan" not in page


def test_walidata_adds_an_agency_and_it_is_audited(login, walidata):
    response = login(walidata).post(reverse("agency-create"), NEW_AGENCY)
    assert response.status_code == 302
    agency = Agency.objects.get(code="2.16.01")
    assert agency.instagram == "@kominfojember"
    entry = AuditEntry.objects.get(action="agency_create", target_id=str(agency.pk))
    assert entry.actor == walidata
    assert entry.after["short_name"] == "Diskominfo"


def test_it_refuses_an_operator_adding_an_agency_and_changes_nothing(login, operator):
    agencies, entries = Agency.objects.count(), AuditEntry.objects.count()
    client = login(operator)
    assert client.get(reverse("agency-create")).status_code == 403
    assert client.post(reverse("agency-create"), NEW_AGENCY).status_code == 403
    assert (Agency.objects.count(), AuditEntry.objects.count()) == (agencies, entries)


def test_it_refuses_an_operator_editing_an_agency(login, operator, health):
    data = {**NEW_AGENCY, "code": health.code, "name": "Diganti"}
    response = login(operator).post(reverse("agency-edit", args=[health.pk]), data)
    assert response.status_code == 403
    health.refresh_from_db()
    assert health.name == "Dinas Kesehatan"


def test_walidata_edits_an_agency_and_the_log_has_before_and_after(login, walidata, health):
    data = {**NEW_AGENCY, "code": health.code, "name": health.name, "short_name": "Dinkes Jbr"}
    response = login(walidata).post(reverse("agency-edit", args=[health.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="agency_update", target_id=str(health.pk))
    assert ("short_name", "Dinkes", "Dinkes Jbr") in entry.changes


def test_an_agency_logo_must_be_a_real_image(login, walidata, health, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = str(tmp_path)
    url = reverse("agency-edit", args=[health.pk])
    data = {**NEW_AGENCY, "code": health.code, "name": health.name, "short_name": "Dinkes"}
    fake = SimpleUploadedFile("logo.png", b"<script>not an image</script>", "image/png")
    response = login(walidata).post(url, {**data, "logo": fake})
    assert response.status_code == 200 and "logo" in response.context["form"].errors
    health.refresh_from_db()
    assert not health.logo
    png = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 90, 160)).save(png, format="PNG")
    real = SimpleUploadedFile("logo.png", png.getvalue(), "image/png")
    assert login(walidata).post(url, {**data, "logo": real}).status_code == 302
    health.refresh_from_db()
    assert health.logo.name.startswith("agencies/") and health.logo.width == 64


def test_an_agency_form_error_keeps_what_was_typed(login, walidata, health):
    data = {**NEW_AGENCY, "code": health.code, "website": "not a web address"}
    response = login(walidata).post(reverse("agency-create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"code", "website"}
    page = response.content.decode()
    assert 'value="Dinas Komunikasi dan Informatika"' in page
    assert 'value="not a web address"' in page
    assert not Agency.objects.filter(name=NEW_AGENCY["name"]).exists()


@pytest.mark.parametrize("persona", ["walidata", "head", "operator", "supervisor"])
@pytest.mark.parametrize("name", ["user-list", "user-create", "user-edit"])
def test_only_administrators_open_the_users_pages(request, login, persona, name, other_operator):
    user = request.getfixturevalue(persona)
    args = [other_operator.pk] if name == "user-edit" else []
    assert login(user).get(reverse(name, args=args)).status_code == 403


def test_it_refuses_a_walidata_creating_a_user_and_creates_nothing(login, walidata, health):
    before = User.objects.count()
    response = login(walidata).post(reverse("user-create"), _new_user(agency=health.pk))
    assert response.status_code == 403
    assert User.objects.count() == before


def test_the_user_list_filters_by_role_and_agency(
    login, admin_user, operator, head, other_operator, health
):
    client = login(admin_user)
    rows = client.get(reverse("user-list"), {"role": Role.PRODUCER_OPERATOR}).context["page"]
    assert {u.username for u in rows} == {"operator", "operator2"}
    rows = client.get(
        reverse("user-list"), {"role": Role.PRODUCER_OPERATOR, "agency": health.pk}
    ).context["page"]
    assert [u.username for u in rows] == ["operator"]


def test_an_administrator_creates_a_user_who_can_sign_in(login, admin_user, health):
    response = login(admin_user).post(reverse("user-create"), _new_user(agency=health.pk))
    assert response.status_code == 302
    user = User.objects.get(username="baru")
    assert (user.role, user.agency, user.position) == (Role.PRODUCER_OPERATOR, health, "Statistisi")
    assert AuditEntry.objects.filter(action="user_create", target_id=str(user.pk)).exists()
    assert Client().login(username="baru", password="kopi-tubruk-2026")


def test_it_refuses_a_producer_without_an_agency_on_the_agency_field(login, admin_user):
    response = login(admin_user).post(reverse("user-create"), _new_user(agency=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["agency"]
    assert "needs an agency" in errors["agency"][0]
    assert 'value="baru"' in response.content.decode()
    assert not User.objects.filter(username="baru").exists()


def test_it_refuses_two_different_passwords_and_keeps_the_rest(login, admin_user, health):
    data = _new_user(agency=health.pk, password2="kopi-susu-2026")
    response = login(admin_user).post(reverse("user-create"), data)
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    page = response.content.decode()
    assert 'value="siti@example.go.id"' in page and 'value="Statistisi"' in page
    assert not User.objects.filter(username="baru").exists()


def test_it_refuses_a_weak_initial_password(login, admin_user, health):
    data = _new_user(agency=health.pk, password1="12345678", password2="12345678")
    response = login(admin_user).post(reverse("user-create"), data)
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="baru").exists()


def test_an_administrator_changes_a_role_and_password_in_one_step(
    login, admin_user, operator, health
):
    data = _edit_data(
        operator,
        role=Role.PRODUCER_HEAD,
        new_password1="teh-manis-jember",
        new_password2="teh-manis-jember",
    )
    response = login(admin_user).post(reverse("user-edit", args=[operator.pk]), data)
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.role == Role.PRODUCER_HEAD
    assert operator.check_password("teh-manis-jember")
    actions = set(
        AuditEntry.objects.filter(target_id=str(operator.pk)).values_list("action", flat=True)
    )
    assert {"user_update", "user_set_password"} <= actions


def test_an_empty_new_password_keeps_the_old_one(login, admin_user, operator):
    data = _edit_data(operator, position="Kepala Seksi Data")
    assert login(admin_user).post(reverse("user-edit", args=[operator.pk]), data).status_code == 302
    operator.refresh_from_db()
    assert operator.position == "Kepala Seksi Data"
    assert not AuditEntry.objects.filter(
        action="user_set_password", target_id=str(operator.pk)
    ).exists()


def test_it_refuses_moving_an_operator_out_of_every_agency(login, admin_user, operator):
    data = _edit_data(operator, agency="")
    response = login(admin_user).post(reverse("user-edit", args=[operator.pk]), data)
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    operator.refresh_from_db()
    assert operator.agency_id is not None


def test_it_refuses_an_administrator_demoting_themselves(login, admin_user):
    data = _edit_data(admin_user, role=Role.WALIDATA)
    response = login(admin_user).post(reverse("user-edit", args=[admin_user.pk]), data)
    assert response.status_code == 200
    assert "You cannot change your own role." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_it_refuses_an_administrator_deactivating_themselves(login, admin_user):
    data = _edit_data(admin_user, is_active="")
    response = login(admin_user).post(reverse("user-edit", args=[admin_user.pk]), data)
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_an_administrator_may_deactivate_someone_else(login, admin_user):
    other = UserFactory(username="admin2", role=Role.ADMIN)
    data = _edit_data(other, is_active="")
    assert login(admin_user).post(reverse("user-edit", args=[other.pk]), data).status_code == 302
    other.refresh_from_db()
    assert not other.is_active


def test_changing_ones_own_password_keeps_one_signed_in(login, admin_user):
    client = login(admin_user)
    data = _edit_data(admin_user, new_password1="rawon-nguling-1", new_password2="rawon-nguling-1")
    assert client.post(reverse("user-edit", args=[admin_user.pk]), data).status_code == 302
    assert client.get(reverse("user-list")).status_code == 200


def test_an_inactive_agency_is_not_offered_for_new_accounts(login, admin_user, health):
    AgencyFactory(code="9.99", name="Dinas Lama", short_name="Lama", is_active=False)
    form = login(admin_user).get(reverse("user-create")).context["form"]
    names = {a.name for a in form.fields["agency"].queryset}
    assert "Dinas Kesehatan" in names and "Dinas Lama" not in names
