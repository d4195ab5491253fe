"""Benchmark: server time of an agency's home page ("what is due") for an operator.

Same scale database as bench/fill_check.py (helper E's bench/scale.py when present, else its
minimal fill-state builder). Times GET /app/ as an operator of one agency (50 items over 10
years at the default size) through django.test.Client: best and median of 20 runs after a
warm-up. Budget: 100 ms. --double builds twice the agencies and items (the same number of
items per agency), --double-agency-items gives the operator's agency twice as many items.

    .venv/bin/python bench/home_page.py [--double]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/home_page.py

With PostgreSQL it creates the database `bench_home` on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fill_check import ROOT, bench_user, build, configure, teardown, time_get

BUDGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--double", action="store_true", help="twice the agencies and items")
    parser.add_argument(
        "--double-agency-items",
        action="store_true",
        help="twice the items, same agencies (each agency has twice as many)",
    )
    args = parser.parse_args()
    if args.double:
        args.agencies, args.items = args.agencies * 2, args.items * 2
    if args.double_agency_items:
        args.items *= 2

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-home-"))
    admin_url = configure(tmp, "bench_home")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from satudata.accounts.models import Agency
        from satudata.accounts.roles import Role
        from satudata.schedule.models import FillState

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        builder = build(agencies=args.agencies, items=args.items, years=args.years)
        built_s = time.perf_counter() - started
        # The agency with the most items: the heaviest home page.
        agency = Agency.objects.annotate(n=Count("items")).order_by("-n", "pk").first()
        states = FillState.objects.filter(item__agency=agency).count()
        client = Client()
        client.force_login(bench_user(Role.PRODUCER_OPERATOR, agency))
        print(
            f"database: {connection.vendor}; {args.agencies} agencies, {args.items} items, "
            f"{args.years} years; built by {builder} in {built_s:.1f} s; operator of "
            f"{agency.name} ({agency.n} items, {states:,} fill states); "
            f"{args.runs} runs after warm-up"
        )
        client.get("/app/")  # the first visit may sync this year's rows
        with CaptureQueriesContext(connection) as queries:
            client.get("/app/")
        print(f"queries per page: {len(queries.captured_queries)}")
        times, size = time_get(client, "/app/", args.runs)
        median = statistics.median(times)
        print(
            f"{'agency home (operator)':36s} best {min(times):7.1f} ms  median {median:7.1f} ms  "
            f"({size / 1024:,.0f} kB)"
        )
        walidata = Client()
        walidata.force_login(bench_user(Role.WALIDATA))
        w_times, w_size = time_get(walidata, "/app/", args.runs)
        print(
            f"{'walidata home (year headline)':36s} best {min(w_times):7.1f} ms  "
            f"median {statistics.median(w_times):7.1f} ms  ({w_size / 1024:,.0f} kB)"
        )
        over = median > BUDGET_MS
        print(f"budget {BUDGET_MS:.0f} ms (median, operator): {'EXCEEDED' if over else 'met'}")
        return 1 if over else 0
    finally:
        teardown(admin_url, tmp, "bench_home")


if __name__ == "__main__":
    sys.exit(main())
