"""Benchmark: the yearly dissemination report (SOP step 7) as PDF, at regency scale.

Builds the scale data with `bench/scale.py` (60 agencies, 3,000 items, 10 years of values),
adds a year of step-3 to step-7 records the generator does not make (open datasets released,
daily portal use of 400 datasets, 600 publications with their posts and step clocks, 200
access requests), then, in a fresh child process so the figures are its own:

- gathers last year's figures (`reports.gather`),
- builds the document and draws the charts (vl-convert),
- compiles the A4 PDF (typst),

and prints the wall time of each phase, the PDF's pages and size, and the child's peak RSS.
Budget: PDF (gather + charts + compile) under 10 s, peak RSS under 500 MB.

    .venv/bin/python bench/report_pdf.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/report_pdf.py

With PostgreSQL it creates the database `bench_report` on that server and drops it at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 10.0
BUDGET_MB = 500.0


def _extra_records(year: int, seed: int = 7) -> dict[str, int]:
    """A year of portal, publication and access records for the scale agencies (bulk)."""
    from django.utils import timezone

    from satudata.access.models import AccessRequest
    from satudata.accounts.models import Agency, User
    from satudata.accounts.roles import Role
    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem
    from satudata.portal.models import Dataset, DatasetRelease, DatasetUsage
    from satudata.publications.models import Channel, Post, Publication, PublicationStep

    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, 8, tzinfo=tz)
    agencies = list(Agency.objects.order_by("pk"))
    items = list(
        DataItem.objects.filter(accessibility=Accessibility.OPEN)
        .order_by("pk")
        .values("pk", "code", "agency_id", "topic_id", "periodicity", "level")
    )
    datasets = Dataset.objects.bulk_create(
        [
            Dataset(
                code=i["code"],
                slug=f"ds-{n}",
                item_id=i["pk"],
                listed_at=start,
                modified_at=start,
                agency_id=i["agency_id"],
                topic_id=i["topic_id"],
                periodicity=i["periodicity"],
                level=i["level"],
                accessibility=Accessibility.OPEN,
                released_years=str(year - 1),
            )
            for n, i in enumerate(items)
        ],
        batch_size=1000,
    )
    DatasetRelease.objects.bulk_create(
        [
            DatasetRelease(
                dataset=d,
                period=str(year - 1),
                year=year - 1,
                release_at=start + dt.timedelta(days=rng.randrange(0, 360)),
            )
            for d in datasets
        ],
        batch_size=2000,
    )
    used = datasets[:400]
    usage = []
    for day in range(365):
        when = dt.date(year, 1, 1) + dt.timedelta(days=day)
        for d in used:
            usage.append(
                DatasetUsage(
                    dataset=d,
                    day=when,
                    views=rng.randrange(0, 40),
                    downloads=rng.randrange(0, 8),
                    api_calls=rng.randrange(0, 20),
                )
            )
    DatasetUsage.objects.bulk_create(usage, batch_size=5000)

    heads, operators, channels = {}, {}, {}
    for a in agencies:
        heads[a.pk] = User.objects.create(username=f"head{a.pk}", role=Role.PRODUCER_HEAD, agency=a)
        operators[a.pk] = User.objects.create(
            username=f"op{a.pk}", role=Role.PRODUCER_OPERATOR, agency=a
        )
        channels[a.pk] = Channel.objects.create(agency=a, kind="portal", name="Portal")
    publications, posts, steps = [], [], []
    for n in range(600):
        a = agencies[n % len(agencies)]
        at = start + dt.timedelta(days=rng.randrange(0, 350), hours=rng.randrange(0, 8))
        publications.append(
            Publication(
                agency=a,
                state="published",
                instructed_by=heads[a.pk],
                instructed_at=at,
                assignee=operators[a.pk],
                topic=f"Rilis data {n}",
                title=f"Rilis data statistik sektoral {n}",
                published_at=at + dt.timedelta(days=6),
                slug=f"rilis-{n}",
            )
        )
    publications = Publication.objects.bulk_create(publications, batch_size=1000)
    for p in publications:
        at = p.instructed_at
        for number, (offset, length) in {4: (0, 5), 5: (5, 1), 6: (6, 0)}.items():
            begun = at + dt.timedelta(days=offset)
            steps.append(
                PublicationStep(
                    publication=p,
                    number=number,
                    started_at=begun,
                    due_at=begun + dt.timedelta(days=length or 0, hours=0 if length else 1),
                    ended_at=begun + dt.timedelta(days=length, hours=rng.randrange(-3, 30)),
                    responsible=p.assignee,
                )
            )
        posts.append(
            Post(
                publication=p,
                channel=channels[p.agency_id],
                state="posted",
                url=f"https://satudata.example/publikasi/{p.slug}/",
                posted_at=p.published_at,
            )
        )
    PublicationStep.objects.bulk_create(steps, batch_size=2000)
    Post.objects.bulk_create(posts, batch_size=2000)
    requests = [
        AccessRequest(
            dataset=datasets[n % len(datasets)],
            name=f"Peminta {n}",
            institution="Universitas Jember",
            purpose="Penelitian",
            email=f"p{n}@example.ac.id",
            state=rng.choice(["submitted", "approved", "refused"]),
            created_at=start + dt.timedelta(days=rng.randrange(0, 360)),
        )
        for n in range(200)
    ]
    for r in requests:
        if r.state != "submitted":
            r.decided_at = r.created_at + dt.timedelta(days=rng.randrange(1, 6))
    AccessRequest.objects.bulk_create(requests, batch_size=1000)
    return {
        "datasets": len(datasets),
        "usage_rows": len(usage),
        "publications": len(publications),
        "access_requests": len(requests),
    }


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(year: int) -> None:
    """In the child: gather, chart and compile the PDF; print times and peak RSS."""
    import django

    django.setup()
    from satudata.reports.charts import to_svg
    from satudata.reports.document import build_document
    from satudata.reports.gather import gather
    from satudata.reports.render_pdf import render_pdf
    from satudata.schedule.periods import Period

    t0 = time.perf_counter()
    data = gather(period=Period.parse(str(year)))
    t1 = time.perf_counter()
    rss_gather = _rss_mb()
    document = build_document(data, "Narasi uji.")
    svgs = {key: to_svg(spec) for key, spec in document["charts"].items()}
    t2 = time.perf_counter()
    rss_charts = _rss_mb()
    pdf = render_pdf(document, svgs=svgs)
    t3 = time.perf_counter()
    import re

    pages = int(re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf).group(1))
    rss_mb = _rss_mb()
    total = t3 - t0
    print(f"gather figures      {t1 - t0:6.2f} s  ({len(data['agencies'])} agencies)")
    print(f"document + charts   {t2 - t1:6.2f} s  ({len(svgs)} charts)")
    print(f"typst compile       {t3 - t2:6.2f} s  ({pages} pages, {len(pdf) / 1024:,.0f} kB)")
    print(f"yearly report PDF   {total:6.2f} s  (budget {BUDGET_S:.0f} s)")
    print(
        f"peak RSS            {rss_mb:6.0f} MB (budget {BUDGET_MB:.0f} MB; "
        f"after gathering {rss_gather:.0f}, after charts {rss_charts:.0f})"
    )
    print("within budget" if total < BUDGET_S and rss_mb < BUDGET_MB else "OVER BUDGET")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    if args.measure:
        measure(args.measure)
        return 0

    from bench.fill_check import _analyze, configure, teardown
    from bench.scale import build

    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    admin_url = configure(tmp, "bench_report")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections, transaction
        from django.utils import timezone

        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        built = build(agencies=60, items=3000, years=10)
        year = timezone.localdate().year - 1
        with transaction.atomic():
            extra = _extra_records(year)
        _analyze()
        print(
            f"database: {connection.vendor}; built in {time.perf_counter() - started:.0f} s: "
            f"{built['observations']:,} observations, {built['fill_states']:,} fill states, "
            + ", ".join(f"{v:,} {k}" for k, v in extra.items())
        )
        connections.close_all()
        subprocess.run(
            [sys.executable, __file__, "--measure", str(year)], check=True, env=os.environ.copy()
        )
    finally:
        teardown(admin_url, tmp, "bench_report")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
