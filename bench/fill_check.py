"""Benchmark: server time of the SOP step-1 page (the fill check) for a whole year.

Builds a regency at scale with `bench/scale.py` (helper E's generator: 60 agencies, 3,000 items,
10 years of values) when it is there, else with the minimal builder below (the same items and
fill-state rows, without observations: the fill check never reads them). Then times
GET /app/step-1/?year=Y as the walidata through django.test.Client (middleware, session,
queries, template; no network): best and median of 20 runs after a warm-up. Budget: 300 ms.

    .venv/bin/python bench/fill_check.py                 # SQLite, in a temporary file
    .venv/bin/python bench/fill_check.py --double        # twice the agencies and items
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/fill_check.py

With PostgreSQL it creates the database `bench_fill` on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 300.0


# --- Database set-up (shared with home_page.py) --------------------------------------------


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    dsn = admin_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


def configure(tmp: Path, db_name: str) -> str | None:
    """Point the settings at a fresh database; return the admin URL when it is PostgreSQL."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{db_name}"')
        _pg_execute(admin, f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def teardown(admin_url: str | None, tmp: Path, db_name: str) -> None:
    if admin_url is not None:
        from django.db import connections

        connections.close_all()
        _pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{db_name}"')
    shutil.rmtree(tmp, ignore_errors=True)


def build(*, agencies: int, items: int, years: int, seed: int = 1) -> str:
    """The scale database: helper E's generator when present, else the minimal one here.
    Returns which builder ran."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.scale import build as scale_build  # type: ignore[import-not-found]
    except ImportError:
        _minimal_build(agencies=agencies, items=items, years=years, seed=seed)
        _analyze()
        return "minimal fill-state builder (bench/scale.py not found)"
    scale_build(agencies=agencies, items=items, years=years, seed=seed)
    _analyze()
    return "bench/scale.py"


def _analyze() -> None:
    """Planner statistics, as autovacuum keeps them on a live PostgreSQL database: right
    after a bulk load it has none, and guesses a nested loop over 5,000 rows (3 s, not 30 ms)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _minimal_build(*, agencies: int, items: int, years: int, seed: int) -> None:
    """Agencies, one decree, items, and a fill-state row per item and period for each year.

    About 70% of past periods complete (a fifth of them late), 10% partly filled, 20% empty;
    periods not yet due mostly empty.
    """
    import datetime as dt

    from django.utils import timezone

    from satudata.accounts.choices import AgencyKind
    from satudata.accounts.models import Agency
    from satudata.catalog.choices import Accessibility, RegionLevel
    from satudata.catalog.models import DataItem, DataListDecree, Region, Topic
    from satudata.schedule.choices import DEFAULT_DUE_DAYS
    from satudata.schedule.models import FillState
    from satudata.schedule.periods import Period

    rng = random.Random(seed)
    today = timezone.localdate()
    first_year = today.year - years + 1
    Region.objects.create(code="35.09", name="Kabupaten Jember", level=RegionLevel.REGENCY)
    agency_rows = Agency.objects.bulk_create(
        Agency(
            code=f"1.{i:03d}.01",
            name=f"Dinas Uji Kinerja {i:03d}",
            short_name=f"DUK{i:03d}",
            slug=f"duk{i:03d}",
            kind=AgencyKind.OFFICE,
        )
        for i in range(agencies)
    )
    topics = Topic.objects.bulk_create(
        Topic(name=f"Topik {i}", slug=f"topik-{i}") for i in range(12)
    )
    decree = DataListDecree.objects.create(
        number=f"188.45/1/35.09.325/{first_year}",
        title=f"Daftar Data Statistik Sektoral Kabupaten Jember Tahun {first_year}",
        decree_date=dt.date(first_year, 1, 15),
        year=first_year,
    )
    classes = [Accessibility.OPEN] * 12 + [Accessibility.LIMITED] * 5 + [Accessibility.CLOSED] * 3
    periodicities = ["annual"] * 6 + ["semester", "quarterly", "monthly"]
    item_rows = DataItem.objects.bulk_create(
        (
            DataItem(
                decree=decree,
                code=f"DD-{i:05d}",
                name=f"Jumlah penduduk menurut kelompok umur dan jenis kelamin ke-{i}",
                agency=agency_rows[i % agencies],
                topic=topics[i % len(topics)],
                unit="orang",
                periodicity=periodicities[i % len(periodicities)],
                level="district",
                accessibility=classes[i % len(classes)],
                accessibility_reason=""
                if classes[i % len(classes)] == Accessibility.OPEN
                else "UU 14/2008 pasal 17 huruf h",
            )
            for i in range(items)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    batch: list[FillState] = []
    for year in range(first_year, today.year + 1):
        for item in item_rows:
            for period in Period.of_year(year, item.periodicity):
                due = period.end + dt.timedelta(days=DEFAULT_DUE_DAYS[item.periodicity])
                required, filled, completed = 62, 0, None
                roll = rng.random()
                if period.start <= today and (due < today or roll < 0.3):
                    if roll < 0.7:
                        filled = required
                        late = rng.random() < 0.2
                        when = due + dt.timedelta(days=rng.randint(1, 60) if late else -5)
                        completed = min(dt.datetime.combine(when, dt.time(10), tzinfo=dt.UTC), now)
                    elif roll < 0.8:
                        filled = rng.randint(1, required - 1)
                batch.append(
                    FillState(
                        item=item,
                        period=period.key,
                        year=year,
                        due_date=due,
                        required_cells=required,
                        filled_cells=filled,
                        completed_at=completed,
                        last_change_at=completed,
                    )
                )
                if len(batch) >= 5000:
                    FillState.objects.bulk_create(batch)
                    batch = []
    FillState.objects.bulk_create(batch)


def bench_user(role: str, agency: Any = None) -> Any:
    from satudata.accounts.models import User

    return User.objects.create_user(
        username=f"bench-{role}",
        password="bench-only-2026",
        role=role,
        agency=agency,
        first_name="Bench",
    )


def time_get(client: Any, url: str, runs: int, warmup: int = 3) -> tuple[list[float], int]:
    """Wall milliseconds of each run after warm-up, and the response size in bytes."""
    size = 0
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.content)
    wall = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return wall, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--double", action="store_true", help="twice the agencies and items")
    args = parser.parse_args()
    if args.double:
        args.agencies, args.items = args.agencies * 2, args.items * 2

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-fill-"))
    admin_url = configure(tmp, "bench_fill")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from satudata.accounts.roles import Role
        from satudata.schedule.models import FillState

        call_command("migrate", verbosity=0, interactive=False)
        print(f"building {args.agencies} agencies, {args.items} items, {args.years} years...")
        started = time.perf_counter()
        builder = build(agencies=args.agencies, items=args.items, years=args.years)
        built_s = time.perf_counter() - started
        client = Client()
        client.force_login(bench_user(Role.WALIDATA))
        year = timezone.localdate().year - 1  # a whole year, every period due
        rows = FillState.objects.filter(year=year).count()
        print(
            f"database: {connection.vendor}; {args.agencies} agencies, {args.items} items, "
            f"{args.years} years, {FillState.objects.count():,} fill states "
            f"({rows:,} in {year}); built by {builder} in {built_s:.1f} s; "
            f"{args.runs} runs after warm-up"
        )
        page = f"/app/step-1/?year={year}"
        client.get(page)  # the first visit of a year may sync its rows
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        print(f"queries per page: {len(queries.captured_queries)}")
        over_budget = False
        for label, url, runs in (
            (f"fill check {year}, all agencies", page, args.runs),
            (f"fill check {year}-Q3", f"/app/step-1/?period={year}-Q3", args.runs),
            (f"fill check {year}, overdue only", f"{page}&status=overdue", args.runs),
            ("export XLSX (whole year)", f"/app/step-1/export.xlsx?year={year}", 5),
            ("export CSV (whole year)", f"/app/step-1/export.csv?year={year}", 5),
        ):
            times, size = time_get(client, url, runs)
            best, median = min(times), statistics.median(times)
            print(
                f"{label:36s} best {best:7.1f} ms  median {median:7.1f} ms  ({size / 1024:,.0f} kB)"
            )
            if url == page and median > BUDGET_MS:
                over_budget = True
        print(
            f"budget {BUDGET_MS:.0f} ms (median, whole year): "
            f"{'EXCEEDED' if over_budget else 'met'}"
        )
        return 1 if over_budget else 0
    finally:
        teardown(admin_url, tmp, "bench_fill")


if __name__ == "__main__":
    sys.exit(main())
