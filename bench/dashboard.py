"""Benchmark: server time of walidata's dashboard (/app/dashboard/) at regency scale.

Builds the regency with `bench/scale.py` (60 agencies, 3,000 items, 10 years of values and
fill states), then adds what the dashboard also counts, over the portal's last three years
(bulk rows, no services: a benchmark fixture, as scale.py):

- the SOP (loaded through its service) and a monthly dissemination cycle for every month of
  the ten years, with walidata's runs of steps 1, 2, 3 and 7 (a fifth of them late);
- a head and an operator per agency, a portal channel and one or two social channels each;
- 12 publications per agency and year (2,160), each with its steps 4-6 (a tenth returned
  once) and the cycle's matching runs, and a post per channel;
- a dataset for two thirds of the open and limited items (a few withdrawn), listed over the
  three years; daily usage rows on about 30% of days per dataset (views, downloads, API calls);
- 1,500 access requests for limited data in every state.

Then times GET /app/dashboard/ as the walidata through django.test.Client (middleware,
session, queries, template; no network): best and median of the runs after a warm-up, for
this year, last year and a quarter, and prints the number of SQL queries per page. Budget:
300 ms (median).

    .venv/bin/python bench/dashboard.py                 # SQLite, in a temporary file
    .venv/bin/python bench/dashboard.py --double        # twice the agencies and items
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/dashboard.py

With PostgreSQL it creates the database `bench_dashboard` on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.fill_check import configure, teardown, time_get  # noqa: E402

BUDGET_MS = 300.0
DB_NAME = "bench_dashboard"
PORTAL_YEARS = 3
PUBLICATIONS_PER_YEAR = 12
USAGE_SHARE = 0.3
ACCESS_REQUESTS = 1500


def _aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _cycles(rng: random.Random, first_year: int, today: dt.date) -> tuple[Any, dict[int, Any]]:
    """Load the SOP and make a closed monthly cycle per past month with walidata's runs."""
    from satudata.core.actors import SystemActor
    from satudata.sop.constants import DEFAULT_SOP_FILE
    from satudata.sop.models import Cycle, StepRun
    from satudata.sop.services import sop_load

    sop = sop_load(actor=SystemActor("bench"), path=DEFAULT_SOP_FILE)
    steps = {s.number: s for s in sop.steps.all()}
    cycles, runs = [], []
    month = dt.date(first_year, 1, 1)
    while month < today.replace(day=1):
        start = _aware(month + dt.timedelta(days=32)).replace(day=3)
        if start.date() >= today:
            break
        cycles.append(Cycle(period=f"{month:%Y-%m}", sop=sop, started_at=start))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    Cycle.objects.bulk_create(cycles, batch_size=500)
    now = _aware(today)
    made = list(Cycle.objects.all())
    for cycle in made:
        moment = cycle.started_at
        for number in (1, 2, 3, 7):
            step = steps[number]
            due = step.due_at(moment)
            late = rng.random() < 0.2
            if late:
                ended = due + dt.timedelta(hours=rng.randint(2, 30))
            else:
                ended = moment + (due - moment) * rng.uniform(0.2, 0.95)
            ended = min(ended, now)
            runs.append(StepRun(cycle=cycle, step=step, started_at=moment, ended_at=ended))
            moment = ended + dt.timedelta(minutes=30)
        cycle.closed_at = min(moment, now)
    Cycle.objects.bulk_update(made, ["closed_at"], batch_size=500)
    StepRun.objects.bulk_create(runs, batch_size=2000)
    return sop, steps


def _people_and_channels(agency_ids: list[int]) -> tuple[dict, dict, dict]:
    from satudata.accounts.models import User
    from satudata.accounts.roles import Role
    from satudata.publications.choices import ChannelKind
    from satudata.publications.models import Channel

    users = []
    for agency_id in agency_ids:
        for role in (Role.PRODUCER_HEAD, Role.PRODUCER_OPERATOR):
            users.append(
                User(username=f"b-{role}-{agency_id}", role=role, agency_id=agency_id, password="!")
            )
    User.objects.bulk_create(users, batch_size=1000)
    heads = dict(User.objects.filter(role=Role.PRODUCER_HEAD).values_list("agency_id", "pk"))
    operators = dict(
        User.objects.filter(role=Role.PRODUCER_OPERATOR).values_list("agency_id", "pk")
    )
    channels = []
    socials = [ChannelKind.INSTAGRAM, ChannelKind.FACEBOOK, ChannelKind.WORDPRESS, ChannelKind.X]
    for i, agency_id in enumerate(agency_ids):
        channels.append(Channel(agency_id=agency_id, kind=ChannelKind.PORTAL, name="Portal"))
        for kind in socials[i % 4 : i % 4 + 1 + i % 2]:
            channels.append(Channel(agency_id=agency_id, kind=kind, name=f"{kind} {agency_id}"))
    Channel.objects.bulk_create(channels, batch_size=1000)
    by_agency: dict[int, list[int]] = {}
    for channel_id, agency_id in Channel.objects.values_list("pk", "agency_id"):
        by_agency.setdefault(agency_id, []).append(channel_id)
    return heads, operators, by_agency


def _publications(rng: random.Random, agency_ids: list[int], steps: dict, today: dt.date) -> int:
    """Publications of the last PORTAL_YEARS years with their steps, posts and cycle runs."""
    from django.utils.text import slugify

    from satudata.publications.choices import PostState, PublicationState
    from satudata.publications.models import Post, Publication, PublicationStep
    from satudata.sop.models import Cycle, StepRun

    heads, operators, channels = _people_and_channels(agency_ids)
    cycles = dict(Cycle.objects.values_list("period", "pk"))
    now = _aware(today)
    first = today - dt.timedelta(days=365 * PORTAL_YEARS)
    span = (today - first).days
    publications = []
    for agency_id in agency_ids:
        for n in range(PUBLICATIONS_PER_YEAR * PORTAL_YEARS):
            instructed = _aware(first + dt.timedelta(days=rng.randint(0, span - 1)), 8)
            publications.append(
                Publication(
                    agency_id=agency_id,
                    instructed_by_id=heads[agency_id],
                    instructed_at=instructed,
                    assignee_id=operators[agency_id],
                    topic=f"Publikasi uji {agency_id}-{n}",
                    title=f"Publikasi uji {agency_id}-{n}",
                    body="<p>Uji.</p>",
                    slug=slugify(f"publikasi-uji-{agency_id}-{n}"),
                    state=PublicationState.DRAFTING,
                )
            )
    Publication.objects.bulk_create(publications, batch_size=1000)
    steps_rows, posts, runs = [], [], []
    updates = []
    for publication in Publication.objects.all().only("pk", "agency_id", "instructed_at"):
        moment = publication.instructed_at
        sequence = [4, 5, 4, 5, 6] if rng.random() < 0.1 else [4, 5, 6]
        ended_all = True
        for i, number in enumerate(sequence):
            step = steps[number]
            due = step.due_at(moment)
            late = rng.random() < 0.15
            if late:
                ended = due + dt.timedelta(hours=rng.randint(1, 48))
            else:
                ended = moment + (due - moment) * rng.uniform(0.1, 0.9)
            if ended >= now:
                ended_all = False
                ended = None
            returned = number == 5 and i == 1 and len(sequence) == 5
            responsible = heads if number == 5 else operators
            steps_rows.append(
                PublicationStep(
                    publication_id=publication.pk,
                    number=number,
                    started_at=moment,
                    due_at=due,
                    ended_at=ended,
                    responsible_id=responsible[publication.agency_id],
                    returned=returned,
                )
            )
            cycle_id = cycles.get(f"{timezone_local(moment):%Y-%m}")
            if cycle_id is not None:
                runs.append(
                    StepRun(
                        cycle_id=cycle_id,
                        step=step,
                        agency_id=publication.agency_id,
                        started_at=moment,
                        ended_at=ended,
                        reference=f"publication:{publication.pk}",
                        returned=returned,
                    )
                )
            if ended is None:
                break
            moment = ended
        if ended_all:
            publication.state = PublicationState.PUBLISHED
            publication.published_at = moment
            updates.append(publication)
            for channel_id in channels[publication.agency_id]:
                posts.append(
                    Post(
                        publication_id=publication.pk,
                        channel_id=channel_id,
                        state=PostState.POSTED,
                        posted_at=moment,
                    )
                )
    PublicationStep.objects.bulk_create(steps_rows, batch_size=2000)
    StepRun.objects.bulk_create(runs, batch_size=2000)
    Post.objects.bulk_create(posts, batch_size=2000)
    Publication.objects.bulk_update(updates, ["state", "published_at"], batch_size=1000)
    return len(publications)


def timezone_local(moment: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(moment)


def _portal(rng: random.Random, decree_id: int, today: dt.date) -> dict[str, int]:
    """Datasets for two thirds of the open and limited items, their daily use, and requests."""
    from satudata.access.choices import AccessRequestState
    from satudata.access.models import AccessRequest
    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem
    from satudata.portal.choices import DatasetState
    from satudata.portal.models import Dataset, DatasetUsage

    first = today - dt.timedelta(days=365 * PORTAL_YEARS)
    span = (today - first).days
    items = DataItem.objects.filter(decree_id=decree_id).exclude(accessibility=Accessibility.CLOSED)
    datasets = []
    for item in items:
        if rng.random() > 2 / 3:
            continue
        listed = _aware(first + dt.timedelta(days=rng.randint(0, span - 1)), 10)
        withdrawn = rng.random() < 0.03
        dataset = Dataset(
            code=item.code,
            slug=f"ds-{item.code.lower().replace('.', '-')}-{item.pk}",
            state=DatasetState.WITHDRAWN if withdrawn else DatasetState.PUBLISHED,
            listed_at=listed,
            modified_at=listed,
            withdrawn_at=listed + dt.timedelta(days=30) if withdrawn else None,
        )
        dataset.mirror(item)
        datasets.append(dataset)
    Dataset.objects.bulk_create(datasets, batch_size=1000)
    rows: list[DatasetUsage] = []
    usage = 0
    for dataset in Dataset.objects.only("pk", "listed_at"):
        day = timezone_local(dataset.listed_at).date()
        while day < today:
            if rng.random() < USAGE_SHARE:
                rows.append(
                    DatasetUsage(
                        dataset_id=dataset.pk,
                        day=day,
                        views=rng.randint(1, 40),
                        downloads=rng.randint(0, 6),
                        api_calls=rng.randint(0, 25),
                    )
                )
            day += dt.timedelta(days=1)
        if len(rows) >= 50_000:
            DatasetUsage.objects.bulk_create(rows, batch_size=5000)
            usage += len(rows)
            rows = []
    DatasetUsage.objects.bulk_create(rows, batch_size=5000)
    usage += len(rows)
    limited = list(
        Dataset.objects.filter(accessibility=Accessibility.LIMITED).values_list("pk", flat=True)
    )
    states = [
        AccessRequestState.SUBMITTED,
        AccessRequestState.APPROVED,
        AccessRequestState.APPROVED,
        AccessRequestState.REFUSED,
        AccessRequestState.EXPIRED,
    ]
    requests = []
    for n in range(ACCESS_REQUESTS if limited else 0):
        created = _aware(first + dt.timedelta(days=rng.randint(0, span - 1)), 11)
        state = rng.choice(states)
        requests.append(
            AccessRequest(
                dataset_id=rng.choice(limited),
                name=f"Peminta {n}",
                institution="Universitas Uji",
                purpose="Penelitian.",
                email=f"peminta{n}@example.ac.id",
                state=state,
                created_at=created,
                decided_at=created + dt.timedelta(days=2)
                if state != AccessRequestState.SUBMITTED
                else None,
                expires_at=created + dt.timedelta(days=60)
                if state in (AccessRequestState.APPROVED, AccessRequestState.EXPIRED)
                else None,
            )
        )
    AccessRequest.objects.bulk_create(requests, batch_size=1000)
    return {"datasets": len(datasets), "usage_rows": usage, "access_requests": len(requests)}


def build_activity(*, decree_id: int, agency_ids: list[int], seed: int = 1) -> dict[str, int]:
    """Everything beyond scale.py that the dashboard counts (see the module docstring)."""
    from django.db import transaction
    from django.utils import timezone

    rng = random.Random(seed)
    today = timezone.localdate()
    first_year = today.year - 9
    with transaction.atomic():
        _sop, steps = _cycles(rng, first_year, today)
        publications = _publications(rng, agency_ids, steps, today)
        portal = _portal(rng, decree_id, today)
    return {"publications": publications, **portal}


def _analyze() -> None:
    """Planner statistics, as a live database keeps them (see bench/fill_check.py)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _counter(queries: list[str]) -> Any:
    """An execute wrapper that notes each SQL statement (the request's own connection
    handling resets Django's query log, so the log cannot be trusted across a request)."""

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--double", action="store_true", help="twice the agencies and items")
    args = parser.parse_args()
    if args.double:
        args.agencies, args.items = args.agencies * 2, args.items * 2

    tmp = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    admin_url = configure(tmp, DB_NAME)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from bench.fill_check import bench_user
        from bench.scale import build
        from satudata.accounts.roles import Role

        call_command("migrate", verbosity=0, interactive=False)
        print(f"building {args.agencies} agencies, {args.items} items, {args.years} years...")
        started = time.perf_counter()
        scale = build(agencies=args.agencies, items=args.items, years=args.years)
        activity = build_activity(decree_id=scale["decree_id"], agency_ids=scale["agency_ids"])
        _analyze()
        built_s = time.perf_counter() - started
        print(
            f"database: {connection.vendor}; {scale['fill_states']:,} fill states, "
            f"{activity['publications']:,} publications, {activity['datasets']:,} datasets, "
            f"{activity['usage_rows']:,} usage rows, {activity['access_requests']:,} access "
            f"requests; built in {built_s:.0f} s; {args.runs} runs after warm-up"
        )
        client = Client()
        client.force_login(bench_user(Role.WALIDATA))
        year = timezone.localdate().year
        pages = (
            (f"dashboard {year} (this year)", f"/app/dashboard/?year={year}"),
            (f"dashboard {year - 1}", f"/app/dashboard/?year={year - 1}"),
            (f"dashboard {year - 1}-Q3", f"/app/dashboard/?year={year - 1}&period={year - 1}-Q3"),
        )
        over_budget = False
        for label, url in pages:
            client.get(url)  # the first visit of a year may make its fill states
            queries: list[str] = []
            with connection.execute_wrapper(_counter(queries)):
                client.get(url)
            times, size = time_get(client, url, args.runs)
            best, median = min(times), statistics.median(times)
            print(
                f"{label:34s} best {best:7.1f} ms  median {median:7.1f} ms  "
                f"queries {len(queries):3d}  ({size / 1024:,.0f} kB)"
            )
            over_budget = over_budget or median > BUDGET_MS
        print(f"budget {BUDGET_MS:.0f} ms (median): {'EXCEEDED' if over_budget else 'met'}")
        return 1 if over_budget else 0
    finally:
        teardown(admin_url, tmp, DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
