"""Benchmark: the CKAN Action API (package_show, package_search) and the native API v1.

Two parts, both on a demo database (`satudata demo`: ~250 public datasets), built in a
temporary DATA_DIR unless --data-dir names an existing one:

1. Server time through django.test.Client (no network): median and p95 of package_show
   (random public datasets), package_search (a few typical queries with facets) and the
   API v1 dataset list / observations, after a warm-up. Budget: median < 20 ms, p95 < 50 ms.
2. Concurrent load against the production server (`satudata serve`, gunicorn gthread,
   2 workers x 4 threads) on 127.0.0.1:PORT with `wrk` (16 connections, 20 s each):
   package_show, the dataset page /dataset/<slug>/ and the trivial /healthz; prints req/s,
   p99 and the ratio to /healthz. Target: > 300 req/s and p99 < 200 ms. The rate limit is
   lifted for the run (API_RATE_LIMIT=100000/m).

    .venv/bin/python bench/portal_api.py [--data-dir /tmp/dir] [--port 8103] [--no-load]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SATUDATA = ROOT / ".venv" / "bin" / "satudata"


def build_demo(data_dir: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    for command in (["migrate"], ["demo"]):
        subprocess.run(
            [str(SATUDATA), *command], env=env, check=True, capture_output=True, cwd=ROOT
        )
    print(f"demo database built in {time.perf_counter() - started:.1f} s")


def figures(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms   (n={len(samples)})"


def django_setup(data_dir: Path) -> None:
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ["API_RATE_LIMIT"] = "100000/m"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satudata.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def time_client(data_dir: Path, runs: int) -> dict[str, str]:
    from django.test import Client

    from satudata.portal.selectors import open_datasets, public_datasets

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(1)
    slugs = list(public_datasets().values_list("slug", flat=True))
    open_slugs = list(open_datasets().values_list("slug", flat=True))
    print(f"{len(slugs)} public datasets ({len(open_slugs)} open)")
    facets = '["organization","groups","res_format","periodicity"]'
    cases = {
        "package_show": lambda: f"/api/3/action/package_show?id={rng.choice(slugs)}",
        "package_search q": lambda: (
            "/api/3/action/package_search?q="
            + rng.choice(["penduduk", "kesehatan", "sekolah", "jalan", "miskin"])
            + f"&facet.field={facets}"
        ),
        "package_search fq+sort": lambda: (
            "/api/3/action/package_search?fq=organization:"
            + rng.choice(["dinkes", "dispendik", "bappeda"])
            + "&sort=metadata_modified desc&rows=20"
        ),
        "package_search all": lambda: f"/api/3/action/package_search?rows=10&facet.field={facets}",
        "api/v1 datasets": lambda: "/api/v1/datasets?limit=20",
        "api/v1 observations": lambda: f"/api/v1/datasets/{rng.choice(open_slugs)}/observations",
    }
    results = {}
    print("\nserver time through django.test.Client (budget: median < 20 ms, p95 < 50 ms)")
    for name, url in cases.items():
        try:
            for _ in range(5):
                client.get(url())
            samples = []
            for _ in range(runs):
                u = url()
                started = time.perf_counter()
                response = client.get(u)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{u} answered {response.status_code}")
        except Exception as exc:  # report and go on: one broken case must not hide the rest
            results[name] = f"FAILED: {type(exc).__name__}: {exc}"
        else:
            results[name] = figures(samples)
        print(f"  {name:24s} {results[name]}")
    return results


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """req/s, p99 ms and non-2xx count of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99_value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    p99 = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(non2xx.group(1)) if non2xx else 0


def load(
    data_dir: Path, port: int, seconds: int, connections: int, flush_seconds: float, only: str
) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk): load part skipped")
        return
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "API_RATE_LIMIT": "100000/m",
        "API_USAGE_FLUSH_SECONDS": str(flush_seconds),
    }
    server = subprocess.Popen(
        [str(SATUDATA), "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the server did not start")
        from satudata.portal.selectors import open_datasets

        slug = open_datasets().order_by("slug").values_list("slug", flat=True)[10]
        targets = {
            "/healthz (trivial)": f"{base}/healthz",
            "package_show": f"{base}/api/3/action/package_show?id={slug}",
            "dataset page": f"{base}/dataset/{slug}/",
            "api/v1 dataset": f"{base}/api/v1/datasets/{slug}",
        }
        if only:
            targets = {k: v for k, v in targets.items() if k.startswith(("/healthz", only))}
        print(
            f"\nload: wrk, {connections} connections, {seconds} s each, against satudata serve"
            f" (API calls written every {flush_seconds:g} s; target > 300 req/s, p99 < 200 ms)"
        )
        trivial = None
        for name, url in targets.items():
            urllib.request.urlopen(url, timeout=5).read()  # warm caches
            rps, p99, errors = wrk(url, seconds, connections)
            trivial = trivial or rps
            note = f"   {errors} non-2xx" if errors else ""
            print(
                f"  {name:20s} {rps:8.1f} req/s   p99 {p99:7.1f} ms   "
                f"{rps / trivial:5.2f} x trivial{note}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing demo DATA_DIR (else built)")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-load", action="store_true", help="skip the wrk part")
    parser.add_argument("--no-client", action="store_true", help="skip the test-client part")
    parser.add_argument("--only", default="", help="load only this target (and /healthz)")
    parser.add_argument(
        "--flush-seconds", type=float, default=5.0, help="API_USAGE_FLUSH_SECONDS of the server"
    )
    args = parser.parse_args()
    temporary = None
    data_dir = args.data_dir
    if data_dir is None:
        temporary = tempfile.mkdtemp(prefix="bench_portal_api_")
        data_dir = Path(temporary)
        build_demo(data_dir)
    django_setup(data_dir)
    try:
        if not args.no_client:
            time_client(data_dir, args.runs)
        if not args.no_load:
            load(
                data_dir,
                args.port,
                args.seconds,
                args.connections,
                args.flush_seconds,
                args.only,
            )
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
