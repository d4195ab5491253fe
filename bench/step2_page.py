"""Benchmark: server time of the SOP step-2 page (and its exports) for a regency-sized list.

Builds a fresh database with 60 agencies and 3,000 items in the three accessibility classes,
then times GET /app/step-2/ as the walidata through django.test.Client: the whole request
through Django (middleware, session, queries, template), without a network. Prints the best
and the median of 20 runs after a warm-up. Budget: 200 ms.

    .venv/bin/python bench/step2_page.py                      # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/step2_page.py

With PostgreSQL it creates the database `bench_step2` on that server and drops it at the end
(the database named in the URL is only used to connect).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_step2"
BUDGET_MS = 200.0


def _postgres_admin_url(url: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of the benchmark database)."""
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return admin, bench


def _psycopg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_psycopg_dsn(admin_url), autocommit=True) as conn:
        conn.execute(sql)


def _configure(tmp: Path) -> str | None:
    """Point the settings at a fresh database; return the admin URL when it is PostgreSQL."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    # No collectstatic here: the manifest storage would refuse every {% static %}.
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        admin, bench = _postgres_admin_url(url)
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _pg_execute(admin, f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = bench
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def _build(n_agencies: int, n_items: int):  # -> User
    """60 agencies, a decree, n_items items (about 60% open, 25% limited, 15% closed)."""
    import datetime as dt

    from satudata.accounts.choices import AgencyKind
    from satudata.accounts.models import Agency, User
    from satudata.accounts.roles import Role
    from satudata.catalog.choices import (
        Accessibility,
        Periodicity,
        PresentationLevel,
        RegionLevel,
    )
    from satudata.catalog.models import DataItem, DataListDecree, Region, Topic

    Region.objects.create(code="35.09", name="Kabupaten Jember", level=RegionLevel.REGENCY)
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"1.{i:02d}.01",
            name=f"Dinas Uji Kinerja {i:02d}",
            short_name=f"DUK{i:02d}",
            slug=f"duk{i:02d}",
            kind=AgencyKind.OFFICE,
        )
        for i in range(n_agencies)
    )
    topics = Topic.objects.bulk_create(
        Topic(name=f"Topik {i}", slug=f"topik-{i}") for i in range(12)
    )
    decree = DataListDecree.objects.create(
        number="188.45/1/35.09.325/2026",
        title="Daftar Data Statistik Sektoral Kabupaten Jember Tahun 2026",
        decree_date=dt.date(2026, 1, 15),
        year=2026,
    )
    classes = [Accessibility.OPEN] * 12 + [Accessibility.LIMITED] * 5 + [Accessibility.CLOSED] * 3
    periodicities = list(Periodicity)
    levels = list(PresentationLevel)
    items = []
    for i in range(n_items):
        cls = classes[i % len(classes)]
        items.append(
            DataItem(
                decree=decree,
                code=f"DD-{i:05d}",
                name=f"Jumlah penduduk menurut kelompok umur dan jenis kelamin ke-{i}",
                agency=agencies[i % n_agencies],
                topic=topics[i % len(topics)],
                unit="orang",
                periodicity=periodicities[i % len(periodicities)],
                level=levels[i % len(levels)],
                accessibility=cls,
                accessibility_reason=""
                if cls == Accessibility.OPEN
                else "UU 14/2008 pasal 17 huruf h angka 2 (riwayat dan kondisi anggota keluarga)",
                definition="Definisi uji kinerja.",
            )
        )
    DataItem.objects.bulk_create(items, batch_size=500)
    return User.objects.create_user(
        username="walidata", password="bench-only-2026", role=Role.WALIDATA, first_name="Wali"
    )


def _time(client, url: str, runs: int, warmup: int = 3) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of each run (after warm-up), and the response size in bytes.

    CPU time (this process only; a PostgreSQL server's work is not in it) shows what the
    request costs when the machine is shared and wall time is noisy.
    """
    size = 0
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        size = len(response.content)
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    return wall, cpu, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-step2-"))
    admin_url = _configure(tmp)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        walidata = _build(args.agencies, args.items)
        built_s = time.perf_counter() - started
        client = Client()
        client.force_login(walidata)

        print(
            f"database: {connection.vendor}; {args.agencies} agencies, {args.items} items "
            f"(built in {built_s:.1f} s); {args.runs} runs after warm-up"
        )
        with CaptureQueriesContext(connection) as queries:
            client.get("/app/step-2/")
        print(f"queries per page: {len(queries.captured_queries)}")
        over_budget = False
        for label, url, runs in (
            ("step-2 page", "/app/step-2/", args.runs),
            ("step-2 page, filtered (one class)", "/app/step-2/?accessibility=limited", args.runs),
            ("export XLSX", "/app/step-2/export.xlsx", max(args.runs // 4, 3)),
            ("export CSV", "/app/step-2/export.csv", max(args.runs // 4, 3)),
        ):
            times, cpu, size = _time(client, url, runs)
            best, median = min(times), statistics.median(times)
            print(
                f"{label:34s} best {best:7.1f} ms  median {median:7.1f} ms  "
                f"(cpu median {statistics.median(cpu):6.1f} ms; {size / 1024:,.0f} kB)"
            )
            if url == "/app/step-2/" and median > BUDGET_MS:
                over_budget = True
        print(
            f"budget {BUDGET_MS:.0f} ms (median of the whole page): "
            f"{'EXCEEDED' if over_budget else 'met'}"
        )
        return 1 if over_budget else 0
    finally:
        if admin_url is not None:
            from django.db import connections

            connections.close_all()
            _pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
