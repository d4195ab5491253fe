"""A regency at benchmark scale: 60 agencies, 3,000 items, 10 years of values by kecamatan.

    build(agencies=60, items=3000, years=10, seed=1)   # about 1 million observations

`build` fills the CURRENT database (migrated; the Jember regions are loaded when missing) and
returns what it made. Other benchmarks import it (`from bench.scale import build`). As a
script it builds into a fresh database and prints the counts and the build time:

    .venv/bin/python bench/scale.py [--double]          # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/scale.py

On PostgreSQL the script creates the database `bench_scale` on that server and drops it at
the end (`--keep` keeps it, and the SQLite file, to look at).

This is a benchmark fixture: it writes rows with bulk_create and executemany (COPY on
PostgreSQL), bypassing the services (no audit rows, no revisions), because a million
observations through observations_save would take most of an hour. What it writes is what
the services would have written: observations only on required cells, and a fill-state row
for every item and period whose required and filled counts, completion time and due date
match them.

Choices:
- One decree, of the last year: decree_for_year() falls back to the oldest decree for
  earlier years, so all ten years belong to the same 3,000 items (a regency whose list did
  not change, the worst case for the fill check: the most rows a year).
- Items: 64.5% annual by kecamatan, 10% annual by kecamatan and sex, 8% annual for
  the regency, 5% quarterly and 4% monthly for the regency, 3% quarterly by kecamatan,
  3% semester by kecamatan, 2.5% annual by village (248 desa/kelurahan).
- Past periods: 80% filled on time, 10% filled late, 4% partly filled (a kecamatan or two
  missing), 6% missing; the last year's periods that are not due yet are mostly empty.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALE_DB = "bench_scale"
REGION = "35.09"
CHUNK = 20_000  # observations per executemany

# (share of the items, periodicity, level, with the sex breakdown)
MIX: tuple[tuple[float, str, str, bool], ...] = (
    (0.645, "annual", "district", False),
    (0.10, "annual", "district", True),
    (0.08, "annual", "regency", False),
    (0.05, "quarterly", "regency", False),
    (0.04, "monthly", "regency", False),
    (0.03, "quarterly", "district", False),
    (0.03, "semester", "district", False),
    (0.025, "annual", "village", False),
)
SEXES = ("Laki-laki", "Perempuan")
UNITS = ("orang", "unit", "persen", "ton", "hektare", "rupiah", "kasus", "rumah tangga")


def _shape(i: int, items: int) -> tuple[str, str, bool]:
    """The periodicity, level and breakdown of the i-th item, by the shares of MIX."""
    position, start = i / items, 0.0
    for share, periodicity, level, by_sex in MIX:
        start += share
        if position < start:
            return periodicity, level, by_sex
    return MIX[0][1:]


def _agencies(n: int) -> list[Any]:
    from satudata.accounts.choices import AgencyKind
    from satudata.accounts.models import Agency

    rows = []
    for i in range(n):
        district = i >= n // 2
        name = f"Kecamatan Uji {i:03d}" if district else f"Dinas Uji Skala {i:03d}"
        rows.append(
            Agency(
                code=f"{1 + i // 90}.{1 + i % 90:02d}.{9 if district else 1:02d}",
                name=name,
                short_name=f"DUS{i:03d}",
                slug=f"dus{i:03d}",
                kind=AgencyKind.DISTRICT if district else AgencyKind.OFFICE,
            )
        )
    return Agency.objects.bulk_create(rows, batch_size=1000)


def _items(decree: Any, agencies: list[Any], n: int, sex: Any, rng: random.Random) -> list[Any]:
    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem, Topic

    topics = Topic.objects.bulk_create(
        [Topic(name=f"Topik Skala {i}", slug=f"topik-skala-{i}") for i in range(12)]
    )
    classes = [Accessibility.OPEN] * 16 + [Accessibility.LIMITED] * 3 + [Accessibility.CLOSED]
    rows = []
    for i in range(n):
        periodicity, level, _by_sex = _shape(i, n)
        accessibility = rng.choice(classes)
        rows.append(
            DataItem(
                decree=decree,
                code=f"SK-{i + 1:05d}",
                name=f"Data uji skala ke-{i + 1} menurut wilayah",
                agency=agencies[i % len(agencies)],
                topic=topics[i % len(topics)],
                unit=rng.choice(UNITS),
                periodicity=periodicity,
                level=level,
                accessibility=accessibility,
                accessibility_reason=""
                if accessibility == Accessibility.OPEN
                else "UU 14/2008 pasal 17 huruf h",
            )
        )
    created = DataItem.objects.bulk_create(rows, batch_size=1000)
    through = DataItem.breakdowns.through
    through.objects.bulk_create(
        [
            through(dataitem_id=item.pk, breakdown_id=sex.pk)
            for i, item in enumerate(created)
            if _shape(i, n)[2]
        ],
        batch_size=5000,
    )
    return created


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(1, 9), rng.randint(0, 59)), tzinfo=dt.UTC)


class _Writer:
    """Observations in big chunks (executemany, COPY on PostgreSQL): a tuple per row."""

    def __init__(self) -> None:
        from django.db import connection

        from satudata.values.choices import ValueStatus
        from satudata.values.models import Observation

        self.final = ValueStatus.FINAL.value
        self.connection = connection
        meta = Observation._meta
        columns = [
            meta.get_field(name).column
            for name in (
                *("item", "period", "region", "breakdown_key", "value", "status"),
                *("note", "source", "updated_at"),
            )
        ]
        quote = connection.ops.quote_name
        target = f"{quote(meta.db_table)} ({', '.join(quote(c) for c in columns)})"
        self.sql = f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(columns))})"
        # PostgreSQL takes a million rows by COPY in seconds; by executemany, minutes.
        self.copy = f"COPY {target} FROM STDIN" if connection.vendor == "postgresql" else ""
        self.rows: list[tuple] = []
        self.count = 0
        self._stamps: dict[dt.datetime, Any] = {}

    def stamp(self, moment: dt.datetime) -> Any:
        # SQLite keeps naive UTC text, PostgreSQL a timestamptz: let Django's backend decide.
        if moment not in self._stamps:
            self._stamps[moment] = self.connection.ops.adapt_datetimefield_value(moment)
        return self._stamps[moment]

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with self.connection.cursor() as cursor:
                if self.copy:
                    with cursor.cursor.copy(self.copy) as copy:
                        for row in self.rows:
                            copy.write_row(row)
                else:
                    cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


def build(*, agencies: int = 60, items: int = 3000, years: int = 10, seed: int = 1) -> dict:
    """Fill the current database at scale; return the counts, ids and seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from satudata.catalog.models import DataListDecree, Region
    from satudata.catalog.services import breakdown_ensure, regions_load
    from satudata.core.actors import SystemActor
    from satudata.schedule.models import FillState
    from satudata.schedule.periods import Period
    from satudata.schedule.services import due_rules
    from satudata.values.cells import CellPlan

    started = time.perf_counter()
    rng = random.Random(seed)
    actor = SystemActor("bench")
    today = timezone.localdate()
    first_year = today.year - years + 1
    with transaction.atomic():
        if not Region.objects.filter(code__startswith=f"{REGION}.").exists():
            regions_load(actor=actor, root=REGION)
        sex = breakdown_ensure(
            actor=actor, name="Jenis Kelamin", slug="jenis-kelamin", categories=list(SEXES)
        )
        agency_rows = _agencies(agencies)
        decree = DataListDecree.objects.create(
            number=f"188.45/SKALA/{today.year}",
            title=f"Daftar Data Statistik Sektoral (uji skala) Tahun {today.year}",
            decree_date=dt.date(today.year, 1, 15),
            year=today.year,
        )
        item_rows = _items(decree, agency_rows, items, sex, rng)
        plan = CellPlan()
        cells_of = {}
        for _periodicity, level, by_sex in {s[1:] for s in MIX}:
            keys = [f"jenis-kelamin={s}" for s in SEXES] if by_sex else [""]
            cells_of[(level, by_sex)] = [(r, k) for r in plan.regions(level) for k in keys]
        rules = due_rules()
        writer = _Writer()
        states: list[FillState] = []
        for index, item in enumerate(item_rows):
            _periodicity, level, by_sex = _shape(index, items)
            cells = cells_of[(level, by_sex)]
            base = rng.lognormvariate(6, 1.5)
            for year in range(first_year, today.year + 1):
                for period in Period.of_year(year, item.periodicity):
                    due = period.end + dt.timedelta(days=rules[item.periodicity])
                    state = FillState(
                        item=item,
                        period=period.key,
                        year=year,
                        due_date=due,
                        required_cells=len(cells),
                    )
                    states.append(state)
                    _fill(state, period, cells, base, today, rng, writer)
            if len(states) >= 10_000:
                FillState.objects.bulk_create(states, batch_size=5000)
                states = []
        FillState.objects.bulk_create(states, batch_size=5000)
        writer.flush()
    return {
        "agencies": agencies,
        "items": items,
        "years": list(range(first_year, today.year + 1)),
        "observations": writer.count,
        "fill_states": FillState.objects.filter(item__decree=decree).count(),
        "decree_id": decree.pk,
        "agency_ids": [a.pk for a in agency_rows],
        "seconds": time.perf_counter() - started,
    }


def _fill(
    state: Any,
    period: Any,
    cells: list[tuple[str, str]],
    base: float,
    today: dt.date,
    rng: random.Random,
    writer: _Writer,
) -> None:
    """Decide the period's fate, write its observations and set its fill-state counts."""
    if period.end >= today:
        return  # still running: nothing yet
    due = state.due_date
    draw = rng.random()
    if due >= today:
        if draw >= 0.3:
            return  # not due yet and not filled early
        outcome = "on_time"
    else:
        outcome = (
            "on_time"
            if draw < 0.80
            else "late"
            if draw < 0.90
            else "partial"
            if draw < 0.94
            else ""
        )
    if not outcome:
        return  # missing
    yesterday = today - dt.timedelta(days=1)
    if outcome == "late" and due < yesterday:
        day = due + dt.timedelta(days=rng.randint(1, min(60, (yesterday - due).days)))
    else:
        outcome = "partial" if outcome == "partial" else "on_time"
        latest = min(due, yesterday)
        first = min(period.end + dt.timedelta(days=1), latest)
        day = first + dt.timedelta(days=rng.randint(0, (latest - first).days))
    moment = _moment(day, rng)
    stamp = writer.stamp(moment)
    gone: set[str] = set()
    if outcome == "partial" and len(cells) > 1:
        regions = sorted({r for r, _k in cells})
        gone = set(rng.sample(regions, min(2, len(regions) - 1)))
    elif outcome == "partial":
        return  # one cell cannot be partly filled: missing
    written = 0
    for region, key in cells:
        if region in gone:
            continue
        value = Decimal(int(base * rng.uniform(0.6, 1.4)))
        writer.add((state.item_id, state.period, region, key, value, writer.final, "", "", stamp))
        written += 1
    state.filled_cells = written
    state.last_change_at = moment
    state.version = 1
    if written == len(cells):
        state.completed_at = moment


# --- The command line ---------------------------------------------------------------------


def _pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--double", action="store_true", help="120 agencies and 6,000 items")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="satudata-scale-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ.setdefault("DATA_DIR", str(tmp))
    url = os.environ.get("DATABASE_URL", "")
    admin = None
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        _pg(admin, f'DROP DATABASE IF EXISTS "{SCALE_DB}"')
        _pg(admin, f'CREATE DATABASE "{SCALE_DB}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{SCALE_DB}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'scale.sqlite3'}"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        factor = 2 if args.double else 1
        cpu = time.process_time()
        result = build(agencies=60 * factor, items=3000 * factor, years=10, seed=args.seed)
        cpu = time.process_time() - cpu
        print(
            f"database: {connection.vendor}  agencies: {result['agencies']}  "
            f"items: {result['items']:,}  years: {result['years'][0]}-{result['years'][-1]}"
        )
        print(
            f"observations: {result['observations']:,}  fill states: {result['fill_states']:,}  "
            f"built in {result['seconds']:.1f} s (cpu {cpu:.1f} s)"
        )
        if args.keep:
            print(f"kept: {os.environ['DATABASE_URL']}")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            if admin:
                _pg(admin, f'DROP DATABASE IF EXISTS "{SCALE_DB}"')
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
