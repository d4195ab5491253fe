"""Benchmark: 100 simulated users for 60 s against the production setup on PostgreSQL.

Builds a PostgreSQL database of its own ("bench_load", beside the one DATABASE_URL names,
dropped at the end unless --keep) with the Jember demo (`satudata migrate`, `satudata demo`),
starts the production server (`satudata serve --no-worker`: gunicorn gthread, 4 workers x 4
threads, EMBEDDED_WORKER off) and one `satudata worker` on 127.0.0.1, and drives it with locust
headless (bench/locustfile.py): portal home, searches with words and facets, dataset pages,
CSV/XLSX downloads, CKAN package_search/package_show, API v1, and operators signing in,
downloading the values template and uploading changed values.

Prints, per kind of request and in total: requests, errors, throughput, p50/p95/p99 (locust's
percentiles: rounded to two significant digits above 100 ms). Then checks the server's own
log (no 5xx, no traceback) and that every operator upload the server acknowledged is in the
database, value by value. Exits 1 on any error.

The API rate limit is lifted for the run (API_RATE_LIMIT=1000000/m): every simulated client
comes from 127.0.0.1 and would share one budget of 120 a minute. No Redis: the redis client
library is not among the pinned packages, so the cache is each process's memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py \
        [--users 100] [--spawn-rate 20] [--seconds 60] [--port 8107] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATABASE = "bench_load"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SEARCH_WORDS = ["penduduk", "kesehatan", "sekolah", "jalan", "miskin", "padi", "imunisasi"]
KINDS = {
    "portal reads": ("portal home", "dataset page"),
    "searches": ("search words", "search facets"),
    "downloads": ("download csv", "download xlsx"),
    "API calls": (
        "ckan package_search",
        "ckan package_show",
        "api v1 datasets",
        "api v1 observations",
    ),
    "operators": (
        "login page",
        "login",
        "values home",
        "values template xlsx",
        "values template csv",
        "values upload page",
        "values upload",
    ),
}


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute(sql)


def _run(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "satudata"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"satudata {' '.join(args)} failed:\n{done.stderr[-3000:]}")


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satudata.settings")
    import django

    django.setup()


def _config(users: int, folder: Path) -> Path:
    """What the simulated users ask for: real slugs, facets and one slot per operator."""
    from satudata.accounts.models import Agency, User
    from satudata.accounts.roles import Role
    from satudata.demo.users import DEMO_PASSWORD
    from satudata.portal.selectors import open_datasets
    from satudata.schedule.periods import Period
    from satudata.schedule.services import period_is_open
    from satudata.values.spreadsheets import template_items

    opened = open_datasets()
    datasets = list(opened.values_list("slug", flat=True))
    agencies = sorted(set(opened.values_list("item__agency__slug", flat=True)))
    topics = sorted({t for t in opened.values_list("item__topic__slug", flat=True) if t})
    operators = {
        u.agency_id: u.username
        for u in User.objects.filter(role=Role.PRODUCER_OPERATOR, is_active=True)
    }
    slots = []
    for agency in Agency.objects.filter(pk__in=operators).order_by("code"):
        for year in range(2025, 2020, -1):
            period = Period.parse(str(year))
            if period_is_open(period) and template_items(agency, period):
                slots.append(
                    {
                        "name": f"{agency.code}/{period.key}",
                        "username": operators[agency.pk],
                        "agency": agency.pk,
                        "period": period.key,
                    }
                )
    wanted = max(1, users // 10 + 1)  # locust gives Operator 1 user in 10
    if len(slots) < wanted:
        print(f"warning: {len(slots)} operator slots for about {wanted} operators: some share")
    config = {
        "datasets": datasets,
        "agencies": agencies,
        "topics": topics or ["kesehatan"],
        "words": SEARCH_WORDS,
        "slots": slots,
        "password": DEMO_PASSWORD,
    }
    path = folder / "config.json"
    path.write_text(json.dumps(config))
    print(
        f"{len(datasets)} open datasets, {len(agencies)} agencies, {len(topics)} topics, "
        f"{len(slots)} operator slots (agency x open annual period)"
    )
    return path


def _wait_healthy(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting; see serve.log")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:  # not listening yet, or 503 while the worker is not seen yet
            time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz within 120 s")


def _percentile(times: Counter[float], share: float) -> float:
    """The response time below which `share` of the requests finished (locust's histogram)."""
    total = sum(times.values())
    seen = 0
    for ms in sorted(times):
        seen += times[ms]
        if seen >= share * total:
            return ms
    return 0.0


def _line(name: str, entries: list[dict], seconds: float) -> tuple[str, int]:
    times: Counter[float] = Counter()
    for entry in entries:
        times.update({float(ms): n for ms, n in entry["response_times"].items()})
    requests = sum(e["num_requests"] for e in entries)
    errors = sum(e["num_failures"] for e in entries)
    p50, p95, p99 = (_percentile(times, share) for share in (0.50, 0.95, 0.99))
    text = (
        f"  {name:22s} {requests:9d} {errors:7d} {requests / seconds:7.1f} "
        f"{p50:7.0f} {p95:7.0f} {p99:7.0f}"
    )
    return text, errors


def _report(stats_json: Path) -> int:
    """The table per request and kind, and the total; returns the number of errors."""
    entries = json.loads(stats_json.read_text())
    seconds = max(e["last_request_timestamp"] for e in entries) - min(
        e["start_time"] for e in entries
    )
    by_name: dict[str, list[dict]] = {}
    for entry in entries:
        by_name.setdefault(entry["name"], []).append(entry)
    print(f"\nover {seconds:.0f} s of load (ramp-up included):")
    print(f"  {'request':22s} {'requests':>9s} {'errors':>7s} {'req/s':>7s} "
          f"{'p50 ms':>7s} {'p95 ms':>7s} {'p99 ms':>7s}")  # fmt: skip
    for kind, names in KINDS.items():
        print(f"{kind}")
        for name in names:
            if name in by_name:
                print(_line(name, by_name[name], seconds)[0])
        kind_entries = [e for n in names for e in by_name.get(n, [])]
        print(_line(f"= all {kind}", kind_entries, seconds)[0])
    text, errors = _line("TOTAL", entries, seconds)
    print(text)
    return errors


def _server_log_errors(log: Path) -> list[str]:
    """Lines of gunicorn's access log with a 5xx status, and tracebacks."""
    bad = []
    for line in log.read_text(errors="replace").splitlines():
        if re.search(r'" 5\d\d ', line) or line.startswith("Traceback"):
            bad.append(line)
    return bad


def _check_acknowledged(acked_path: Path) -> tuple[int, int, list[str]]:
    """Every value of every acknowledged upload is stored: (slots, cells, mismatches)."""
    from satudata.values.models import Observation
    from satudata.values.numbers import parse_number

    acked = json.loads(acked_path.read_text()) if acked_path.exists() else {}
    cells = 0
    wrong = []
    for slot, upload in acked.items():
        expected = {}
        for key, text in upload["cells"].items():
            code, region, breakdown = key.split("|")
            expected[(code, region, breakdown)] = parse_number(text)
        stored = {
            (code, region, breakdown): value
            for code, region, breakdown, value in Observation.objects.filter(
                item__code__in={k[0] for k in expected}, period=upload["period"]
            ).values_list("item__code", "region_id", "breakdown_key", "value")
        }
        for key, value in expected.items():
            cells += 1
            if stored.get(key) is None or Decimal(stored[key]) != value:
                wrong.append(f"{slot} {key}: expected {value}, stored {stored.get(key)}")
    return len(acked), cells, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8107)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the database and the folder")
    parser.add_argument(
        "--reuse", type=Path, metavar="DIR", help="the folder a --keep run left: run again on it"
    )
    args = parser.parse_args()
    args.keep = args.keep or bool(args.reuse)

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (the production setup)")
    bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{DATABASE}"))
    folder = args.reuse or Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {
        **os.environ,
        "DATA_DIR": str(folder),
        "DATABASE_URL": bench_url,
        "EMBEDDED_WORKER": "false",
        "API_RATE_LIMIT": "1000000/m",  # one client address for every simulated user
        "LOG_FORMAT": "plain",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    processes: list[subprocess.Popen] = []
    if not args.reuse:
        _admin(url, f'DROP DATABASE IF EXISTS "{DATABASE}"')
        _admin(url, f'CREATE DATABASE "{DATABASE}"')
    try:
        if not args.reuse:
            started = time.perf_counter()
            _run(env, "migrate", "-v", "0")
            _run(env, "demo")
            print(f"demo database {DATABASE} built in {time.perf_counter() - started:.0f} s")
        _django(env)
        config = _config(args.users, folder)
        from django.db import connections

        connections.close_all()

        base = f"http://127.0.0.1:{args.port}"
        serve_log = (folder / "serve.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(BIN / "satudata"), "serve", "--no-worker", "--bind", f"127.0.0.1:{args.port}",
                 "--workers", str(args.workers), "--threads", str(args.threads)],
                env=env, cwd=ROOT, stdout=serve_log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )  # fmt: skip
        worker_log = (folder / "worker.log").open("w")
        processes.append(
            subprocess.Popen(
                [str(BIN / "satudata"), "worker"],
                env=env,
                cwd=ROOT,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        _wait_healthy(base, processes[0])
        print(
            f"serving on {base}: gunicorn {args.workers} workers x {args.threads} threads, "
            f"one `satudata worker`; API_RATE_LIMIT=1000000/m for the run"
        )
        acked = folder / "acked.json"
        print(f"locust: {args.users} users, {args.spawn_rate:g}/s, {args.seconds} s ...")
        load_env = {**env, "BENCH_LOAD_CONFIG": str(config), "BENCH_LOAD_ACKED": str(acked)}
        locust_log = (folder / "locust.log").open("w")
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
             "--host", base, "--json-file", str(folder / "locust"), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            env=load_env, cwd=ROOT, check=False, stdout=locust_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        locust_log.close()
        errors = _report(folder / "locust.json")
        if errors:
            print("\nlocust's report:\n" + (folder / "locust.log").read_text()[-6000:])
        bad = _server_log_errors(folder / "serve.log")
        print(f"\nserver log: {len(bad)} lines with a 5xx status or a traceback")
        for line in bad[:20]:
            print("  " + line)
        slots, cells, wrong = _check_acknowledged(acked)
        print(
            f"acknowledged uploads: the last of each of {slots} operators checked, "
            f"{cells} values: {len(wrong)} missing or different"
        )
        for line in wrong[:20]:
            print("  " + line)
        connections.close_all()
        return 1 if errors or bad or wrong else 0
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if args.keep:
            print(f"kept: {bench_url} and {folder}")
        else:
            _admin(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
