"""Benchmark: the release calendar, its exports and the reminders at regency scale.

Builds a fresh database like step2_page.py (60 agencies, 3,000 items, a quarter of each
periodicity: 14,250 item-periods a year), syncs the 2025 fill states, fills about 70% of them,
gives every agency a head and an operator, then times as the walidata through django.test.Client:
the calendar of 2025 (all producers, and one), its ICS/XLSX/CSV exports, the reminders page,
one reminder send to every agency behind (e-mails to the locmem backend), and the daily job run
twice (the second sends nothing).

    .venv/bin/python bench/release_calendar.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/release_calendar.py
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from step2_page import _build, _pg_execute, _postgres_admin_url, _time

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_calendar"


def _configure(tmp: Path) -> str | None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        admin, _bench = _postgres_admin_url(url)
        bench = admin.rsplit("/", 1)[0] + f"/{BENCH_DB}"
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _pg_execute(admin, f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = bench
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def _fill_and_staff(year: int) -> int:
    """Fill-state rows of the year, ~70% complete; a head and an operator per agency."""
    from django.utils import timezone

    from satudata.accounts.models import Agency, User
    from satudata.accounts.roles import Role
    from satudata.schedule.models import FillState
    from satudata.schedule.services import fill_states_sync

    fill_states_sync(year=year)
    states = list(FillState.objects.filter(year=year))
    now = timezone.now()
    for n, state in enumerate(states):
        if n % 10 < 7:
            state.filled_cells, state.completed_at = state.required_cells, now
    FillState.objects.bulk_update(states, ["filled_cells", "completed_at"], batch_size=1000)
    users = []
    for agency in Agency.objects.all():
        for role in (Role.PRODUCER_HEAD, Role.PRODUCER_OPERATOR):
            users.append(
                User(
                    username=f"{role}-{agency.pk}",
                    email=f"{role}-{agency.pk}@example.go.id",
                    role=role,
                    agency=agency,
                )
            )
    User.objects.bulk_create(users)
    return len(states)


def _report(label: str, times: list[float], cpu: list[float], size: int) -> None:
    print(
        f"{label:40s} best {min(times):7.1f} ms  median {statistics.median(times):7.1f} ms  "
        f"(cpu median {statistics.median(cpu):6.1f} ms; {size / 1024:,.0f} kB)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-calendar-"))
    admin_url = _configure(tmp)
    try:
        import django

        django.setup()
        from django.core import mail
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from satudata.accounts.models import Agency
        from satudata.notifications.services import reminders_send

        call_command("migrate", verbosity=0, interactive=False)
        walidata = _build(args.agencies, args.items)
        states = _fill_and_staff(2025)
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load: without statistics the planner
            # takes the fresh tables for empty and loops over 3,000 index scans (4.6 s).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(walidata)
        print(
            f"database: {connection.vendor}; {args.agencies} agencies, {args.items} items, "
            f"{states:,} fill states in 2025; {args.runs} runs after warm-up"
        )
        one = f"agency={Agency.objects.order_by('pk').values_list('pk', flat=True).first()}"
        for label, url, runs in (
            (
                "calendar 2025, all producers",
                "/app/schedule/calendar/?year=2025&agency=",
                args.runs,
            ),
            ("calendar 2025, one producer", f"/app/schedule/calendar/?year=2025&{one}", args.runs),
            ("export ICS, all", "/app/schedule/calendar/export.ics?year=2025&agency=", 3),
            ("export XLSX, all", "/app/schedule/calendar/export.xlsx?year=2025&agency=", 3),
            ("export CSV, all", "/app/schedule/calendar/export.csv?year=2025&agency=", 3),
            ("reminders page 2025", "/app/notifications/reminders/?year=2025", args.runs),
            ("schedule rules page", "/app/schedule/", args.runs),
        ):
            times, cpu, size = _time(client, url, runs)
            _report(label, times, cpu, size)

        started = time.perf_counter()
        result = reminders_send(actor=walidata, year=2025)
        print(
            f"reminders_send 2025: {len(result.reminders)} agencies, "
            f"{sum(r.items_count for r in result.reminders):,} items, {len(mail.outbox)} e-mails "
            f"in {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        for run in (1, 2):
            started = time.perf_counter()
            out = io.StringIO()
            call_command("send_reminders", "--year", "2025", stdout=out)
            print(
                f"daily job, run {run}: {(time.perf_counter() - started) * 1000:.0f} ms: "
                + out.getvalue().strip().splitlines()[-1]
            )
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if admin_url:
            _pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
