"""Helpers of the backup tests (no tests here): the `satudata` command in a fresh installation,
data made through the services, and snapshots of every table and every stored file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Run inside the installation by `satudata shell -c`: rows and files made through the services
# (logos through the letterhead and agency services, values through observations_save), and
# files of awkward names straight in the storage.
SEED = r"""
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from satudata.accounts.models import Agency
from satudata.accounts.services import agency_update
from satudata.catalog.models import DataItem
from satudata.core.actors import SystemActor
from satudata.core.services import letterhead_update
from satudata.values.cells import CellPlan
from satudata.values.services import CellValue, observations_save

actor = SystemActor("test:backup")


def png(color):
    out = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


letterhead_update(actor=actor, logo=png("red"))
agency_update(actor=actor, agency=Agency.objects.order_by("code").first(), logo=png("blue"))
default_storage.save("exports/2026/data berkas \u00fc.csv", ContentFile(b"a;b\n1;2,5\n"))
default_storage.save("empty.txt", ContentFile(b""))
saved = 0
for item in DataItem.objects.filter(decree__year=2025).order_by("pk"):
    cells = [CellValue(r, b, Decimal("12.25")) for r, b in CellPlan().cells(item)]
    observations_save(actor=actor, item=item, period="2025", cells=cells)
    saved += 1
    if saved == 3:
        break
"""


def satudata(
    *args: str, data_dir: Path, database_url: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `satudata ARGS` as an administrator would, in the installation at `data_dir`."""
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("MEDIA_ROOT", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", "satudata", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"satudata {' '.join(args)} failed:\n{result.stderr}")
    return result


def install_with_data(data_dir: Path, database_url: str | None = None) -> None:
    """A fresh installation with the demo's lists and users, some values and stored files."""
    satudata("migrate", "-v", "0", data_dir=data_dir, database_url=database_url)
    satudata("demo", "--without-values", data_dir=data_dir, database_url=database_url)
    satudata("shell", "-c", SEED, data_dir=data_dir, database_url=database_url)


def files_snapshot(media: Path) -> dict[str, bytes]:
    """Every stored file's bytes by its name (embedded mode: files live in DATA_DIR/media)."""
    if not media.exists():
        return {}
    return {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


def _rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(
        (tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows),
        key=repr,
    )


def sqlite_snapshot(path: Path) -> dict[str, Any]:
    """Every table's rows, and the schema (tables, indexes, triggers) of a SQLite file."""
    connection = sqlite3.connect(path)
    try:
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _sql in schema if kind == "table"]
        data = {t: _rows(connection.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
    finally:
        connection.close()
    return {"schema": schema, "tables": data}


def postgres_snapshot(url: str) -> dict[str, Any]:
    """Every table's rows, the sequences' positions and the triggers of a PostgreSQL database."""
    import psycopg

    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        data = {t: _rows(connection.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        sequences = connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename"
        ).fetchall()
        triggers = connection.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
            "ORDER BY 1, 2"
        ).fetchall()
    return {"tables": data, "sequences": sequences, "triggers": triggers}


def flip_byte(archive: Path, target: Path, at: float = 0.5) -> Path:
    """A copy of the archive with one byte flipped at the given fraction of its length."""
    data = bytearray(archive.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def truncate(archive: Path, target: Path, keep: int) -> Path:
    target.write_bytes(archive.read_bytes()[:keep])
    return target


def member_offset(archive: Path, name: str) -> int:
    """Where a member's data starts in an uncompressed tar."""
    with tarfile.open(archive) as tar:
        return tar.getmember(name).offset_data
