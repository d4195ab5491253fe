"""The portal's rules of visibility: release time and class, checked by the selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from satudata.catalog.services import item_update
from satudata.core.errors import DomainError, NotAllowed
from satudata.portal.choices import RevisionKind
from satudata.portal.models import Dataset
from satudata.portal.selectors import (
    public_dataset,
    public_datasets,
    public_observations,
    public_revisions,
    released_periods,
    upcoming_releases,
)
from satudata.portal.services import datasets_publish
from tests.factories import DataItemFactory
from tests.portal.conftest import fill


def test_public_datasets_are_the_open_and_limited_released_ones(portal_world):
    w = portal_world
    public = set(public_datasets().values_list("code", flat=True))
    assert public == {w.open_ds.code, w.district_ds.code, w.limited_ds.code}
    assert not Dataset.objects.filter(code=w.closed_item.code).exists()


def test_values_are_public_only_for_open_datasets_and_released_periods(portal_world):
    w = portal_world
    assert released_periods(w.open_ds) == ["2023", "2024", "2025"]
    assert public_observations(w.open_ds).count() == 3
    assert public_observations(w.district_ds).count() == 62
    assert not public_observations(w.limited_ds).exists()
    assert released_periods(w.limited_ds) == []


def test_an_embargoed_dataset_appears_exactly_at_its_release_time(portal_world):
    w = portal_world
    release = w.embargoed_ds.releases.get()
    before = release.release_at - dt.timedelta(seconds=1)
    assert public_dataset(w.embargoed_ds.slug, now=before) is None
    at = release.release_at
    assert public_dataset(w.embargoed_ds.slug, now=at) is not None
    assert public_observations(w.embargoed_ds, now=at).count() == 1
    assert list(upcoming_releases()) == [release]


def test_reclassifying_an_item_hides_it_at_once(portal_world, walidata):
    w = portal_world
    item_update(
        actor=walidata,
        item=w.open_ds.item,
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert public_dataset(w.open_ds.slug) is None


def test_a_newer_decree_closing_the_code_hides_the_dataset(portal_world):
    from tests.factories import DecreeFactory

    w = portal_world
    newer = DecreeFactory(year=2027, decree_date=dt.date(2027, 1, 10))
    DataItemFactory(
        decree=newer,
        code=w.open_ds.code,
        agency=w.open_ds.item.agency,
        name="Jumlah Penduduk Miskin",
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert public_dataset(w.open_ds.slug) is None


def test_closed_items_are_refused_and_nothing_is_published(portal_world, walidata, decree, health):
    fresh = DataItemFactory(decree=decree, agency=health, level="regency", name="Baru")
    fill(fresh, "2025")
    with pytest.raises(DomainError):
        datasets_publish(actor=walidata, items=[fresh, portal_world.closed_item])
    assert not Dataset.objects.filter(code=fresh.code).exists()


def test_only_walidata_and_admins_publish(portal_world, operator, head):
    for user in (operator, head):
        with pytest.raises(NotAllowed):
            datasets_publish(actor=user, items=[portal_world.open_ds.item])


def test_a_value_change_in_a_released_period_is_a_public_revision(portal_world):
    w = portal_world
    version = w.open_ds.version
    fill(w.open_ds.item, "2025", Decimal("5000"))
    w.open_ds.refresh_from_db()
    assert w.open_ds.version == version + 1
    kinds = [r.kind for r in public_revisions(w.open_ds)]
    assert kinds[0] == RevisionKind.VALUES_REVISED


def test_a_release_time_in_the_past_is_refused(portal_world, walidata):
    with pytest.raises(DomainError):
        datasets_publish(
            actor=walidata,
            items=[portal_world.open_ds.item],
            release_at=timezone.now() - dt.timedelta(days=1),
        )


def _same_rows(now=None):
    from satudata.portal.selectors import public_dataset_rows

    ids = set(public_datasets(now).values_list("pk", flat=True))
    assert ids == set(public_dataset_rows(now).values_list("pk", flat=True))
    return ids


def test_the_counting_selector_gives_the_same_rows_after_every_kind_of_change(
    portal_world, walidata
):
    from tests.factories import DecreeFactory

    w = portal_world
    assert len(_same_rows()) == 3
    assert w.embargoed_ds.pk in _same_rows(now=w.embargoed_ds.releases.get().release_at)
    item_update(
        actor=walidata,
        item=w.district_ds.item,
        accessibility="limited",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    item_update(
        actor=walidata,
        item=w.limited_ds.item,
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert w.limited_ds.pk not in _same_rows()
    newer = DecreeFactory(year=2027, decree_date=dt.date(2027, 1, 10))
    DataItemFactory(
        decree=newer,
        code=w.open_ds.code,
        agency=w.open_ds.item.agency,
        name="Jumlah Penduduk Miskin",
        accessibility="closed",
        accessibility_reason="UU 14/2008 pasal 17",
    )
    assert _same_rows() == {w.district_ds.pk}
