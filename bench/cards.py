"""Benchmark: generating the three social-media cards of a publication with one chart.

Builds a fresh SQLite database in a temporary folder (the database is not what is measured:
a few small queries), loads Jember's regions, one agency with a head and an operator, an
open item by kecamatan and sex filled for 2024 and 2025, and a draft whose blocks are a bar
chart by kecamatan and a table. Then times `cards_generate(force=True)`: drawing the
square, portrait and landscape cards (vl-convert renders the chart three times, Pillow
draws the rest) and saving them through default storage. The first run includes vl-convert's
cold start; the rest are warm.

    .venv/bin/python bench/cards.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _configure(tmp: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "satudata.settings"
    os.environ["DATA_DIR"] = str(tmp)
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"


def _build():  # -> (operator, publication)
    import datetime as dt

    from satudata.accounts.roles import Role
    from satudata.accounts.services import agency_create, user_create
    from satudata.catalog.services import (
        breakdown_ensure,
        decree_create,
        item_create,
        regions_load,
    )
    from satudata.core.actors import SystemActor
    from satudata.publications.services import draft_save, publication_instruct
    from satudata.values.cells import CellPlan
    from satudata.values.services import CellValue, observations_save

    system = SystemActor("bench")
    regions_load(actor=system, root="35.09")
    agency = agency_create(
        actor=system, code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes", kind="dinas"
    )
    head = user_create(
        actor=system,
        username="kepala",
        password="sandi-bench-2026",
        role=Role.PRODUCER_HEAD,
        agency=agency,
        email="kepala@example.go.id",
    )
    operator = user_create(
        actor=system,
        username="operator",
        password="sandi-bench-2026",
        role=Role.PRODUCER_OPERATOR,
        agency=agency,
        email="operator@example.go.id",
    )
    sex = breakdown_ensure(
        actor=system, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )
    decree = decree_create(
        actor=system,
        number="188.45/1/35.09.325/2026",
        title="Daftar Data 2026",
        decree_date=dt.date(2026, 1, 15),
        year=2026,
    )
    item = item_create(
        actor=system,
        decree=decree,
        code="DD-0001",
        name="Jumlah Bayi Diimunisasi",
        agency=agency,
        unit="orang",
        periodicity="annual",
        level="district",
        accessibility="open",
        definition="Bayi yang mendapat imunisasi dasar lengkap.",
        breakdowns=[sex],
    )
    for year, extra in (("2024", 0), ("2025", 40)):
        cells = [
            CellValue(r, b, Decimal(100 + int(r.rsplit(".", 1)[-1]) * 7 + extra))
            for r, b in CellPlan().cells(item)
        ]
        observations_save(actor=system, item=item, period=year, cells=cells)
    publication = publication_instruct(
        actor=head, agency=agency, assignee=operator, topic="Imunisasi bayi 2025"
    )
    publication = draft_save(
        actor=operator,
        publication=publication,
        title="Jumlah bayi diimunisasi di Jember naik pada 2025",
        body="<p>Naik di semua kecamatan.</p>",
        blocks=[
            {"kind": "chart", "item": item.pk, "period": "2025", "chart": "bar"},
            {"kind": "table", "item": item.pk, "period": "2025"},
        ],
    )
    return operator, publication


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-cards-"))
    _configure(tmp)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import translation

        from satudata.publications.services_cards import cards_generate

        call_command("migrate", verbosity=0, interactive=False)
        translation.activate("id")
        operator, publication = _build()
        times = []
        for _run in range(args.runs):
            started = time.perf_counter()
            cards = cards_generate(actor=operator, publication=publication, force=True)
            times.append((time.perf_counter() - started) * 1000)
        sizes = ", ".join(f"{c.size} {c.width}x{c.height} {c.image.size // 1024} kB" for c in cards)
        print(f"cards: {sizes}")
        print(
            f"cards_generate (3 cards, 1 chart): first {times[0]:.0f} ms (cold), "
            f"then best {min(times[1:] or times):.0f} ms, "
            f"median {statistics.median(times[1:] or times):.0f} ms over {len(times) - 1} runs"
        )
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
