"""`satudata backup` and `satudata restore` on the embedded default (a SQLite file), as an
administrator runs them: real installations in their own data folders, real processes.

One installation is made for the module (the demo's lists and users, values saved through the
services, uploaded logos and other files) and backed up once. Every table's rows, the schema
(indexes and triggers too) and every stored file's bytes are compared before and after.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.core.test_backup_support import (
    files_snapshot,
    flip_byte,
    install_with_data,
    satudata,
    sqlite_snapshot,
    truncate,
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the embedded default; PostgreSQL has test_backup_postgres.py",
)


class Installation:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.database = root / "satudata.sqlite3"
        self.media = root / "media"

    def state(self) -> dict:
        return {"database": sqlite_snapshot(self.database), "files": files_snapshot(self.media)}

    def leftovers(self) -> list[str]:
        return [p.name for p in self.root.iterdir() if p.name.startswith(".restore-")]


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> tuple[Installation, Path, dict]:
    """The installation that was backed up, its archive, and its state at the backup."""
    installation = Installation(tmp_path_factory.mktemp("source"))
    install_with_data(installation.root)
    archive = tmp_path_factory.mktemp("archives") / "backup.tar.gz"
    satudata("backup", "--output", str(archive), data_dir=installation.root)
    return installation, archive, installation.state()


def test_restore_brings_a_fresh_installation_to_exactly_the_backed_up_state(source, tmp_path):
    _installation, archive, state = source
    tables = state["database"]["tables"]
    # The backup holds real data: values, their fill states and audit entries, logos, files.
    assert len(tables["values_observation"]) > 0 and len(tables["audit_auditentry"]) > 100
    assert set(state["files"]) == {
        "letterhead/logo.png",
        "agencies/dispendik/logo.png",
        "exports/2026/data berkas \u00fc.csv",
        "empty.txt",
    }
    fresh = Installation(tmp_path)  # nothing there yet: no database file, no media folder
    satudata("restore", str(archive), data_dir=fresh.root)
    assert fresh.state() == state
    assert fresh.leftovers() == []
    # And it runs: the product reads the restored letterhead and its logo.
    shown = satudata(
        "shell",
        "-v",
        "0",
        "-c",
        "from satudata.core.models import Letterhead; "
        "print(Letterhead.objects.get().logo.open().read()[:4])",
        data_dir=fresh.root,
    )
    assert shown.stdout.strip() == r"b'\x89PNG'"


def test_check_reads_the_whole_archive_and_changes_nothing(source, tmp_path):
    _installation, archive, _state = source
    assert satudata("restore", "--check", str(archive), data_dir=tmp_path).returncode == 0
    assert not (tmp_path / "satudata.sqlite3").exists()
    bad = flip_byte(archive, tmp_path / "bad.tar.gz")
    assert satudata("restore", "--check", str(bad), data_dir=tmp_path, check=False).returncode


def test_a_database_with_tables_is_not_replaced_without_force(source):
    installation, archive, state = source
    result = satudata("restore", str(archive), data_dir=installation.root, check=False)
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert installation.state() == state


@pytest.mark.parametrize(
    "damage",
    ["a flipped byte", "a flipped byte near the end", "cut in half", "the last byte missing"],
)
def test_a_damaged_archive_is_refused_before_anything_is_replaced(source, tmp_path, damage):
    installation, archive, state = source
    size = archive.stat().st_size
    bad = tmp_path / "bad.tar.gz"
    if damage == "a flipped byte":
        flip_byte(archive, bad, 0.5)
    elif damage == "a flipped byte near the end":
        flip_byte(archive, bad, 0.999)
    elif damage == "cut in half":
        truncate(archive, bad, size // 2)
    else:
        truncate(archive, bad, size - 1)
    # Even with --force: the archive is read whole before anything is replaced.
    result = satudata("restore", "--force", str(bad), data_dir=installation.root, check=False)
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert installation.state() == state
    assert installation.leftovers() == []


def test_backup_keeps_the_newest_archives_in_its_folder(source, tmp_path):
    installation, _archive, _state = source
    folder = tmp_path / "backups"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"satudata-backup-2026010{day}-020000.tar.gz").write_bytes(b"old")
    satudata("backup", "--output", str(folder), "--keep", "2", data_dir=installation.root)
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and kept[0] == "satudata-backup-20260103-020000.tar.gz"
    assert satudata("restore", "--check", str(folder / kept[1]), data_dir=tmp_path).returncode == 0


def test_force_replaces_a_changed_installation_with_the_backup_exactly(source, tmp_path):
    # Last in the module: it changes the source installation, then restores its backup.
    installation, archive, state = source
    connection = sqlite3.connect(installation.database)
    with connection:
        connection.execute(
            "DELETE FROM catalog_topic WHERE id NOT IN (SELECT topic_id FROM catalog_dataitem)"
        )
        connection.execute("UPDATE accounts_agency SET name = name || ' (diubah)'")
    connection.close()
    (installation.media / "letterhead" / "logo.png").write_bytes(b"changed")
    (installation.media / "stray.txt").write_bytes(b"made after the backup")
    shutil.rmtree(installation.media / "exports")
    assert installation.state() != state
    satudata("restore", "--force", str(archive), data_dir=installation.root)
    assert installation.state() == state
