"""Benchmark: a 1-million-value CSV download through the real server, and the DCAT catalog.

Builds a fresh database with
- one open dataset of 1,011,840 observations: a monthly item by village (248 desa/kelurahan)
  and by sex (2) and age group (17), ten years released (120 periods x 8,432 cells);
- 3,000 further public datasets (85% open with ten annual releases, 15% limited) of 60
  agencies, for the DCAT catalog at regency scale;
then
- times building the DCAT graph and serializing it (Turtle, JSON-LD) in process;
- starts `satudata serve` (gunicorn, one gthread worker) on 127.0.0.1:PORT and streams the
  CSV (and the JSON) with http.client: time to first byte, total time, rows, and the peak
  resident memory of the worker (VmHWM of /proc/<pid>/status, read before and after);
- fetches /catalog.ttl through the server twice (cold build, then from the cache);
- unless --no-demo: builds the demo (`satudata demo`) in another folder and times its DCAT
  catalog.

Rows are written by bulk inserts (bench/scale.py's writer: executemany, COPY on PostgreSQL),
datasets and releases directly: a benchmark fixture, not the services.

    .venv/bin/python bench/portal_download.py [--port 8104] [--periods 120] [--no-demo] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/portal_download.py

Targets: first byte under 200 ms, worker memory under 100 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

BENCH_DB = "bench_download"
SEXES = ("L", "P")
AGES = (*(f"{a}-{a + 4}" for a in range(0, 80, 5)), "80+")  # 17 groups


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(rest.split()[0])
    return out


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def build_big(periods: int) -> tuple[str, int]:
    """The one big open dataset; returns its slug and the number of observations."""
    from django.db import transaction
    from django.utils import timezone

    from bench.scale import _Writer
    from satudata.accounts.choices import AgencyKind
    from satudata.accounts.models import Agency
    from satudata.catalog.models import DataItem, DataListDecree, Region
    from satudata.catalog.services import breakdown_ensure, regions_load
    from satudata.core.actors import SystemActor
    from satudata.portal.models import Dataset, DatasetRelease

    actor = SystemActor("bench")
    now = timezone.now()
    with transaction.atomic():
        regions_load(actor=actor, root="35.09")
        sex = breakdown_ensure(
            actor=actor, name="Jenis Kelamin", slug="jenis-kelamin", categories=list(SEXES)
        )
        age = breakdown_ensure(
            actor=actor, name="Kelompok Umur", slug="kelompok-umur", categories=list(AGES)
        )
        agency = Agency.objects.create(
            code="9.99.01",
            name="Dinas Kesehatan",
            short_name="Dinkes",
            kind=AgencyKind.OFFICE,
            email="dinkes@example.go.id",
        )
        decree = DataListDecree.objects.create(
            number="188.45/BENCH/2026",
            title="Daftar Data (uji unduhan)",
            decree_date=dt.date(now.year, 1, 15),
            year=now.year,
        )
        item = DataItem.objects.create(
            decree=decree,
            code="BIG-001",
            name="Penduduk menurut desa, jenis kelamin dan umur",
            agency=agency,
            unit="jiwa",
            periodicity="monthly",
            level="village",
            accessibility="open",
            definition="Jumlah penduduk (data uji unduhan besar).",
        )
        item.breakdowns.set([sex, age])
        villages = list(
            Region.objects.filter(level="village", code__startswith="35.09.")
            .order_by("code")
            .values_list("code", flat=True)
        )
        keys = [f"jenis-kelamin={s};kelompok-umur={a}" for a in AGES for s in SEXES]
        keys.sort()
        writer = _Writer()
        stamp = writer.stamp(now - dt.timedelta(days=2))
        rng = random.Random(4)
        first_year = now.year - (periods + 11) // 12
        period_keys = [f"{first_year + i // 12}-{1 + i % 12:02d}" for i in range(periods)]
        for period in period_keys:
            for village in villages:
                for key in keys:
                    value = Decimal(rng.randint(0, 5000)) / 10
                    writer.add((item.pk, period, village, key, value, "final", "", "", stamp))
        writer.flush()
        dataset = Dataset.objects.create(
            code=item.code,
            slug="penduduk-desa-besar",
            item=item,
            listed_at=now - dt.timedelta(days=1),
            modified_at=now - dt.timedelta(days=1),
        )
        DatasetRelease.objects.bulk_create(
            DatasetRelease(
                dataset=dataset, period=p, year=int(p[:4]), release_at=now - dt.timedelta(days=1)
            )
            for p in period_keys
        )
    return dataset.slug, writer.count


def build_catalog(n: int) -> None:
    """n public datasets (85% open with ten annual releases, 15% limited) of 60 agencies."""
    from django.db import transaction
    from django.utils import timezone

    from bench.scale import _agencies
    from satudata.catalog.models import DataItem, DataListDecree, Topic
    from satudata.portal.models import Dataset, DatasetRelease

    now = timezone.now()
    rng = random.Random(7)
    with transaction.atomic():
        agencies = _agencies(60)
        topics = Topic.objects.bulk_create(
            [Topic(name=f"Topik {i}", slug=f"topik-{i}") for i in range(12)]
        )
        decree = DataListDecree.objects.create(
            number="188.45/BENCH-KATALOG",
            title="Daftar Data (uji katalog)",
            decree_date=dt.date(now.year, 1, 2),
            year=now.year,
        )
        items = DataItem.objects.bulk_create(
            [
                DataItem(
                    decree=decree,
                    code=f"CAT-{i:05d}",
                    name=f"Data uji katalog ke-{i}",
                    agency=agencies[i % 60],
                    topic=topics[i % 12],
                    unit="orang",
                    periodicity=rng.choice(["annual", "semester", "quarterly", "monthly"]),
                    level="district",
                    tags="uji, katalog",
                    definition=f"Definisi data uji katalog ke-{i}.",
                    accessibility="limited" if i % 7 == 0 else "open",
                    accessibility_reason="UU 14/2008 pasal 17 huruf h" if i % 7 == 0 else "",
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        when = now - dt.timedelta(days=3)
        datasets = Dataset.objects.bulk_create(
            [
                Dataset(
                    code=it.code,
                    slug=f"data-uji-katalog-{i}",
                    item=it,
                    listed_at=when,
                    modified_at=when,
                )
                for i, it in enumerate(items)
            ],
            batch_size=1000,
        )
        DatasetRelease.objects.bulk_create(
            [
                DatasetRelease(dataset=d, period=str(y), year=y, release_at=when)
                for d, it in zip(datasets, items, strict=True)
                if it.accessibility == "open"
                for y in range(now.year - 10, now.year)
            ],
            batch_size=5000,
        )


def time_dcat() -> None:
    from django.core.cache import cache
    from django.utils import timezone

    from satudata.portal.dcat import (
        catalog_bytes,
        catalog_state,
        catalog_triples,
        jsonld_bytes,
        turtle_bytes,
    )
    from satudata.portal.selectors import public_datasets

    now = timezone.now()
    count = public_datasets(now).count()
    started = time.perf_counter()
    graph = catalog_triples(now)
    built = time.perf_counter() - started
    started = time.perf_counter()
    ttl = turtle_bytes(graph)
    turtle_s = time.perf_counter() - started
    started = time.perf_counter()
    jsonld = jsonld_bytes(graph)
    jsonld_s = time.perf_counter() - started
    cache.clear()
    catalog_bytes("turtle", now)
    started = time.perf_counter()
    for _ in range(20):
        catalog_state(now)
    state_ms = (time.perf_counter() - started) / 20 * 1000
    print(
        f"DCAT, {count:,} public datasets: {len(graph):,} triples; graph built in {built:.2f} s, "
        f"Turtle {turtle_s:.2f} s ({len(ttl) / 1e6:.1f} MB), "
        f"JSON-LD {jsonld_s:.2f} s ({len(jsonld) / 1e6:.1f} MB); "
        f"cache key (per cached request) {state_ms:.1f} ms"
    )


def _wait(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/robots.txt")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def stream(port: int, path: str) -> tuple[float, float, int, int, int]:
    """(first byte s, total s, lines, bytes, status) of one GET read in 64 kB pieces."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    first = response.read1(65536) if hasattr(response, "read1") else response.read(1)
    ttfb = time.perf_counter() - started
    lines, size = first.count(b"\n"), len(first)
    while chunk := response.read(65536):
        lines += chunk.count(b"\n")
        size += len(chunk)
    total = time.perf_counter() - started
    conn.close()
    return ttfb, total, lines, size, response.status


def serve_and_measure(port: int, slug: str) -> None:
    env = dict(os.environ, LOG_LEVEL="WARNING")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/satudata"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, server)
        workers = _children(server.pid)
        worker = workers[0]
        # Warm the worker (imports, URL resolver) with a small download.
        stream(port, "/dataset/data-uji-katalog-1/data.csv")
        before = _status(worker)
        ttfb, total, lines, size, status = stream(port, f"/dataset/{slug}/data.csv")
        after = _status(worker)
        print(
            f"CSV through the server (gunicorn gthread, 1 worker): HTTP {status}, "
            f"{lines - 1:,} rows, {size / 1e6:.1f} MB; first byte {ttfb * 1000:.0f} ms, "
            f"total {total:.1f} s ({(lines - 1) / total:,.0f} rows/s)"
        )
        print(
            f"worker memory: RSS {before['VmRSS'] / 1024:.0f} MB before, peak (VmHWM) "
            f"{before['VmHWM'] / 1024:.0f} MB before -> {after['VmHWM'] / 1024:.0f} MB after "
            f"the download"
        )
        ttfb, total, _lines, size, status = stream(port, f"/dataset/{slug}/data.json")
        peak = _status(worker)["VmHWM"] / 1024
        print(
            f"JSON through the server: HTTP {status}, {size / 1e6:.1f} MB; first byte "
            f"{ttfb * 1000:.0f} ms, total {total:.1f} s; worker peak {peak:.0f} MB"
        )
        for label in ("cold", "cached"):
            ttfb, total, _lines, size, status = stream(port, "/catalog.ttl")
            print(
                f"/catalog.ttl through the server ({label}): HTTP {status}, "
                f"{size / 1e6:.1f} MB in {total * 1000:.0f} ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def demo_dcat(port: int) -> None:
    """The demo's DCAT catalog, timed in a fresh folder of its own."""
    folder = Path(tempfile.mkdtemp(prefix="satudata-demo-dcat-"))
    env = dict(os.environ, DATA_DIR=str(folder))
    env.pop("DATABASE_URL", None)
    satudata = str(ROOT / ".venv/bin/satudata")
    try:
        subprocess.run([satudata, "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([satudata, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        code = "import sys; sys.path.insert(0, %r); import portal_download as p; p.time_dcat()"
        print("demo: ", end="", flush=True)
        subprocess.run([satudata, "shell", "-c", code % str(ROOT / "bench")], env=env, check=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--periods", type=int, default=120, help="months of the big dataset")
    parser.add_argument("--datasets", type=int, default=3000, help="datasets of the catalog")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo's catalog")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="satudata-download-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    admin = None
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        _pg(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _pg(admin, f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        slug, count = build_big(args.periods)
        build_catalog(args.datasets)
        if connection.vendor == "postgresql":
            # As autovacuum would soon: planner statistics for the freshly loaded tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"database: {connection.vendor}; built {count:,} observations of one dataset and "
            f"{args.datasets:,} catalog datasets in {time.perf_counter() - started:.0f} s"
        )
        time_dcat()
        connections.close_all()
        serve_and_measure(args.port, slug)
        if not args.no_demo:
            demo_dcat(args.port)
        if args.keep:
            print(f"kept: {os.environ['DATABASE_URL']} (DATA_DIR {tmp})")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            if admin:
                _pg(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
