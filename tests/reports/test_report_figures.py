"""The report's figures, gathered from a small world whose every number is known.

Year Y is last year (every due date below is past, whatever the day the tests run):

    health     A open, annual       Y due Y-12-31, filled Y-12-01 (on time)
               C closed, annual     Y due Y-12-15, filled Y-12-20 (late)
               D limited, annual    Y due Y-12-31, missing
    education  B open, quarterly    Q1 due Y-05-15 filled Y-05-01 (on time)
                                    Q2 due Y-08-14 filled Y-09-01 (late)
                                    Q3 due Y-11-14 missing; Q4 due Y-12-31 missing

Events of this month (the report for the current month): A and D are put on the portal (A's
year Y released), A's dataset is viewed, D is requested and the request approved, and one
publication of the health office is published on its portal channel.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from satudata.access.services import request_approve, request_submit
from satudata.catalog.choices import Accessibility
from satudata.catalog.models import DataItem
from satudata.catalog.services import regions_load
from satudata.core.errors import DomainError
from satudata.portal.models import Dataset, DatasetUsage
from satudata.portal.services import datasets_publish
from satudata.publications.choices import PostState
from satudata.publications.services import (
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
    publication_settle,
)
from satudata.reports.gather import gather
from satudata.reports.services import report_create, report_period
from satudata.schedule.periods import Period
from satudata.schedule.services import due_override_set, fill_states_sync
from satudata.values.services import CellValue, observations_save
from tests.factories import SYSTEM, DataItemFactory

REGENCY = "35.09"
CLOSED_NAME = "Jumlah Kasus Rahasia"


@dataclass
class World:
    year: int
    a: DataItem
    b: DataItem
    c: DataItem
    d: DataItem


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def _fill(item: DataItem, period: str, on: dt.date) -> None:
    observations_save(
        actor=SYSTEM,
        item=item,
        period=period,
        cells=[CellValue(REGENCY, "", Decimal("12.5"))],
        at=_noon(on),
    )


def build_world(*, decree, health, education) -> World:
    regions_load(actor=SYSTEM, root=REGENCY)
    y = timezone.localdate().year - 1

    def item(agency, code, **kw):
        kw.setdefault("periodicity", "annual")
        kw.setdefault("name", f"Data {code}")
        return DataItemFactory(decree=decree, agency=agency, code=code, level="regency", **kw)

    a = item(health, "A")
    b = item(education, "B", periodicity="quarterly")
    c = item(health, "C", accessibility=Accessibility.CLOSED, name=CLOSED_NAME)
    d = item(health, "D", accessibility=Accessibility.LIMITED)
    fill_states_sync(year=y)
    dues = {
        (a, f"{y}"): dt.date(y, 12, 31),
        (c, f"{y}"): dt.date(y, 12, 15),
        (d, f"{y}"): dt.date(y, 12, 31),
        (b, f"{y}-Q1"): dt.date(y, 5, 15),
        (b, f"{y}-Q2"): dt.date(y, 8, 14),
        (b, f"{y}-Q3"): dt.date(y, 11, 14),
        (b, f"{y}-Q4"): dt.date(y, 12, 31),
    }
    for (it, period), due in dues.items():
        due_override_set(actor=SYSTEM, item=it, period=period, due_date=due)
    _fill(a, f"{y}", dt.date(y, 12, 1))
    _fill(c, f"{y}", dt.date(y, 12, 20))
    _fill(b, f"{y}-Q1", dt.date(y, 5, 1))
    _fill(b, f"{y}-Q2", dt.date(y, 9, 1))
    return World(year=y, a=a, b=b, c=c, d=d)


def add_events(world: World, *, walidata, head, operator) -> None:
    """This month's portal, access and publication events (see the module doc)."""
    datasets_publish(actor=walidata, items=[world.a, world.d])
    open_ds = Dataset.objects.get(code="A")
    limited_ds = Dataset.objects.get(code="D")
    DatasetUsage.objects.create(
        dataset=open_ds, day=timezone.localdate(), views=7, downloads=3, api_calls=2
    )
    DatasetUsage.objects.create(dataset=limited_ds, day=timezone.localdate(), views=4)
    request = request_submit(
        actor=None,
        dataset=limited_ds,
        name="Peneliti",
        institution="Universitas Jember",
        purpose="Penelitian skripsi tentang kesehatan.",
        email="peneliti@example.ac.id",
    )
    request_approve(
        actor=walidata,
        request=request,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    publication = publication_instruct(
        actor=head, agency=world.a.agency, assignee=operator, topic="Data A"
    )
    draft_save(actor=operator, publication=publication, title="Rilis Data A", body="<p>Isi.</p>")
    draft_submit(actor=operator, publication=publication)
    publication_approve(actor=head, publication=publication)
    # The posting job is the posting helper's; here its outcome is written as it would be.
    publication.posts.update(
        state=PostState.POSTED,
        url="https://satudata.example/publikasi/data-a/",
        posted_at=timezone.now(),
    )
    publication_settle(actor=SYSTEM, publication=publication)


@pytest.fixture
def world(decree, health, education) -> World:
    return build_world(decree=decree, health=health, education=education)


def _agency(data, name):
    return next(a for a in data["agencies"] if a["name"] == name)


def test_the_yearly_figures_per_agency_follow_the_fill_check(world):
    data = gather(period=Period.parse(str(world.year)))

    health = _agency(data, "Dinas Kesehatan")
    education = _agency(data, "Dinas Pendidikan")
    assert health["items"] == {"open": 1, "limited": 1, "closed": 1, "total": 3}
    assert education["items"] == {"open": 1, "limited": 0, "closed": 0, "total": 1}
    assert health["fill"]["scheduled"] == 3
    assert (health["fill"]["filled"], health["fill"]["filled_late"]) == (1, 1)
    assert health["fill"]["missing"] == 1
    assert education["fill"]["scheduled"] == 4
    assert (education["fill"]["filled"], education["fill"]["filled_late"]) == (1, 1)
    assert education["fill"]["missing"] == 2
    assert data["summary"]["fill"]["scheduled"] == 7
    assert data["summary"]["fill_by_class"]["closed"]["filled_late"] == 1
    assert data["summary"]["fill_by_class"]["open"]["scheduled"] == 5
    assert data["empty"] is False
    assert data["ongoing"] is False


def test_a_quarter_counts_only_the_periods_ending_in_it(world):
    data = gather(period=Period.parse(f"{world.year}-Q2"))

    education = _agency(data, "Dinas Pendidikan")
    assert education["fill"]["scheduled"] == 1
    assert education["fill"]["filled_late"] == 1
    assert data["summary"]["fill"]["scheduled"] == 1


def test_this_months_events_are_counted_and_closed_items_never_named(
    world, walidata, head, operator
):
    add_events(world, walidata=walidata, head=head, operator=operator)
    today = timezone.localdate()
    data = gather(period=Period(today.year, today.month, "monthly"))

    health = _agency(data, "Dinas Kesehatan")
    assert health["datasets"] == 1  # A released; D is listed but has no released values
    assert [d["code"] for d in health["dataset_list"]] == ["A"]
    assert health["publications"] == 1
    assert health["posts"]["portal"] == 1
    assert health["links"][0]["url"] == "https://satudata.example/publikasi/data-a/"
    assert health["usage"] == {"views": 11, "downloads": 3, "api_calls": 2}
    # The top list names open datasets only.
    assert [d["code"] for d in data["summary"]["top_datasets"]] == ["A"]
    assert health["access"]["received"] == 1
    assert health["access"]["approved"] == 1
    steps = {s["number"]: s for s in data["summary"]["steps"]}
    assert steps[4]["runs"] == 1 and steps[5]["runs"] == 1 and steps[6]["runs"] == 1
    assert health["steps"]["6"]["on_time"] + health["steps"]["6"]["late"] == 1
    assert CLOSED_NAME not in json.dumps(data)


def test_a_future_period_is_refused_with_a_clear_message(walidata):
    next_year = str(timezone.localdate().year + 1)
    with translation.override("en"), pytest.raises(DomainError, match="has not begun yet"):
        report_create(actor=walidata, period=next_year)
    with translation.override("en"), pytest.raises(DomainError, match="is not a period"):
        report_period("2026-Q5")


def test_a_period_without_data_gives_a_report_that_says_so(db):
    data = gather(period=Period.parse("2024-Q1"))

    assert data["empty"] is True
    assert data["agencies"] == []
    assert data["summary"]["fill"]["scheduled"] == 0
