"""The audit log page: who may read it, what a row and an entry show, filters and paging."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from satudata.accounts.services import user_update
from satudata.audit.models import AuditEntry
from satudata.audit.selectors import audit_entries, audit_page
from satudata.audit.services import audit_entry, audit_record
from satudata.catalog.choices import Accessibility
from satudata.catalog.services import item_update
from satudata.core.actors import SystemActor
from tests.factories import DataItemFactory


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source strings, whatever the Indonesian catalog says.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def updated_item(walidata, decree, health):
    """An item whose unit the walidata changed from "orang" to "jiwa"."""
    item = DataItemFactory(decree=decree, agency=health, unit="orang", name="Jumlah Bidan")
    return item_update(actor=walidata, item=item, unit="jiwa")


def _rows(response) -> list[AuditEntry]:
    return [row["entry"] for row in response.context["rows"]]


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("audit-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["head", "operator", "other_operator", "supervisor"])
def test_it_refuses_producers_and_the_supervisor(request, login, persona, walidata):
    client = login(request.getfixturevalue(persona))
    entry = AuditEntry.objects.first()
    assert client.get(reverse("audit-list")).status_code == 403
    assert client.get(reverse("audit-detail", args=[entry.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["walidata", "admin_user"])
def test_walidata_and_administrators_read_the_log(request, login, persona):
    response = login(request.getfixturevalue(persona)).get(reverse("audit-list"))
    assert response.status_code == 200
    assert _rows(response)


def test_an_item_update_shows_a_readable_action_and_its_before_and_after(
    login, walidata, updated_item
):
    client = login(walidata)
    response = client.get(reverse("audit-list"))
    entry = _rows(response)[0]
    assert entry.action == "item_update"
    page = response.content.decode()
    assert "Item updated" in page and "Jumlah Bidan" in page
    detail = client.get(reverse("audit-detail", args=[entry.pk]))
    changes = {c.name: (c.before, c.after) for c in detail.context["changes"]}
    assert changes == {"unit": ("orang", "jiwa")}
    html = detail.content.decode()
    assert "orang" in html and "jiwa" in html


def test_a_change_of_class_shows_the_readable_class_beside_its_code(
    login, walidata, decree, health
):
    item = DataItemFactory(decree=decree, agency=health)
    item_update(
        actor=walidata,
        item=item,
        accessibility=Accessibility.LIMITED,
        accessibility_reason="UU 14/2008 pasal 17",
    )
    entry = AuditEntry.objects.get(action="item_classify")
    detail = login(walidata).get(reverse("audit-detail", args=[entry.pk]))
    changes = {c.name: (c.before, c.after) for c in detail.context["changes"]}
    assert changes["accessibility"] == ("Open (open)", "Limited (limited)")


def test_an_unknown_action_is_shown_raw(login, walidata, health):
    audit_record(
        actor=SystemActor("cli:root"), action="mystery_fix", target=health, before=None, after={}
    )
    response = login(walidata).get(reverse("audit-list"))
    assert response.context["rows"][0]["action_label"] == "mystery_fix"
    assert "mystery_fix" in response.content.decode()


def test_the_filters_narrow_the_rows(login, walidata, admin_user, updated_item, health):
    client = login(walidata)
    every = _rows(client.get(reverse("audit-list")))
    assert {e.action for e in every} >= {"item_update", "item_create", "agency_create"}

    by_action = _rows(client.get(reverse("audit-list"), {"action": "item_update"}))
    assert [e.target_id for e in by_action] == [str(updated_item.pk)]

    by_actor = _rows(client.get(reverse("audit-list"), {"actor": "walidata"}))
    assert {e.actor_label for e in by_actor} == {"walidata"}
    assert len(by_actor) < len(every)

    by_system_actor = _rows(client.get(reverse("audit-list"), {"actor": "tests"}))
    assert by_system_actor and {e.actor_label for e in by_system_actor} == {"tests"}

    by_object = _rows(
        client.get(
            reverse("audit-list"),
            {"target_type": "catalog.dataitem", "target_id": str(updated_item.pk)},
        )
    )
    assert {e.action for e in by_object} == {"item_create", "item_update"}

    by_text = _rows(client.get(reverse("audit-list"), {"q": "kesehatan"}))
    assert {e.target_repr for e in by_text} == {"Dinas Kesehatan"}


def test_the_date_filter_keeps_the_days_asked_for(login, walidata, health):
    jakarta = timezone.get_current_timezone()
    # Just after midnight in Jakarta is still the previous day in UTC: days are local days.
    for day in (1, 2, 3):
        for hour in (0, 23):
            moment = dt.datetime(2026, 3, day, hour, 30, tzinfo=jakarta)
            with mock.patch("django.utils.timezone.now", return_value=moment):
                audit_record(
                    actor=walidata, action=f"day_{day}", target=health, before=None, after={}
                )
    rows = _rows(
        login(walidata).get(
            reverse("audit-list"), {"date_from": "2026-03-02", "date_to": "2026-03-02"}
        )
    )
    assert [e.action for e in rows] == ["day_2", "day_2"]


def test_a_reversed_date_range_is_refused_and_kept(login, walidata):
    response = login(walidata).get(
        reverse("audit-list"), {"date_from": "2026-03-05", "date_to": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    assert response.context["rows"] == []
    assert 'value="2026-03-05"' in response.content.decode()


def test_the_log_is_paged_newest_first_without_gaps(walidata, health):
    AuditEntry.objects.bulk_create(
        audit_entry(actor=walidata, action="bulk", target=health, before=None, after={"n": n})
        for n in range(120)
    )
    entries = audit_entries({"action": "bulk"})
    first = audit_page(entries, size=50)
    second = audit_page(entries, after=first.next_after, size=50)
    third = audit_page(entries, after=second.next_after, size=50)
    seen = [e.after["n"] for page in (first, second, third) for e in page.entries]
    assert seen == list(range(119, -1, -1))
    assert first.prev_before is None and third.next_after is None
    back = audit_page(entries, before=third.prev_before, size=50)
    assert [e.pk for e in back.entries] == [e.pk for e in second.entries]
    assert back.prev_before == second.entries[0].pk and back.next_after == second.next_after


def test_the_pager_links_keep_the_filters(login, walidata, health):
    AuditEntry.objects.bulk_create(
        audit_entry(actor=walidata, action="bulk", target=health, before=None, after={"n": n})
        for n in range(60)
    )
    client = login(walidata)
    page = client.get(reverse("audit-list"), {"action": "bulk"})
    older = page.context["page"].next_after
    assert f"action=bulk&amp;after={older}" in page.content.decode()
    rest = client.get(reverse("audit-list"), {"action": "bulk", "after": older})
    assert len(rest.context["rows"]) == 10


def test_the_list_costs_the_same_queries_for_one_row_or_fifty(
    login, walidata, health, django_assert_max_num_queries
):
    client = login(walidata)
    client.get(reverse("audit-list"))  # warm the session and the region name cache
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("audit-list"))
    AuditEntry.objects.bulk_create(
        audit_entry(actor=walidata, action="bulk", target=health, before={"n": 0}, after={"n": n})
        for n in range(60)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("audit-list"))
    assert len(response.context["rows"]) == 50


def test_the_log_cannot_be_changed_from_its_pages(login, walidata):
    client = login(walidata)
    entry = AuditEntry.objects.first()
    assert client.post(reverse("audit-list")).status_code == 405
    assert client.post(reverse("audit-detail", args=[entry.pk])).status_code == 405


def test_an_action_newer_than_the_cached_choices_can_still_be_filtered(login, walidata, health):
    client = login(walidata)
    client.get(reverse("audit-list"))  # fills the cached choices without the new action
    audit_record(actor=walidata, action="fresh_action", target=health, before=None, after={})
    rows = _rows(client.get(reverse("audit-list"), {"action": "fresh_action"}))
    assert [e.action for e in rows] == ["fresh_action"]


def test_a_move_to_another_agency_names_both_agencies(
    login, admin_user, operator, health, education
):
    user_update(actor=admin_user, user=operator, agency=education)
    entry = AuditEntry.objects.get(action="user_update", target_id=str(operator.pk))
    detail = login(admin_user).get(reverse("audit-detail", args=[entry.pk]))
    change = {c.name: c for c in detail.context["changes"]}["agency_id"]
    assert change.label == "agency"
    assert (change.before, change.after) == (
        f"Dinas Kesehatan (#{health.pk})",
        f"Dinas Pendidikan (#{education.pk})",
    )
