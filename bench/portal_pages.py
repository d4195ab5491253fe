"""Benchmark: server time of the public portal's home and dataset pages on the demo database.

Builds the demo (`satudata migrate` + `satudata demo`: ~250 public datasets, 52 limited, one
embargoed) in a temporary folder, or reuses one with --data-dir, then times anonymous GETs
through django.test.Client: a warm-up, then --runs requests per page; prints median, p95 and
the number of queries of a warm request per page (the home page and release calendar
cache their body under a fingerprint query; the dataset page caches its table and charts per
version). Pages: home, agency list, release calendar, sitemap, feed, and
the dataset page of a regency series, a kecamatan series by sex and a village series (the
largest table), and a limited dataset.

    .venv/bin/python bench/portal_pages.py [--runs 200] [--data-dir /tmp/demo] [--cold]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/portal_pages.py

With PostgreSQL it creates the database `bench_pages` on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fill_check import ROOT, configure, teardown

BUDGET_MS = {"home": 100.0, "dataset": 100.0}
DB_NAME = "bench_pages"


def _pages() -> list[tuple[str, str]]:
    """(label, URL) of the pages to time, picked from what the demo published."""
    from django.urls import reverse

    from satudata.catalog.choices import Accessibility
    from satudata.portal.selectors import open_datasets, public_datasets

    def detail(qs):
        ds = qs.order_by("slug").first()
        return reverse("dataset-detail", args=[ds.slug]) if ds else None

    regency = detail(open_datasets().filter(item__level="regency", item__breakdowns__isnull=True))
    district = detail(
        open_datasets().filter(item__level="district", item__breakdowns__isnull=False)
    )
    village = detail(open_datasets().filter(item__level="village"))
    limited = detail(public_datasets().filter(item__accessibility=Accessibility.LIMITED))
    pages = [
        ("home", reverse("portal-home")),
        ("dataset, regency", regency),
        ("dataset, kecamatan x sex", district),
        ("dataset, village", village),
        ("dataset, limited", limited),
        ("agency list", reverse("portal-agency-list")),
        ("release calendar", reverse("portal-release-calendar")),
        ("sitemap.xml", reverse("sitemap")),
        ("atom feed", reverse("dataset-feed")),
    ]
    return [(label, url) for label, url in pages if url]


def _counter(queries: list[str]):  # type: ignore[no-untyped-def]
    """A database execute wrapper that records each query's SQL in `queries`."""

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument(
        "--cold", action="store_true", help="empty the cache before every request (worst case)"
    )
    parser.add_argument("--data-dir", help="reuse this demo DATA_DIR (SQLite) instead of building")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="bench-pages-"))
    admin_url = None
    if args.data_dir:
        import os

        os.environ.update(
            DJANGO_SETTINGS_MODULE="satudata.settings",
            DATA_DIR=str(tmp),
            ALLOWED_HOSTS="testserver",
            DEBUG="false",
            LOG_LEVEL="WARNING",
            STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    else:
        admin_url = configure(tmp, DB_NAME)
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from satudata.portal.selectors import public_datasets

        if not args.data_dir:
            started = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            call_command("demo", verbosity=0)
            print(f"demo built in {time.perf_counter() - started:.1f} s")
        client = Client()
        print(
            f"database: {connection.vendor}; {public_datasets().count()} public datasets; "
            f"{args.runs} anonymous GETs per page after a warm-up (django.test.Client)"
        )
        print(f"{'page':<26} {'median ms':>9} {'p95 ms':>7} {'queries':>7} {'KiB':>6}")
        for label, url in _pages():
            for _warm in range(5):
                assert client.get(url).status_code == 200, url
            queries: list[str] = []
            count = _counter(queries)

            # A warm request's queries (the request_started signal empties connection.queries).
            with connection.execute_wrapper(count):
                response = client.get(url)
            times = []
            for _run in range(args.runs):
                if args.cold:
                    cache.clear()
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            median = statistics.median(times)
            budget = BUDGET_MS["home" if label == "home" else "dataset"]
            mark = "" if p95 <= budget or not label.startswith(("home", "dataset")) else " OVER"
            size = len(response.content) / 1024
            print(
                f"{label:<26} {median:>9.1f} {p95:>7.1f} {len(queries):>7} {size:>6.0f}{mark}"
                f"  {url}"
            )
    finally:
        if not args.data_dir:
            teardown(admin_url, tmp, DB_NAME)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
