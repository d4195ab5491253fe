"""Lateness by step, the portal, access requests and publications on the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from satudata.access.models import AccessRequest
from satudata.access.services import request_approve, request_refuse, request_submit
from satudata.portal.models import DatasetUsage
from satudata.portal.services import dataset_withdraw, datasets_publish
from satudata.portal.usage import usage_add
from satudata.publications.choices import ChannelKind, PostState
from satudata.publications.models import Channel, Post, PublicationStep
from satudata.publications.services import (
    draft_save,
    draft_submit,
    publication_approve,
    publication_instruct,
    publication_settle,
)
from satudata.reports.dashboard import Window, dashboard_for, local_midnight
from satudata.schedule.periods import Period
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.services import cycle_start, sop_load, step_finish, step_start
from tests.factories import SYSTEM
from tests.reports.dashboard_world import fill_one, make_item


def _first_monday_of_july(year: int) -> dt.datetime:
    day = dt.date(year, 7, 1)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    return local_midnight(day) + dt.timedelta(hours=8)


@pytest.fixture
def cycle_runs(db):
    """Last year's June cycle: step 1 done in 2 hours, step 2 in 3 working days (standard:
    1), step 3 started and never finished."""
    year = timezone.localdate().year - 1
    sop_load(actor=SYSTEM, path=DEFAULT_SOP_FILE)
    monday = _first_monday_of_july(year)
    cycle = cycle_start(actor=SYSTEM, period=f"{year}-06", at=monday)
    hour = dt.timedelta(hours=1)
    one = step_start(actor=SYSTEM, cycle=cycle, number=1, at=monday)
    step_finish(actor=SYSTEM, run=one, at=monday + 2 * hour)
    two = step_start(actor=SYSTEM, cycle=cycle, number=2, at=monday + 2 * hour)
    step_finish(actor=SYSTEM, run=two, at=monday + dt.timedelta(days=3) + 2 * hour)
    step_start(actor=SYSTEM, cycle=cycle, number=3, at=monday + dt.timedelta(days=3, hours=3))
    return year


def test_walidata_steps_are_counted_on_time_or_late_against_the_standard(cycle_runs, walidata):
    board = dashboard_for(user=walidata, window=Window(cycle_runs))
    steps = {s.number: s for s in board.steps}
    assert set(steps) == {1, 2, 3, 4, 5, 6, 7}
    assert (steps[1].on_time, steps[1].late, steps[1].running) == (1, 0, 0)
    assert steps[1].median_actual == dt.timedelta(hours=2)
    assert steps[1].median_standard == dt.timedelta(days=1)  # Monday to Tuesday
    assert (steps[2].on_time, steps[2].late) == (0, 1)
    assert steps[2].median_actual == dt.timedelta(days=3)
    assert steps[2].late_percent == 100.0
    # Still running long past its deadline: late, with no time taken yet.
    assert (steps[3].late, steps[3].running, steps[3].median_actual) == (1, 0, None)
    assert all(steps[n].runs == 0 for n in (4, 5, 6, 7))
    assert steps[1].standard and steps[4].standard  # from the SOP in force


def test_step_runs_outside_the_window_are_not_counted(cycle_runs, walidata):
    board = dashboard_for(
        user=walidata, window=Window(cycle_runs, Period.parse(f"{cycle_runs}-01"))
    )
    assert not board.has_steps


@pytest.fixture
def published(head, operator, health):
    """Two publications of this year: one posted on the portal and Instagram and settled, one
    whose draft (step 4) is past its deadline."""
    instagram = Channel.objects.create(
        agency=health, kind=ChannelKind.INSTAGRAM, name="IG Dinkes", address="dinkes"
    )
    from satudata.publications.services import channel_portal

    done = publication_instruct(
        actor=head,
        agency=health,
        assignee=operator,
        topic="Imunisasi",
        channels=[channel_portal(health), instagram],
    )
    draft_save(actor=operator, publication=done, title="Imunisasi naik", body="<p>Naik.</p>")
    draft_submit(actor=operator, publication=done)
    publication_approve(actor=head, publication=done)
    Post.objects.filter(publication=done).update(state=PostState.POSTED, posted_at=timezone.now())
    publication_settle(actor=operator, publication=done)
    slow = publication_instruct(actor=head, agency=health, assignee=operator, topic="Gizi")
    PublicationStep.objects.filter(publication=slow).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    return done, slow


def test_publication_steps_and_posts_by_channel(published, walidata):
    board = dashboard_for(user=walidata, window=Window(timezone.localdate().year))
    steps = {s.number: s for s in board.steps}
    assert (steps[4].on_time, steps[4].late, steps[4].running) == (1, 1, 0)
    assert (steps[5].on_time, steps[5].late) == (1, 0)
    assert (steps[6].on_time, steps[6].late, steps[6].running) == (1, 0, 0)
    channels = {c.kind: (c.posts, c.publications) for c in board.channels}
    assert channels[ChannelKind.PORTAL] == (1, 1)
    assert channels[ChannelKind.INSTAGRAM] == (1, 1)
    assert channels[ChannelKind.FACEBOOK] == (0, 0)
    assert (board.posts_total, board.published) == (2, 1)


@pytest.fixture
def portal(decree, health, walidata):
    """Three open and one limited dataset published this month; one withdrawn, one under
    embargo; usage today and in another month; four access requests."""
    from satudata.catalog.services import regions_load

    regions_load(actor=SYSTEM, root="35.09")
    year = timezone.localdate().year
    items = [make_item(decree, health, f"P{n}") for n in range(4)]
    limited = make_item(decree, health, "L", accessibility="limited")
    for item in (*items, limited):
        fill_one(item, str(year - 1), timezone.localdate() - dt.timedelta(days=1))
    open_ds = datasets_publish(actor=SYSTEM, items=[items[0], items[1], limited]).datasets
    datasets_publish(
        actor=SYSTEM, items=[items[2]], release_at=timezone.now() + dt.timedelta(days=2)
    )
    gone = datasets_publish(actor=SYSTEM, items=[items[3]]).datasets[0]
    dataset_withdraw(actor=SYSTEM, dataset=gone, reason="Koreksi.")
    usage_add(open_ds[0], views=5, downloads=2)
    usage_add(open_ds[1], views=1, api_calls=7)
    other_month = 1 if timezone.localdate().month != 1 else 2
    DatasetUsage.objects.create(
        dataset=open_ds[0], day=dt.date(year, other_month, 3), views=10, downloads=1, api_calls=0
    )
    limited_ds = next(d for d in open_ds if d.item_id == limited.pk)
    requests = [
        request_submit(
            actor=None,
            dataset=limited_ds,
            name=f"Peneliti {n}",
            institution="Universitas Jember",
            purpose="Penelitian skripsi tentang kemiskinan.",
            email=f"p{n}@example.ac.id",
        )
        for n in range(4)
    ]
    request_approve(actor=walidata, request=requests[0], expires_on=timezone.localdate())
    request_approve(actor=walidata, request=requests[1], expires_on=timezone.localdate())
    AccessRequest.objects.filter(pk=requests[1].pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    request_refuse(actor=walidata, request=requests[2], reason="Tujuan tidak jelas.")
    return {"year": year, "other_month": other_month}


def test_datasets_use_and_access_requests(portal, walidata):
    year, month = portal["year"], timezone.localdate().month
    board = dashboard_for(user=walidata, window=Window(year))
    d = board.datasets
    assert (d.listed_open, d.listed_limited, d.embargoed, d.withdrawn) == (2, 1, 1, 1)
    # First listed this month: the two open, the limited and the one withdrawn since.
    assert d.new_by_month[month] == 4 and d.new_in_window == 4
    assert sum(d.new_by_month.values()) == 4
    use = {u.month: (u.views, u.downloads, u.api_calls) for u in board.use if u.total}
    assert use == {month: (6, 2, 7), portal["other_month"]: (10, 1, 0)}
    total = board.use_in_window
    assert (total.views, total.downloads, total.api_calls) == (16, 3, 7)
    assert board.access == {"submitted": 1, "approved": 1, "refused": 1, "expired": 1}


def test_a_month_counts_only_its_own_use(portal, walidata):
    year, month = portal["year"], portal["other_month"]
    board = dashboard_for(user=walidata, window=Window(year, Period.parse(f"{year}-{month:02d}")))
    total = board.use_in_window
    assert (total.views, total.downloads, total.api_calls) == (10, 1, 0)
    assert board.datasets.new_in_window == 0
    assert board.access_total == 0


def test_the_figures_are_not_for_producers(head):
    from satudata.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        dashboard_for(user=head, window=Window(2026))
