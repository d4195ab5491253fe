"""Benchmark: upload a filled values template of ~100,000 cells, then the same file again.

    python bench/import_values.py                    # SQLite in a temporary file
    python bench/import_values.py --scale 1          # only the ~100,000-cell file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/import_values.py

The regency is Jember (31 kecamatan, 248 villages). An agency gets annual items at village
level by sex (248 x 2 = 496 cells each): 200 items make 99,200 cells. The filled XLSX is the
real template (values.spreadsheets) with every cell typed. Timed: the first upload (parse,
check, save 99,200 values with revisions, fill states and audit rows), the upload of the same
file again (nothing changes), and the same at twice the size (a second agency with 400 items).
Peak memory: the process's peak RSS, and the Python allocations' peak (tracemalloc) of the
first upload of a second, identical agency. On PostgreSQL the script creates its own database
`bench_values` beside the one in DATABASE_URL and drops it at the end.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

BENCH_DB = "bench_values"
ITEMS_PER_100K = 200  # x 248 villages x 2 sexes = 99,200 cells


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(sql)


def _setup_database(tmp: str) -> str | None:
    """Point DATABASE_URL at a fresh database; returns the admin URL when one was created."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        _postgres_admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        _postgres_admin(url, f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
        return url
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    return None


def _rss_mb() -> float:
    # ru_maxrss is in kB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, nargs="*", default=[1, 2], help="x 99,200 cells")
    parser.add_argument("--profile", action="store_true", help="cProfile the first upload")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="satudata-bench-")
    os.environ.setdefault("DATA_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    # A 200,000-cell workbook is about 3 MB; the server's default limit is 10 MB.
    os.environ.setdefault("MAX_UPLOAD_BYTES", str(64 * 1024 * 1024))
    admin_url = _setup_database(tmp)
    try:
        run(args.scale, args.profile)
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            _postgres_admin(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")


def run(scales: list[float], profile: bool = False) -> None:
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satudata.accounts.choices import AgencyKind
    from satudata.accounts.roles import Role
    from satudata.accounts.services import agency_create, user_create
    from satudata.catalog.services import (
        breakdown_ensure,
        decree_create,
        item_create,
        regions_load,
    )
    from satudata.core.actors import SystemActor
    from satudata.schedule.periods import Period
    from satudata.values.imports import values_import
    from satudata.values.models import Observation
    from satudata.values.spreadsheets import item_sheets, template_items, template_xlsx

    call_command("migrate", verbosity=0)
    system = SystemActor("bench")
    regions_load(actor=system, root="35.09")
    sex = breakdown_ensure(
        actor=system, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )
    decree = decree_create(
        actor=system, number="BENCH/2025", title="Bench", decree_date=dt.date(2025, 1, 15),
        year=2025,
    )  # fmt: skip
    period = Period.parse("2025")

    def agency_with_items(code: str, count: int):
        agency = agency_create(actor=system, code=code, name=f"Dinas {code}", short_name=code,
                               kind=AgencyKind.OFFICE)  # fmt: skip
        for n in range(count):
            item_create(
                actor=system, decree=decree, agency=agency, code=f"{code}.{n:04d}",
                name=f"Jumlah uji {n}", unit="orang", periodicity="annual", level="village",
                breakdowns=[sex], accessibility="open", definition="Definisi uji.",
            )  # fmt: skip
        user = user_create(actor=system, username=f"op-{code}", role=Role.PRODUCER_OPERATOR,
                           agency=agency, password="bench-bench-2026")  # fmt: skip
        return agency, user

    def filled_template(agency, plus: int = 0) -> tuple[bytes, int]:
        """The agency's template with every cell typed (values the real writer puts in)."""
        sheets = item_sheets(template_items(agency, period), period)
        cells = 0
        for sheet in sheets:
            for r, (region, _name) in enumerate(sheet.regions):
                for k, key in enumerate(sheet.keys):
                    value = Decimal(r * 10 + k + plus) + Decimal("0.5") * (r % 2)
                    sheet.values[(region, key)] = Observation(value=value, status="preliminary")
                    cells += 1
        return template_xlsx(agency=agency, period=period, sheets=sheets), cells

    print(f"database: {connection.vendor}  cpus: {os.cpu_count()}  "
          f"load: {os.getloadavg()[0]:.1f}")  # fmt: skip
    for n, scale in enumerate(scales):
        count = round(ITEMS_PER_100K * scale)
        agency, user = agency_with_items(f"A{n}", count)
        twin, twin_user = agency_with_items(f"B{n}", count)
        started = time.perf_counter()
        data, cells = filled_template(agency)
        twin_data, _cells = filled_template(twin)
        build = time.perf_counter() - started
        print(f"\n{cells:,} cells in {count} sheets, file {len(data) / 1024 / 1024:.1f} MB "
              f"(template written in {build / 2:.2f} s)")  # fmt: skip

        rss_before = _rss_mb()
        # Not under CaptureQueriesContext: its debug cursor formats every statement's SQL.
        started, cpu = time.perf_counter(), time.process_time()
        if profile:
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                summary = values_import(actor=user, data=data, filename="nilai.xlsx")
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        else:
            summary = values_import(actor=user, data=data, filename="nilai.xlsx")
        first, cpu_first = time.perf_counter() - started, time.process_time() - cpu
        assert summary.saved == cells, summary.text()
        print(f"  first upload:       {first:5.2f} s  (cpu {cpu_first:.2f} s; "
              f"{len(summary.complete)} items complete)")  # fmt: skip

        with CaptureQueriesContext(connection) as ctx:
            started, cpu = time.perf_counter(), time.process_time()
            again = values_import(actor=user, data=data, filename="nilai.xlsx")
            second, cpu_second = time.perf_counter() - started, time.process_time() - cpu
        assert again.saved == 0
        print(f"  same file again:    {second:5.2f} s  (cpu {cpu_second:.2f} s; "
              f"{len(ctx.captured_queries):,} queries, nothing saved)")  # fmt: skip

        changed, _cells = filled_template(agency, plus=1)
        started, cpu = time.perf_counter(), time.process_time()
        summary = values_import(actor=user, data=changed, filename="nilai.xlsx")
        third, cpu_third = time.perf_counter() - started, time.process_time() - cpu
        assert summary.saved == cells
        print(f"  every cell changed: {third:5.2f} s  (cpu {cpu_third:.2f} s; {cells:,} updates "
              "and revisions)")  # fmt: skip

        tracemalloc.start()
        values_import(actor=twin_user, data=twin_data, filename="nilai.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  memory: Python allocations peak {peak / 1024 / 1024:.0f} MB during an upload; "
              f"process peak RSS {_rss_mb():.0f} MB (was {rss_before:.0f} MB before the "
              "uploads)")  # fmt: skip


if __name__ == "__main__":
    main()
