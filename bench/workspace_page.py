"""Benchmark: walidata's portal workspace (SOP step 3) over a regency-sized data list.

Builds a fresh database with bench/scale.py (60 agencies, 3,000 items, `--years` years of
values and their fill states), publishes a third of the open items through the real service
(a tenth of them with a release under embargo) and withdraws a few, then times as the walidata
through django.test.Client (the whole request through Django, without a network):

- the list page (first page of 200 rows), filtered pages and a later page;
- the publish action of a selection of 50 items (each run on fresh items).

Prints best and median after a warm-up and the queries per page (which must not grow with the
rows). Budget: list page median under 300 ms.

    .venv/bin/python bench/workspace_page.py                  # SQLite, in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/workspace_page.py

With PostgreSQL it creates the database `bench_workspace` on that server and drops it at the
end (the database named in the URL is only used to connect).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_workspace"
BUDGET_MS = 300.0
LIST_URL = "/app/portal/datasets/"
PUBLISH_URL = "/app/portal/datasets/publish/"


def _pg_execute(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


def _configure(tmp: Path) -> str | None:
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
        _pg_execute(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _pg_execute(admin, f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def _complete_open_items() -> list:
    """Open items with a complete period, in code order (what the SOP's step 3 publishes)."""
    from django.db.models import F

    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem

    return list(
        DataItem.objects.filter(
            accessibility=Accessibility.OPEN,
            fill_states__required_cells__gt=0,
            fill_states__filled_cells__gte=F("fill_states__required_cells"),
        )
        .distinct()
        .order_by("code")
    )


def _publish_some(items: list) -> dict[str, int]:
    """Publish a third of the ready items (a tenth of those under embargo); withdraw 20."""
    from django.utils import timezone

    from satudata.core.actors import SystemActor
    from satudata.portal.services import dataset_withdraw, datasets_publish

    actor = SystemActor("bench")
    share = items[: len(items) // 3]
    embargoed = share[: len(share) // 10]
    now_part = share[len(embargoed) :]
    result = datasets_publish(actor=actor, items=now_part)
    datasets_publish(actor=actor, items=embargoed, release_at=timezone.now() + dt.timedelta(days=7))
    for dataset in result.datasets[:20]:
        dataset_withdraw(actor=actor, dataset=dataset, reason="Uji kinerja.")
    return {"published": len(now_part), "embargoed": len(embargoed), "withdrawn": 20}


def _time(client, url: str, runs: int, warmup: int = 2) -> tuple[list[float], int]:
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
    parser.add_argument("--items", type=int, default=3000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="bench-workspace-"))
    admin_url = _configure(tmp)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from bench.scale import build
        from satudata.accounts.models import User
        from satudata.accounts.roles import Role

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        build(items=args.items, years=args.years)
        built_s = time.perf_counter() - started
        ready = _complete_open_items()
        started = time.perf_counter()
        counts = _publish_some(ready)
        publish_s = time.perf_counter() - started
        walidata = User.objects.create_user(
            username="walidata", password="bench-only-2026", role=Role.WALIDATA
        )
        client = Client()
        client.force_login(walidata)
        print(
            f"database: {connection.vendor}; {args.items} items, {args.years} years "
            f"(built in {built_s:.1f} s); {len(ready)} open items ready; published "
            f"{counts['published']} + {counts['embargoed']} under embargo through the service "
            f"in {publish_s:.1f} s; {counts['withdrawn']} withdrawn; {args.runs} runs"
        )
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST_URL)
        print(f"queries per list page: {len(queries.captured_queries)}")

        over = False
        for label, url in (
            ("list page (200 of all rows)", LIST_URL),
            ("filter: open, new periods", f"{LIST_URL}?class=open&state=new&select=ready"),
            ("filter: scheduled", f"{LIST_URL}?state=scheduled"),
            ("filter: published", f"{LIST_URL}?state=published"),
            ("page 10", f"{LIST_URL}?page=10"),
        ):
            times, size = _time(client, url, args.runs)
            median = statistics.median(times)
            print(
                f"{label:32s} best {min(times):7.1f} ms  median {median:7.1f} ms  "
                f"({size / 1024:,.0f} kB)"
            )
            if url == LIST_URL and median > BUDGET_MS:
                over = True

        # Publish 50 fresh items per run: the service's work plus the redirect.
        rest = ready[len(ready) // 3 :]
        times = []
        for run in range(min(args.runs, len(rest) // 50)):
            batch = rest[run * 50 : (run + 1) * 50]
            started = time.perf_counter()
            response = client.post(PUBLISH_URL, {"items": [i.pk for i in batch]})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
        if times:
            print(
                f"{'publish 50 items (POST)':32s} best {min(times):7.1f} ms  "
                f"median {statistics.median(times):7.1f} ms"
            )
        print(
            f"budget {BUDGET_MS:.0f} ms (median of the list page): {'EXCEEDED' if over else 'met'}"
        )
        return 1 if over else 0
    finally:
        if admin_url is not None:
            from django.db import connections

            connections.close_all()
            _pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
