"""Benchmark: access requests for limited data, and the granted download at scale.

Builds a fresh database with one limited item by village (248 desa/kelurahan) and a breakdown
wide enough for about `--rows` observations (1 million by default, 20 annual periods, every
period complete), lists it on the portal, then times through django.test.Client:

- the public request form (GET) and a submission with a PDF letter (POST, mails to memory);
- the reviewers' list with the submitted requests, a request's page, the approval;
- the granted page, and the CSV download of every value: time to the first chunk, total
  time, rows, and the growth of the process's peak memory (ru_maxrss) while streaming;
- the XLSX download of the same values (written whole, in constant memory, to a temp file).

    .venv/bin/python bench/access_requests.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/access_requests.py

On PostgreSQL the script creates the database `bench_access` on that server and drops it at
the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_access"
YEARS = 20
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(sql)


def _configure(tmp: Path) -> str | None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ["EMAIL_URL"] = "memorymail://"
    # No collectstatic here: the manifest storage would refuse every {% static %}.
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        _pg(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        _pg(admin, f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return None


def _build(rows: int) -> dict:
    """One limited village-level series with ~rows values, listed; a walidata to review."""
    from django.db import transaction
    from django.utils import timezone

    from satudata.accounts.services import user_create
    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem, DataListDecree, Region
    from satudata.catalog.services import regions_load
    from satudata.core.actors import SystemActor
    from satudata.portal.services import datasets_publish
    from satudata.schedule.models import FillState

    sys.path.insert(0, str(ROOT / "bench"))
    from scale import _agencies, _Writer

    system = SystemActor("bench")
    regions_load(actor=system, root="35.09")
    villages = list(
        Region.objects.filter(level="village").order_by("code").values_list("code", flat=True)
    )
    groups = max(1, rows // (YEARS * len(villages)))
    with transaction.atomic():
        agency = _agencies(2)[0]
        decree = DataListDecree.objects.create(
            number="BENCH/2026", title="Daftar data uji", decree_date=dt.date(2026, 1, 2), year=2026
        )
        item = DataItem.objects.create(
            decree=decree,
            code="TB-00001",
            name="Data terbatas uji menurut desa dan kelompok",
            agency=agency,
            unit="orang",
            periodicity="annual",
            level="village",
            accessibility=Accessibility.LIMITED,
            accessibility_reason="UU 14/2008 pasal 17 huruf h",
        )
        writer = _Writer()
        now = timezone.now()
        stamp = writer.stamp(now - dt.timedelta(days=30))
        cells = len(villages) * groups
        for year in range(2026 - YEARS, 2026):
            for village in villages:
                for g in range(groups):
                    value = f"{(year * 7 + g * 13) % 9973}.5"
                    writer.add(
                        (
                            *(item.pk, str(year), village, f"kelompok=k{g:03d}", value),
                            *(writer.final, "", "", stamp),
                        )
                    )
            FillState.objects.create(
                item=item,
                period=str(year),
                year=year,
                due_date=dt.date(year + 1, 3, 31),
                required_cells=cells,
                filled_cells=cells,
                completed_at=now,
            )
        writer.flush()
    dataset = datasets_publish(actor=system, items=[item]).datasets[0]
    walidata = user_create(
        actor=system,
        username="walidata",
        password="bench-pass-2026",
        role="walidata",
        email="walidata@example.go.id",
    )
    return {"dataset": dataset, "walidata": walidata, "observations": writer.count}


def _times(fn, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _report(label: str, times: tuple[float, float]) -> None:
    print(f"{label:<20} median {times[0]:.1f} ms  p95 {times[1]:.1f} ms")


def _run(rows: int) -> None:
    import django

    django.setup()
    from django.core import mail
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    setup_test_environment()  # the memory mail outbox
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    world = _build(rows)
    print(f"built {world['observations']:,} observations in {time.perf_counter() - start:.1f} s")
    slug = world["dataset"].slug
    public = Client()
    form_url = reverse("access-request-create", args=[slug])

    def get_form() -> None:
        assert public.get(form_url).status_code == 200

    def submit() -> None:
        data = {
            "name": "Peneliti Uji",
            "institution": "Universitas Jember",
            "email": "peneliti@example.org",
            "purpose": "Penelitian tentang sebaran penduduk menurut desa di Jember.",
            "letter": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
        }
        assert public.post(form_url, data).status_code == 302

    _report("request form GET", _times(get_form, 50))
    with override_settings(ACCESS_REQUEST_RATE="100000/h"):
        _report("request submit POST", _times(submit, 20))

    reviewer = Client()
    reviewer.force_login(world["walidata"])
    list_url = reverse("access-request-list")
    from satudata.access.models import AccessRequest

    first = AccessRequest.objects.order_by("pk").first()
    detail_url = reverse("access-request-detail", args=[first.pk])
    _report("review list (20)", _times(lambda: reviewer.get(list_url), 30))
    _report("review detail", _times(lambda: reviewer.get(detail_url), 30))
    mail.outbox.clear()
    expires = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    started = time.perf_counter()
    response = reviewer.post(
        reverse("access-request-decide", args=[first.pk]),
        {"decision": "approve", "expires_on": expires},
    )
    assert response.status_code == 302, response.status_code
    print(f"approve              {(time.perf_counter() - started) * 1000:.1f} ms")
    token = re.search(r"/access/([\w-]+)/", mail.outbox[-1].body).group(1)
    grant_url = reverse("access-grant-download", args=[token])
    _report("granted page", _times(lambda: public.get(grant_url), 50))

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = public.get(reverse("access-grant-file", args=[token, "csv"]))
    chunks = iter(response.streaming_content)
    first_chunk = next(chunks)
    first_ms = (time.perf_counter() - started) * 1000
    size, lines = len(first_chunk), first_chunk.count(b"\n")
    for chunk in chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"CSV download         first chunk {first_ms:.0f} ms, {lines - 1:,} rows, "
        f"{size / 1e6:.1f} MB in {total:.1f} s ({(lines - 1) / total:,.0f} rows/s), "
        f"peak memory grew {grown:.0f} MB"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = public.get(reverse("access-grant-file", args=[token, "xlsx"]))
    if response.status_code == 302:
        print("XLSX download        not offered: more values than XLSX_MAX_VALUES (CSV only)")
    else:
        size = sum(len(chunk) for chunk in response.streaming_content)
        total = time.perf_counter() - started
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        print(
            f"XLSX download        {size / 1e6:.1f} MB in {total:.1f} s, "
            f"peak memory grew {grown:.0f} MB"
        )
    from satudata.access.models import AccessDownload

    print(f"downloads recorded   {AccessDownload.objects.count()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="satudata-access-"))
    admin = _configure(tmp)
    try:
        _run(args.rows)
    finally:
        from django.db import connections

        connections.close_all()
        if admin:
            _pg(admin, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
