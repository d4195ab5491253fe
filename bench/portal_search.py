"""Benchmark: dataset search (portal.search.dataset_search and the search page) at scale.

Builds N generated datasets (default 3,000; varied Indonesian titles, definitions and tags;
80% open, 15% limited, 5% closed items; a few withdrawn and embargoed; 1-4 released years
per open dataset; downloads for a third), indexes them, then times 200 varied queries
(words, stemmed forms, facet filters, every sort, deeper pages) twice: through
dataset_search, and through GET /dataset/ with the test client (server time, whole page).
Targets (issue 4): 3,000 datasets median < 20 ms and p95 < 50 ms; 100,000 on PostgreSQL
p95 < 150 ms.

    .venv/bin/python bench/portal_search.py                      # SQLite, temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/portal_search.py
    DATABASE_URL=... .venv/bin/python bench/portal_search.py --datasets 100000

On PostgreSQL it creates the database `bench_search` on that server and drops it at the end.
Rows are written with bulk_create (a benchmark fixture: no services, no audit rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "bench_search"
QUERIES = 200

MEASURES = ("Jumlah", "Persentase", "Rasio", "Angka", "Indeks", "Luas", "Produksi", "Rata-rata")
SUBJECTS = (
    "Penduduk Miskin",
    "Siswa Sekolah Dasar",
    "Guru Pendidikan Menengah",
    "Puskesmas",
    "Kasus Demam Berdarah",
    "Balita Gizi Buruk",
    "Ibu Hamil",
    "Kelahiran Bayi",
    "Kematian Ibu",
    "Tenaga Kesehatan",
    "Panen Padi",
    "Tanaman Jagung",
    "Kedelai",
    "Ternak Sapi",
    "Perikanan Tangkap",
    "Industri Kecil",
    "Pasar Tradisional",
    "Wisatawan Nusantara",
    "Hotel dan Penginapan",
    "Jalan Kabupaten",
    "Jembatan",
    "Rumah Tidak Layak Huni",
    "Air Bersih",
    "Sanitasi Layak",
    "Pencari Kerja",
    "Pengangguran Terbuka",
    "Angkatan Kerja",
    "Penerima Bantuan Sosial",
    "Penyandang Disabilitas",
    "Kendaraan Bermotor",
    "Kecelakaan Lalu Lintas",
    "Tindak Kriminal",
    "Bencana Alam",
    "Kebakaran",
    "Pendapatan Asli Daerah",
    "Belanja Daerah",
    "Koperasi Aktif",
    "UMKM",
    "Perpustakaan Desa",
    "Sarana Ibadah",
    "Lapangan Olahraga",
    "Posyandu",
    "Imunisasi Dasar",
    "Akta Kelahiran",
    "Kartu Tanda Penduduk Elektronik",
    "Pernikahan",
    "Perceraian",
    "Pelayanan Perizinan",
    "Aparatur Sipil Negara",
    "Pelanggan Listrik",
    "Menara Telekomunikasi",
    "Hutan Rakyat",
    "Lahan Kritis",
    "Curah Hujan",
    "Irigasi Teknis",
    "Pupuk Bersubsidi",
    "Kelompok Tani",
    "Nelayan",
    "Pedagang Kaki Lima",
    "Penduduk Lanjut Usia",
)
BY = (
    "Kecamatan",
    "Jenis Kelamin",
    "Kelompok Umur",
    "Desa/Kelurahan",
    "Jenjang Pendidikan",
    "Status Kepemilikan",
    "Bulan",
    "Jenis Layanan",
)
TOPICS = (
    "Pendidikan",
    "Kesehatan",
    "Pertanian",
    "Perikanan",
    "Sosial",
    "Ketenagakerjaan",
    "Kependudukan",
    "Pariwisata",
    "Infrastruktur",
    "Keuangan Daerah",
    "Lingkungan Hidup",
    "Pemerintahan",
)
UNITS = ("orang", "unit", "persen", "ton", "hektare", "rupiah", "kasus", "rumah tangga")
# What people type: base words, derived forms Sastrawi reduces, two-word phrases, rare words.
WORDS = (
    "penduduk",
    "kependudukan",
    "miskin",
    "kemiskinan",
    "pendidikan",
    "didik",
    "siswa",
    "guru",
    "kesehatan",
    "sehat",
    "puskesmas",
    "pertanian",
    "tani",
    "padi",
    "jagung",
    "kedelai",
    "perikanan",
    "ikan",
    "nelayan",
    "wisata",
    "pariwisata",
    "jalan",
    "jembatan",
    "rumah",
    "air bersih",
    "pengangguran",
    "kerja",
    "bantuan sosial",
    "disabilitas",
    "kendaraan",
    "kecelakaan",
    "bencana",
    "pendapatan daerah",
    "belanja",
    "koperasi",
    "umkm",
    "perpustakaan",
    "posyandu",
    "imunisasi",
    "akta kelahiran",
    "ktp",
    "pernikahan",
    "pelayanan",
    "layanan",
    "asn",
    "listrik",
    "hutan",
    "hujan",
    "irigasi",
    "pupuk",
    "lansia",
    "kecamatan",
    "jenis kelamin",
    "persentase",
    "rasio",
    "indeks",
    "jumlah penduduk miskin",
    "angka kematian ibu",
    "demam berdarah",
    "gizi buruk",
    "tidak ada kata ini",
)


def _pg(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


def configure(tmp: Path, reuse: bool = False) -> str | None:
    """Point the settings at a fresh database (or, with `reuse`, the kept PostgreSQL one);
    return the admin URL when it is PostgreSQL."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    # No collectstatic here: plain static URLs, as in the tests.
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        if not reuse:
            _pg(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}"')
            _pg(admin, f'CREATE DATABASE "{DB_NAME}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{DB_NAME}"))
        return admin
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'search.sqlite3'}"
    return None


def build(n: int, seed: int = 1) -> dict[str, Any]:
    """N datasets (and their items, releases, usage) by bulk_create, then the index."""
    from django.db import transaction
    from django.utils import timezone

    from satudata.catalog.choices import Accessibility
    from satudata.catalog.models import DataItem, DataListDecree, Topic
    from satudata.portal.choices import DatasetState
    from satudata.portal.models import Dataset, DatasetRelease, DatasetUsage

    sys.path.insert(0, str(ROOT))
    from bench.scale import _agencies

    rng = random.Random(seed)
    now = timezone.now()
    shapes = [("annual", "district")] * 6 + [("annual", "regency")] * 2
    shapes += [("quarterly", "regency"), ("monthly", "regency"), ("semester", "district")]
    shapes += [("annual", "village")]
    classes = [Accessibility.OPEN] * 16 + [Accessibility.LIMITED] * 3 + [Accessibility.CLOSED]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        agencies = _agencies(60)
        topics = Topic.objects.bulk_create(
            [Topic(name=t, slug=t.lower().replace(" ", "-")) for t in TOPICS]
        )
        decree = DataListDecree.objects.create(
            number="188.45/CARI/2026",
            title="Daftar Data (uji cari)",
            decree_date=dt.date(2026, 1, 15),
            year=2026,
        )
        items = []
        for i in range(n):
            measure, subject, by = rng.choice(MEASURES), rng.choice(SUBJECTS), rng.choice(BY)
            periodicity, level = rng.choice(shapes)
            accessibility = rng.choice(classes)
            topic = topics[i % len(topics)]
            items.append(
                DataItem(
                    decree=decree,
                    code=f"CR-{i + 1:06d}",
                    name=f"{measure} {subject} menurut {by} ({i + 1})",
                    definition=(
                        f"{measure} {subject.lower()} yang tercatat di wilayah kabupaten "
                        f"menurut {by.lower()}, bidang {topic.name.lower()}."
                    ),
                    tags=f"{topic.name.lower()}, {subject.split()[0].lower()}",
                    agency=agencies[i % len(agencies)],
                    topic=topic,
                    unit=rng.choice(UNITS),
                    periodicity=periodicity,
                    level=level,
                    accessibility=accessibility,
                    accessibility_reason=""
                    if accessibility == Accessibility.OPEN
                    else "UU 14/2008 pasal 17 huruf h",
                )
            )
        items = DataItem.objects.bulk_create(items, batch_size=2000)
        datasets = []
        for item in items:
            if item.accessibility == Accessibility.CLOSED:
                continue
            draw = rng.random()
            listed = now - dt.timedelta(days=rng.randint(1, 1000), minutes=rng.randint(0, 1440))
            if draw < 0.01:
                listed = now + dt.timedelta(days=2)  # under embargo
            datasets.append(
                Dataset(
                    code=item.code,
                    slug=item.code.lower(),
                    item=item,
                    state=DatasetState.WITHDRAWN if 0.01 <= draw < 0.03 else DatasetState.PUBLISHED,
                    listed_at=listed,
                    modified_at=listed + dt.timedelta(days=rng.randint(0, 200)),
                )
            )
            datasets[-1].mirror(item)  # the copy of the item's facets the services keep
        datasets = Dataset.objects.bulk_create(datasets, batch_size=2000)
        timings["rows"] = time.perf_counter() - started
        by_item = {i.pk: i for i in items}
        releases, usage = [], []
        for ds in datasets:
            if by_item[ds.item_id].accessibility == Accessibility.OPEN:
                for year in rng.sample(range(2019, 2026), rng.randint(1, 4)):
                    # Released when listed (the embargoed ones in two days).
                    releases.append(
                        DatasetRelease(
                            dataset=ds, period=str(year), year=year, release_at=ds.listed_at
                        )
                    )
            if rng.random() < 0.33:
                usage.append(
                    DatasetUsage(dataset=ds, day=now.date(), downloads=rng.randint(1, 500), views=1)
                )
            if len(releases) > 20_000:
                DatasetRelease.objects.bulk_create(releases, batch_size=5000)
                releases = []
        DatasetRelease.objects.bulk_create(releases, batch_size=5000)
        DatasetUsage.objects.bulk_create(usage, batch_size=5000)
        # The year summary the services keep (the search's year facet reads it).
        from satudata.portal.services import dataset_years_refresh

        dataset_years_refresh(Dataset.objects.only("pk"))
        timings["releases"] = time.perf_counter() - started - timings["rows"]
        from satudata.portal.search import search_reindex

        mark = time.perf_counter()
        indexed = search_reindex()
        timings["index"] = time.perf_counter() - mark
    _analyze()
    return {
        "datasets": len(datasets),
        "indexed": indexed,
        "topics": [t.slug for t in topics],
        "agencies": [a.slug for a in agencies],
        "seconds": time.perf_counter() - started,
        **{f"{k}_s": v for k, v in timings.items()},
    }


def _kept() -> dict[str, Any]:
    """What `build` returned, read back from a kept database."""
    from satudata.accounts.models import Agency
    from satudata.catalog.models import Topic
    from satudata.portal.models import Dataset

    return {
        "datasets": Dataset.objects.count(),
        "indexed": Dataset.objects.count(),
        "topics": list(Topic.objects.order_by("pk").values_list("slug", flat=True)),
        "agencies": list(Agency.objects.order_by("pk").values_list("slug", flat=True)),
        "seconds": 0.0,
        "rows_s": 0.0,
        "releases_s": 0.0,
        "index_s": 0.0,
    }


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def queries(built: dict[str, Any], seed: int = 2) -> list[dict[str, Any]]:
    """200 varied searches, as page parameters (lists for the facets)."""
    from satudata.portal.search import SORTS

    rng = random.Random(seed)
    out = []
    for n in range(QUERIES):
        params: dict[str, Any] = {}
        kind = n % 5
        if kind != 3:  # one in five browses with facets only
            params["q"] = rng.choice(WORDS)
        if kind in (1, 3):
            params["agency"] = rng.sample(built["agencies"], rng.randint(1, 3))
        if kind in (2, 3):
            params["topic"] = [rng.choice(built["topics"])]
            params["year"] = [str(rng.randint(2019, 2025))]
        if kind == 4:
            params["level"] = ["district"]
            params["format"] = ["csv"]
        params["sort"] = SORTS[n % len(SORTS)]
        params["page"] = rng.choice((1, 1, 1, 2, 5))
        out.append(params)
    return out


def _figures(label: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return (
        f"{label:<40} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {ms[-1]:6.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: measure on the database an earlier --keep run left (no build)",
    )
    args = parser.parse_args()
    args.keep = args.keep or args.reuse
    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    admin = configure(tmp, reuse=args.reuse)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from satudata.portal.search import dataset_search

        if args.reuse:
            built = _kept()
        else:
            call_command("migrate", verbosity=0, interactive=False)
            built = build(args.datasets)
        print(
            f"database: {connection.vendor}; {args.datasets:,} items -> {built['datasets']:,} "
            f"datasets ({built['indexed']:,} indexed); built in {built['seconds']:.1f} s "
            f"(rows {built['rows_s']:.1f} s, releases {built['releases_s']:.1f} s, "
            f"index {built['index_s']:.1f} s)"
        )
        asked = queries(built)
        # Warm-up: the stemmer's dictionary, the template cache, the database's caches.
        for params in asked[:20]:
            dataset_search(_query(params))
        api_ms, api_cpu, counts = [], [], []
        for params in asked:
            start, cpu = time.perf_counter(), time.process_time()
            result = dataset_search(_query(params))
            api_ms.append((time.perf_counter() - start) * 1000)
            api_cpu.append((time.process_time() - cpu) * 1000)
            counts.append(result.count)
        client = Client()
        for params in asked[:20]:
            client.get("/dataset/", params)
        page_ms, page_cpu = [], []
        for params in asked:
            start, cpu = time.perf_counter(), time.process_time()
            response = client.get("/dataset/", params)
            page_ms.append((time.perf_counter() - start) * 1000)
            page_cpu.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as captured:
            dataset_search(_query({"q": "penduduk miskin", "sort": "relevance", "page": 1}))
        print(
            f"{QUERIES} queries; results per query: median {statistics.median(counts):,.0f}, "
            f"max {max(counts):,}; SQL statements per search: {len(captured.captured_queries)}"
        )
        with open("/proc/loadavg") as load:
            print(f"load average while measuring: {load.read().split()[0]} (2 cores shared)")
        print(_figures("dataset_search() wall", api_ms))
        print(_figures("GET /dataset/ wall", page_ms))
        # On SQLite the database works inside this process: its CPU time is the server time
        # without the waits for the other processes sharing the two cores.
        label = "" if connection.vendor == "sqlite" else " (Python side only)"
        print(_figures(f"dataset_search() cpu{label}", api_cpu))
        print(_figures(f"GET /dataset/ cpu{label}", page_cpu))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            if admin:
                _pg(admin, f'DROP DATABASE IF EXISTS "{DB_NAME}"')
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _query(params: dict[str, Any]) -> Any:
    from satudata.portal.search import FACETS, SearchQuery

    filters = {k: v for k, v in params.items() if k in FACETS}
    return SearchQuery(
        q=params.get("q", ""),
        filters=filters,
        sort=params["sort"],
        start=(params["page"] - 1) * 20,
        rows=20,
    )


if __name__ == "__main__":
    sys.exit(main())
