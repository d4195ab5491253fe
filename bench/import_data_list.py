"""Benchmark: import a 3,000-row data list (60 agencies) and re-import it.

    python bench/import_data_list.py                       # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/import_data_list.py

On PostgreSQL it creates its own database `bench_satudata` next to the one named in
DATABASE_URL, and drops it at the end. Prints best and median of 5 runs.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

RUNS = 5
ROWS = 3000
AGENCIES = 60
BENCH_DB = "bench_satudata"


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


CPU: list[float] = []


def _timed(func) -> float:
    """Wall-clock seconds of one call; its CPU seconds (this process only) go to CPU."""
    started, cpu = time.perf_counter(), time.process_time()
    func()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started


def _line(label: str, times: list[float]) -> str:
    # CPU time is printed too: on a busy machine wall time waits for a core, CPU time does not
    # (the PostgreSQL server's own work is not in it).
    cpu = CPU[-len(times) :]
    text = (
        f"{label:<44} best {min(times):6.3f} s   median {statistics.median(times):6.3f} s"
        f"   (cpu median {statistics.median(cpu):.3f} s, {len(times)} runs)"
    )
    return text


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="satudata-bench-")
    os.environ.setdefault("DATA_DIR", tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    admin_url = _setup_database(tmp)
    try:
        run(tmp)
    finally:
        if admin_url:
            from django.db import connections

            connections.close_all()
            _postgres_admin(admin_url, f"DROP DATABASE IF EXISTS {BENCH_DB}")


def run(tmp: str) -> None:
    import datetime as dt

    import django

    django.setup()
    import generate
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from satudata.accounts.roles import Role
    from satudata.accounts.services import user_create
    from satudata.catalog.imports import data_list_import, read_table
    from satudata.catalog.models import DataItem
    from satudata.catalog.services import decree_create
    from satudata.core.actors import SystemActor

    call_command("migrate", verbosity=0)
    system = SystemActor("bench")
    generate.create_in_database(actor=system, agency_count=AGENCIES)
    walidata = user_create(actor=system, username="walidata", role=Role.WALIDATA)
    rows = generate.items(ROWS, seed=2026, agency_count=AGENCIES)
    data = generate.write_xlsx(rows, Path(tmp) / "daftar-data.xlsx").read_bytes()
    changed = generate.xlsx_bytes([{**r, "Satuan": r["Satuan"] + " (baru)"} for r in rows])

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"database: {connection.vendor}  rows: {ROWS:,}  agencies: {AGENCIES}  "
          f"file: {len(data) / 1024:.0f} kB  cpus: {os.cpu_count()}  load: {load:.1f}")  # fmt: skip
    print(_line("read + parse the XLSX only", [_timed(lambda: read_table(data, "x.xlsx"))
                                               for _ in range(RUNS)]))  # fmt: skip

    def fresh_decree(n: int):
        return decree_create(
            actor=system, number=f"BENCH/{n}", title="Bench", decree_date=dt.date(2026, 1, 15),
            year=2026,
        )  # fmt: skip

    first, queries = [], 0
    for n in range(RUNS):
        decree = fresh_decree(n)
        with CaptureQueriesContext(connection) as ctx:
            first.append(
                _timed(
                    lambda d=decree: data_list_import(
                        actor=walidata, decree=d, data=data, filename="daftar-data.xlsx"
                    )
                )
            )
        queries = len(ctx.captured_queries)
    assert DataItem.objects.filter(decree=decree).count() == ROWS
    print(_line(f"first import (creates {ROWS:,} items)", first) + f"   {queries} queries")

    again = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            again.append(
                _timed(
                    lambda: data_list_import(
                        actor=walidata, decree=decree, data=data, filename="daftar-data.xlsx"
                    )
                )
            )
    print(_line("re-import of the same file (no change)", again)
          + f"   {len(ctx.captured_queries)} queries")  # fmt: skip

    updates = []
    for n in range(RUNS):
        # Each run needs items to change: alternate between the changed and the original file.
        body = changed if n % 2 == 0 else data
        updates.append(
            _timed(
                lambda b=body: data_list_import(
                    actor=walidata, decree=decree, data=b, filename="daftar-data.xlsx"
                )
            )
        )
    print(_line(f"import changing every row ({ROWS:,} updates)", updates))


if __name__ == "__main__":
    main()
