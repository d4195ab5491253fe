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
comes from 127.0.0.1 and would share one budget of 120 a minute. With --redis URL the cache,
sessions and rate limits are in that Redis (the scale-out setup), else in each process's memory.

--restart-db-at N restarts PostgreSQL N seconds into the load (`pg_ctl restart -m fast`: every
connection is cut, what was in flight is aborted). That needs a server of its own: with
--own-postgres the script makes one (initdb in a temporary folder, a free port, run as the
postgres user when started as root) and never touches the shared one. It then also checks: the
server and the worker were not restarted (same processes), every request that failed did so
around the restart with a 503 (the clear "nothing was saved" answer), none failed afterwards,
/healthz answers 200 at the end, and for every operator the database holds the last upload
acknowledged to him, or in whole one he sent later whose answer was cut off: never a part.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/load.py \
        [--users 100] [--spawn-rate 20] [--seconds 60] [--port 8107] [--redis URL] [--keep]
    .venv/bin/python bench/load.py --own-postgres --restart-db-at 30
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
import threading
import time
import urllib.request
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._own_postgres import OwnPostgres  # the repository's root is on the path (above)

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


DATABASE_DOWN = re.compile(r"OperationalError|InterfaceError|AdminShutdown")
# After the restart is over, requests still failing this long after it would be a failure to
# recover (gunicorn's threads each find their broken connection on their next request).
RECOVERY_GRACE_SECONDS = 10


def _server_log_errors(log: Path, *, outage: bool = False) -> list[str]:
    """Lines of gunicorn's access log with a 5xx status, and tracebacks.

    With `outage` (the database was restarted on purpose) 503 answers and tracebacks of a lost
    database connection are expected and left out.
    """
    bad = []
    lines = log.read_text(errors="replace").splitlines()
    for number, line in enumerate(lines):
        status = re.search(r'" (5\d\d) ', line)
        if status and not (outage and status.group(1) == "503"):
            bad.append(line)
        if line.startswith("Traceback") and not _chained(lines, number):
            last = _chain_end(lines, number)
            if not (outage and DATABASE_DOWN.search(last)):
                bad.append(f"{line} ... {last}")
    return bad


CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


def _chained(lines: list[str], number: int) -> bool:
    """Whether the traceback starting here continues an earlier one (a chained exception)."""
    return number >= 2 and lines[number - 2].startswith(CHAINED)


def _chain_end(lines: list[str], number: int) -> str:
    """The exception line that ends the chain of tracebacks starting at line `number`."""
    while True:
        end = number + 1
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1
        last = lines[end] if end < len(lines) else ""
        # "Error: message", a blank line, "During handling...", a blank line, "Traceback..."
        follows = end + 4 < len(lines) and lines[end + 2].startswith(CHAINED)
        if not follows or not lines[end + 4].startswith("Traceback"):
            return last
        number = end + 4


def _failures_outside(
    failures: list[dict], window: tuple[float, float]
) -> tuple[int, int, list[dict]]:
    """(503s of requests in flight during the restart, downloads cut off then, the others).

    A request is in flight when it started before the restart ended and answered after it
    began (slow requests started long before). A streamed download (CSV, JSON) whose headers
    were sent cannot turn into a 503: it is cut off, and the client sees it incomplete.
    """
    began, ended = window
    refused, cut, other = 0, 0, []
    for failure in failures:
        answered = failure["at"] + failure["seconds"]
        during = failure["at"] <= ended + RECOVERY_GRACE_SECONDS and answered >= began - 1
        if during and failure["status"] == 503:
            refused += 1
        elif during and "Incomplete" in failure["error"]:
            cut += 1
        else:
            other.append(failure)
    return refused, cut, other


def _differences(upload: dict) -> list[str]:
    """The cells of an upload the database does not hold as sent."""
    from satudata.values.models import Observation
    from satudata.values.numbers import parse_number

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
    return [
        f"{key}: expected {value}, stored {stored.get(key)}"
        for key, value in expected.items()
        if stored.get(key) is None or Decimal(stored[key]) != value
    ]


def _check_acknowledged(acked_path: Path) -> tuple[int, int, int, list[str]]:
    """Every value of every acknowledged upload is stored: (slots, cells, saved whole, wrong).

    Where an operator's last acknowledged upload is not what the database holds, one upload he
    sent afterwards whose answer was cut off (unacked.json) must be there in whole instead.
    """
    acked = json.loads(acked_path.read_text()) if acked_path.exists() else {}
    unacked_path = acked_path.with_name("unacked.json")
    unacked = json.loads(unacked_path.read_text()) if unacked_path.exists() else {}
    cells = whole = 0
    wrong = []
    for slot, upload in acked.items():
        cells += len(upload["cells"])
        differences = _differences(upload)
        if not differences:
            continue
        if any(not _differences(later) for later in unacked.get(slot, [])):
            whole += 1  # saved whole, though its answer never reached the operator
            continue
        wrong.extend(f"{slot} {line}" for line in differences)
    return len(acked), cells, whole, wrong


def _restart_checks(
    folder: Path,
    base: str,
    window: list[float],
    processes: list[subprocess.Popen],
    *,
    started_at: float,
) -> list[str]:
    """After a restart of PostgreSQL under load: what went wrong (empty when all held)."""
    began, ended = window
    print(
        f"\nPostgreSQL restarted {began - started_at:.1f} s into the load, "
        f"down {ended - began:.1f} s (pg_ctl restart -m fast)"
    )
    failures = json.loads((folder / "failures.json").read_text())
    refused, cut, other = _failures_outside(failures, (began, ended))
    print(
        f"failed requests: {refused} in flight during the restart (or the "
        f"{RECOVERY_GRACE_SECONDS} s after it) answered 503, {cut} streamed downloads cut off "
        f"then; {len(other)} other failures"
    )
    for failure in other[:20]:
        print(f"  +{failure['at'] - started_at:.1f} s {failure['name']}: {failure['error']}")
    problems = [f"{len(other)} failures besides the 503s of the restart"] if other else []
    last = max((f["at"] + f["seconds"] for f in failures), default=None)
    if last is not None:
        print(f"last failed request answered {last - ended:+.1f} s from the end of the restart")
    for name, process in zip(("server", "worker"), processes, strict=True):
        if process.poll() is not None:
            problems.append(f"the {name} exited ({process.returncode}): it did not recover")
    worker_log = (folder / "worker.log").read_text(errors="replace")
    print(
        "worker: "
        + ("waited for the database and went on" if "database back" in worker_log else
           "never noticed the restart")
    )  # fmt: skip
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            print(f"/healthz after the load: {response.status}")
    except OSError as error:
        problems.append(f"/healthz after the load: {error}")
    for problem in problems:
        print("PROBLEM: " + problem)
    return problems


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
    parser.add_argument("--redis", metavar="URL", help="cache, sessions and limits in Redis")
    parser.add_argument(
        "--own-postgres", action="store_true", help="a PostgreSQL server of the run's own"
    )
    parser.add_argument(
        "--restart-db-at", type=float, metavar="S", help="restart PostgreSQL S s into the load"
    )
    args = parser.parse_args()
    args.keep = args.keep or bool(args.reuse)
    if args.restart_db_at is not None and not args.own_postgres:
        raise SystemExit("--restart-db-at needs --own-postgres: never restart a shared server")
    if args.own_postgres and args.reuse:
        raise SystemExit("--own-postgres makes a new server: it cannot --reuse")

    own = OwnPostgres().start() if args.own_postgres else None
    url = own.url if own else os.environ.get("DATABASE_URL", DEFAULT_URL)
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
    if args.redis:
        env["REDIS_URL"] = args.redis
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
            f"one `satudata worker`; API_RATE_LIMIT=1000000/m for the run; "
            f"cache {'Redis ' + args.redis if args.redis else 'in each process'}"
        )
        window: list[float] = []
        if args.restart_db_at is not None:
            timer = threading.Timer(args.restart_db_at, lambda: window.extend(own.restart()))
            timer.daemon = True
            timer.start()
        acked = folder / "acked.json"
        print(f"locust: {args.users} users, {args.spawn_rate:g}/s, {args.seconds} s ...")
        load_env = {**env, "BENCH_LOAD_CONFIG": str(config), "BENCH_LOAD_ACKED": str(acked)}
        locust_log = (folder / "locust.log").open("w")
        load_started = time.time()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s",
             "--host", base, "--json-file", str(folder / "locust"), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            env=load_env, cwd=ROOT, check=False, stdout=locust_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        locust_log.close()
        with open("/proc/loadavg") as loadavg:  # other work on the machine skews the figures
            print(f"load average at the end: {loadavg.read().split()[0]} (2 cores)")
        errors = _report(folder / "locust.json")
        problems = []
        if window:
            problems = _restart_checks(folder, base, window, processes, started_at=load_started)
            errors = 0  # the failures were judged by their time and status just above
        elif args.restart_db_at is not None:
            problems.append("the restart did not happen within the run")
        if errors:
            print("\nlocust's report:\n" + (folder / "locust.log").read_text()[-6000:])
        bad = _server_log_errors(folder / "serve.log", outage=bool(window))
        print(f"\nserver log: {len(bad)} lines with a 5xx status or a traceback")
        for line in bad[:20]:
            print("  " + line)
        slots, cells, whole, wrong = _check_acknowledged(acked)
        instead = f"; {whole} held instead a later upload, whole, whose answer was cut"
        print(
            f"acknowledged uploads: the last of each of {slots} operators checked, "
            f"{cells} values: {len(wrong)} missing or different" + (instead if whole else "")
        )
        for line in wrong[:20]:
            print("  " + line)
        connections.close_all()
        return 1 if errors or bad or wrong or problems else 0
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if own is not None:
            own.stop()
            shutil.rmtree(folder, ignore_errors=True)
        elif args.keep:
            print(f"kept: {bench_url} and {folder}")
        else:
            _admin(url, f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
