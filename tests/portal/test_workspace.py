"""Walidata's publishing workspace (SOP step 3): who may use it, publishing, embargo, withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from satudata.portal.choices import DatasetState
from satudata.portal.forms_workspace import parse_release_time
from satudata.portal.models import Dataset
from satudata.portal.selectors import public_dataset
from tests.factories import DataItemFactory
from tests.portal.conftest import fill

LIST = reverse("portal-datasets")
PUBLISH = reverse("portal-publish")


@pytest.fixture
def open_item(portal_world, decree, health, social):
    """An open, filled item not yet published (the SOP step 3's work)."""
    item = DataItemFactory(
        decree=decree,
        agency=health,
        topic=social,
        name="Jumlah Puskesmas",
        level="regency",
        periodicity="annual",
    )
    fill(item, "2025")
    return item


@pytest.fixture
def second_item(portal_world, decree, health, social):
    item = DataItemFactory(
        decree=decree,
        agency=health,
        topic=social,
        name="Jumlah Posyandu",
        level="regency",
        periodicity="annual",
    )
    fill(item, "2024")
    fill(item, "2025")
    return item


def _later(**delta: float) -> str:
    """A local time ahead of now, typed the Indonesian way."""
    return timezone.localtime(timezone.now() + dt.timedelta(**delta)).strftime("%d/%m/%Y %H:%M")


# ------------------------------------------------------------------------------ who may enter


@pytest.mark.parametrize("persona", ["walidata", "admin_user"])
def test_walidata_and_admin_reach_every_workspace_page(request, portal_world, login, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 200
    withdraw = reverse("portal-withdraw", args=[portal_world.open_ds.pk])
    assert client.get(withdraw).status_code == 200


@pytest.mark.parametrize("persona", ["head", "operator", "other_operator", "supervisor"])
def test_it_refuses_every_other_role(request, portal_world, open_item, login, persona):
    client = login(request.getfixturevalue(persona))
    withdraw = reverse("portal-withdraw", args=[portal_world.open_ds.pk])
    assert client.get(LIST).status_code == 403
    assert client.post(PUBLISH, {"items": [open_item.pk]}).status_code == 403
    assert client.get(withdraw).status_code == 403
    assert client.post(withdraw, {"reason": "tidak boleh"}).status_code == 403
    assert not Dataset.objects.filter(code=open_item.code).exists()
    portal_world.open_ds.refresh_from_db()
    assert portal_world.open_ds.state == DatasetState.PUBLISHED


def test_anonymous_is_sent_to_the_login_page(client, portal_world):
    withdraw = reverse("portal-withdraw", args=[portal_world.open_ds.pk])
    for response in (client.get(LIST), client.post(PUBLISH), client.get(withdraw)):
        assert response.status_code == 302
        assert "login" in response["Location"]


# ------------------------------------------------------------------------------------- list


def test_the_list_shows_states_counts_and_public_links(portal_world, open_item, login, walidata):
    page = login(walidata).get(LIST).content.decode()
    world = portal_world
    assert open_item.name in page
    # Walidata sees every item, closed ones too (but they get no checkbox).
    assert world.closed_item.name in page
    assert f'value="{world.closed_item.pk}"' not in page
    assert f'value="{open_item.pk}"' in page
    assert reverse("dataset-detail", args=[world.open_ds.slug]) in page
    # Embargoed and withdrawn datasets have no public page yet / any more.
    assert reverse("dataset-detail", args=[world.embargoed_ds.slug]) not in page
    assert reverse("dataset-detail", args=[world.withdrawn_ds.slug]) not in page
    assert reverse("portal-withdraw", args=[world.withdrawn_ds.pk]) in page
    # open_ds: 3 complete periods, 3 released.
    assert "3 / 3" in page


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("unpublished", ["open_item", "closed_item"], ["open_ds", "withdrawn_ds"]),
        ("published", ["open_ds", "limited_ds"], ["embargoed_ds", "open_item"]),
        ("scheduled", ["embargoed_ds"], ["open_ds", "open_item"]),
        ("withdrawn", ["withdrawn_ds"], ["open_ds", "embargoed_ds"]),
        ("new", ["open_item"], ["open_ds", "limited_ds", "closed_item", "withdrawn_ds"]),
    ],
)
def test_it_filters_by_state(portal_world, open_item, login, walidata, state, shown, hidden):
    def name(key: str) -> str:
        thing = open_item if key == "open_item" else getattr(portal_world, key)
        return thing.name if hasattr(thing, "name") else thing.item.name

    page = login(walidata).get(LIST, {"state": state}).content.decode()
    for key in shown:
        assert name(key) in page, key
    for key in hidden:
        assert name(key) not in page, key


def test_it_filters_by_class_and_agency(portal_world, open_item, login, walidata, education):
    client = login(walidata)
    page = client.get(LIST, {"class": "limited"}).content.decode()
    assert portal_world.limited_ds.item.name in page
    assert open_item.name not in page
    page = client.get(LIST, {"agency": education.pk}).content.decode()
    assert open_item.name not in page


def test_the_step_links_preselect_the_open_filled_items(portal_world, open_item, login, walidata):
    page = login(walidata).get(LIST, {"class": "open", "state": "new", "select": "ready"})
    html = page.content.decode()
    assert f'value="{open_item.pk}" id="item-{open_item.pk}" data-ready checked' in html


def test_an_invalid_filter_is_a_400_with_a_message(portal_world, login, walidata):
    response = login(walidata).get(LIST, {"state": "bogus"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_list_page_reads_a_bounded_number_of_queries(
    portal_world, decree, health, login, walidata, django_assert_max_num_queries
):
    for _ in range(120):
        DataItemFactory(decree=decree, agency=health, level="regency")
    client = login(walidata)
    client.get(LIST)  # warm the session and the site caches
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.content.decode().count('name="items"') >= 120


# ---------------------------------------------------------------------------------- publish


def test_it_publishes_one_item_now(portal_world, open_item, login, walidata):
    client = login(walidata, language="en")
    response = client.post(PUBLISH, {"items": [open_item.pk]}, follow=True)
    dataset = Dataset.objects.get(code=open_item.code)
    assert public_dataset(dataset.slug) == dataset
    assert "1 datasets published, 1 periods released" in response.content.decode()
    entry = AuditEntry.objects.filter(action="dataset_publish").latest("pk")
    assert entry.actor_id == walidata.pk


def test_it_publishes_a_selection_and_keeps_the_filters(
    portal_world, open_item, second_item, login, walidata
):
    response = login(walidata).post(
        PUBLISH, {"items": [open_item.pk, second_item.pk], "query": "class=open&state=new"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?class=open&state=new"
    assert Dataset.objects.filter(code__in=[open_item.code, second_item.code]).count() == 2
    assert AuditEntry.objects.filter(action="dataset_publish").count() >= 2


def test_an_embargo_time_schedules_the_release(portal_world, open_item, login, walidata):
    client = login(walidata)
    response = client.post(
        PUBLISH, {"items": [open_item.pk], "release_at": _later(days=2)}, follow=True
    )
    dataset = Dataset.objects.get(code=open_item.code)
    now = timezone.now()
    assert public_dataset(dataset.slug, now) is None
    assert public_dataset(dataset.slug, now + dt.timedelta(days=2, minutes=1)) == dataset
    assert "embargo" in response.content.decode()
    page = client.get(LIST, {"state": "scheduled"}).content.decode()
    assert open_item.name in page


def test_an_iso_time_from_a_datetime_input_is_understood():
    parsed = parse_release_time("2026-03-31T09:00")
    assert parsed == parse_release_time("31/03/2026 09:00")
    assert timezone.localtime(parsed).hour == 9


def test_a_past_time_is_refused_and_the_form_keeps_what_was_typed(
    portal_world, open_item, second_item, login, walidata
):
    typed = _later(days=-3)
    response = login(walidata).post(
        PUBLISH, {"items": [open_item.pk, second_item.pk], "release_at": typed}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "past" in html or "lalu" in html
    assert f'value="{typed}"' in html
    assert f'value="{open_item.pk}" id="item-{open_item.pk}" data-ready checked' in html
    assert f'value="{second_item.pk}" id="item-{second_item.pk}" data-ready checked' in html
    assert not Dataset.objects.filter(code__in=[open_item.code, second_item.code]).exists()


def test_a_garbled_time_is_refused(portal_world, open_item, login, walidata):
    response = login(walidata).post(PUBLISH, {"items": [open_item.pk], "release_at": "besok"})
    assert response.status_code == 400
    assert 'value="besok"' in response.content.decode()
    assert not Dataset.objects.filter(code=open_item.code).exists()


def test_posting_a_closed_item_publishes_nothing(portal_world, open_item, login, walidata):
    closed = portal_world.closed_item
    response = login(walidata).post(PUBLISH, {"items": [open_item.pk, closed.pk]})
    assert response.status_code == 400
    assert closed.code in response.content.decode()
    assert not Dataset.objects.filter(code__in=[open_item.code, closed.code]).exists()


def test_an_empty_selection_is_refused(portal_world, login, walidata):
    response = login(walidata).post(PUBLISH, {"items": []})
    assert response.status_code == 400


def test_an_item_of_another_decree_is_refused(portal_world, login, walidata, health):
    stray = DataItemFactory(agency=health, level="regency")  # its own decree
    response = login(walidata).post(PUBLISH, {"items": [stray.pk]})
    assert response.status_code == 400
    assert not Dataset.objects.filter(code=stray.code).exists()


def test_an_open_item_without_complete_period_is_refused(
    portal_world, decree, health, login, walidata
):
    empty = DataItemFactory(decree=decree, agency=health, level="regency")
    response = login(walidata).post(PUBLISH, {"items": [empty.pk]})
    assert response.status_code == 400
    assert empty.code in response.content.decode()
    assert not Dataset.objects.filter(code=empty.code).exists()


def test_new_periods_show_until_released(portal_world, login, walidata):
    poor = portal_world.open_ds.item
    fill(poor, "2026")
    client = login(walidata, language="en")
    assert poor.name in client.get(LIST, {"state": "new"}).content.decode()
    response = client.post(PUBLISH, {"items": [poor.pk]}, follow=True)
    assert "1 periods released" in response.content.decode()
    assert poor.name not in client.get(LIST, {"state": "new"}).content.decode()


# --------------------------------------------------------------------------------- withdraw


def test_withdrawal_needs_a_reason(portal_world, login, walidata):
    url = reverse("portal-withdraw", args=[portal_world.open_ds.pk])
    response = login(walidata).post(url, {"reason": "   "})
    assert response.status_code == 400
    portal_world.open_ds.refresh_from_db()
    assert portal_world.open_ds.state == DatasetState.PUBLISHED


def test_it_withdraws_with_the_reason_and_tells_it_is_public(portal_world, login, walidata):
    client = login(walidata)
    url = reverse("portal-withdraw", args=[portal_world.open_ds.pk])
    page = client.get(url).content.decode()
    assert "publik" in page or "public" in page
    response = client.post(url, {"reason": "Koreksi angka 2024."})
    assert response.status_code == 302
    dataset = Dataset.objects.get(pk=portal_world.open_ds.pk)
    assert dataset.state == DatasetState.WITHDRAWN
    assert dataset.withdrawn_reason == "Koreksi angka 2024."
    assert public_dataset(dataset.slug) is None
    assert AuditEntry.objects.filter(action="dataset_withdraw").exists()


def test_the_detail_page_shows_releases_and_history(portal_world, login, walidata):
    world = portal_world
    page = login(walidata).get(reverse("portal-withdraw", args=[world.embargoed_ds.pk]))
    html = page.content.decode()
    assert "2025" in html
    assert "ws-state-scheduled" in html  # the embargoed release
    withdrawn = login(walidata).get(reverse("portal-withdraw", args=[world.withdrawn_ds.pk]))
    html = withdrawn.content.decode()
    assert "Ditarik untuk koreksi metodologi." in html
    assert 'name="reason"' not in html  # already withdrawn: no second withdrawal


def test_an_unknown_dataset_is_a_404(portal_world, login, walidata):
    assert login(walidata).get(reverse("portal-withdraw", args=[999999])).status_code == 404


def test_a_limited_item_is_listed_without_values(portal_world, decree, health, login, walidata):
    limited = DataItemFactory(
        decree=decree, agency=health, level="regency", accessibility=Accessibility.LIMITED
    )
    login(walidata).post(PUBLISH, {"items": [limited.pk]})
    dataset = Dataset.objects.get(code=limited.code)
    assert public_dataset(dataset.slug) == dataset
    assert not dataset.releases.exists()


# ------------------------------------------------------------------- from the step-1/2 pages


@pytest.mark.parametrize("step", ["step1", "step2"])
def test_the_step_pages_link_to_the_workspace_for_walidata(portal_world, login, walidata, step):
    html = login(walidata).get(reverse(step)).content.decode()
    assert f"{LIST}?class=open&amp;state=new&amp;select=ready" in html


def test_the_step_pages_offer_no_publish_link_to_a_producer(portal_world, login, head):
    html = login(head).get(reverse("step1")).content.decode()
    assert LIST not in html
