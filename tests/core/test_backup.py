"""The backup archive and its checks, in process: what an archive holds, and every way a
damaged, truncated, foreign or newer archive is refused before anything is replaced.

The round trips through real installations are in test_backup_sqlite.py and
test_backup_postgres.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import translation

from satudata.core.backup import (
    DATABASE_MEMBERS,
    MANIFEST,
    BackupError,
    archive_stage,
    archive_verify,
    archives_prune,
    backup_create,
    backup_restore,
)
from satudata.core.errors import NotAllowed
from tests.core.test_backup_support import flip_byte, member_offset, truncate
from tests.factories import SYSTEM, AgencyFactory

STORED = {
    "a.txt": b"satu data\n",
    "nested/deep/b.bin": bytes(range(256)) * 40,
    "laporan \u00fc 2026.csv": b"kode;nilai\n1;2,5\n",
    "empty.txt": b"",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# SQLite's backup API cannot read a database held in pytest's open transaction, so rows are
# committed there; pg_dump reads through its own connection and needs no such thing.
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "sqlite")


@pytest.fixture
def stored():
    for name, data in STORED.items():
        assert default_storage.save(name, ContentFile(data)) == name
    return STORED


@pytest.fixture
def archive(stored, tmp_path) -> Path:
    """An uncompressed archive (so a test can aim at one member's bytes)."""
    AgencyFactory(code="9.99.99", name="Dinas Cadangan")
    return backup_create(actor=SYSTEM, destination=tmp_path / "backup.tar").path


def rewrite(archive: Path, target: Path, change: Callable[[dict], None], extra=None) -> Path:
    """A copy of the archive with its manifest changed (and maybe one member more)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == MANIFEST:
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return target


def test_the_archive_holds_the_database_every_file_and_a_manifest_of_checksums(archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        contents = {n: tar.extractfile(n).read() for n in names}
    engine = connection.vendor
    assert names[-1] == MANIFEST
    assert set(names) == {DATABASE_MEMBERS[engine], MANIFEST} | {f"files/{n}" for n in STORED}
    manifest = json.loads(contents[MANIFEST])
    assert manifest["format"] == "satudata-backup" and manifest["format_version"] == 1
    assert manifest["database"]["engine"] == engine
    assert "0001_initial" in manifest["migrations"]["accounts"]
    assert "audit_auditentry" in manifest["database"]["tables"]
    listed = {m["name"]: m for m in manifest["members"]}
    assert set(listed) == set(names) - {MANIFEST}
    for name, member in listed.items():
        assert member["size"] == len(contents[name])
        assert member["sha256"] == hashlib.sha256(contents[name]).hexdigest()
    for name, data in STORED.items():
        assert contents[f"files/{name}"] == data


def test_staging_a_whole_archive_gives_back_every_file_unchanged(archive, tmp_path):
    staged = archive_stage(archive, tmp_path / "work")
    assert {name: path.read_bytes() for name, path in staged.files.items()} == STORED


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite copy")
def test_the_sqlite_copy_holds_the_rows_of_the_moment_of_the_backup(archive, tmp_path):
    staged = archive_stage(archive, tmp_path / "work")
    copy = sqlite3.connect(staged.database)
    try:
        rows = copy.execute("SELECT name FROM accounts_agency WHERE code = '9.99.99'").fetchall()
    finally:
        copy.close()
    assert rows == [("Dinas Cadangan",)]


def test_a_compressed_archive_is_checked_whole_too(stored, tmp_path):
    archive = backup_create(actor=SYSTEM, destination=tmp_path / "b.tar.gz").path
    with archive.open("rb") as handle:
        assert handle.read(2) == b"\x1f\x8b"
    assert archive_verify(actor=SYSTEM, archive=archive)["format"] == "satudata-backup"
    # A flipped byte anywhere, or the last byte missing (gzip's length and CRC at the end).
    for position in (0.3, 0.6, 0.999):
        with pytest.raises(BackupError, match="refused"):
            archive_stage(flip_byte(archive, tmp_path / "flip.tar.gz", position), tmp_path / "w1")
    cut = truncate(archive, tmp_path / "cut.tar.gz", archive.stat().st_size - 1)
    with pytest.raises(BackupError, match="damaged or truncated"):
        archive_stage(cut, tmp_path / "w2")


def test_a_flipped_byte_in_a_stored_file_is_refused(archive, tmp_path):
    at = member_offset(archive, "files/nested/deep/b.bin") + 100
    flipped = flip_byte(archive, tmp_path / "flip.tar", at / archive.stat().st_size)
    with pytest.raises(BackupError, match=r"checksum of files/nested/deep/b\.bin does not match"):
        archive_stage(flipped, tmp_path / "work")


def test_a_flipped_byte_in_the_database_dump_is_refused(archive, tmp_path):
    member = DATABASE_MEMBERS[connection.vendor]
    at = member_offset(archive, member) + 5000
    flipped = flip_byte(archive, tmp_path / "flip.tar", at / archive.stat().st_size)
    with pytest.raises(BackupError, match=f"checksum of {member} does not match"):
        archive_stage(flipped, tmp_path / "work")


def test_a_flipped_byte_in_a_header_or_the_padding_is_refused(archive, tmp_path):
    size = archive.stat().st_size
    for at in (member_offset(archive, "files/a.txt") - 400, size - 600):
        with pytest.raises(BackupError, match="refused"):
            archive_stage(flip_byte(archive, tmp_path / "f.tar", at / size), tmp_path / "work")


@pytest.mark.parametrize("where", ["inside the database", "before the manifest", "one block"])
def test_a_truncated_archive_is_refused(archive, tmp_path, where):
    size = archive.stat().st_size
    keep = {
        "inside the database": member_offset(archive, DATABASE_MEMBERS[connection.vendor]) + 700,
        "before the manifest": member_offset(archive, MANIFEST) - 512,
        "one block": size - 1,
    }[where]
    with pytest.raises(BackupError, match="refused"):
        archive_stage(truncate(archive, tmp_path / "cut.tar", keep), tmp_path / "work")


def test_a_missing_or_unlisted_member_is_refused(archive, tmp_path):
    def drop_a(manifest):
        manifest["members"] = [m for m in manifest["members"] if m["name"] != "files/a.txt"]

    with pytest.raises(BackupError, match="does not list"):
        archive_stage(rewrite(archive, tmp_path / "x.tar", drop_a), tmp_path / "w1")

    def ghost(manifest):
        manifest["members"].append({"name": "files/ghost.txt", "size": 1, "sha256": "0" * 64})

    with pytest.raises(BackupError, match="missing"):
        archive_stage(rewrite(archive, tmp_path / "y.tar", ghost), tmp_path / "w2")


@pytest.mark.parametrize("name", ["files/../../escape.txt", "/etc/passwd", "files/", "other.txt"])
def test_a_member_outside_the_archive_layout_is_refused(archive, tmp_path, name):
    hostile = rewrite(archive, tmp_path / "x.tar", lambda m: None, extra={name: b"x"})
    with pytest.raises(BackupError, match="unexpected member"):
        archive_stage(hostile, tmp_path / "work")
    assert not (tmp_path / "escape.txt").exists()


def test_something_that_is_not_a_backup_is_refused(tmp_path):
    text = tmp_path / "notes.tar"
    text.write_bytes(b"hello" * 1024 + b"\0" * 5120)
    with pytest.raises(BackupError, match="refused"):
        archive_stage(text, tmp_path / "w1")
    with pytest.raises(BackupError, match="no archive"):
        archive_stage(tmp_path / "missing.tar.gz", tmp_path / "w2")


def test_a_newer_backup_format_is_refused(archive, tmp_path):
    newer = rewrite(archive, tmp_path / "x.tar", lambda m: m.update(format_version=2))
    with pytest.raises(BackupError, match="newer backup format"):
        archive_stage(newer, tmp_path / "work")


# --- restore refusals that come before anything is replaced ---------------------------------


def test_an_archive_of_the_other_engine_is_refused(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def engine(manifest):
        old = manifest["database"]["member"]
        manifest["database"].update(engine=other, member=DATABASE_MEMBERS[other])
        for member in manifest["members"]:
            if member["name"] == old:
                member["name"] = DATABASE_MEMBERS[other]

    foreign = tmp_path / "foreign.tar"
    with tarfile.open(archive) as source, tarfile.open(foreign, "w") as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == MANIFEST:
                manifest = json.loads(data)
                engine(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            elif info.name.startswith("database/"):
                info.name = DATABASE_MEMBERS[other]
            copy.addfile(info, io.BytesIO(data))
    if other == "sqlite":  # a PostgreSQL dump would fail SQLite's own check first
        pytest.skip("a real SQLite archive is refused by test_backup_postgres.py")
    with pytest.raises(BackupError, match="holds a PostgreSQL database"):
        backup_restore(actor=SYSTEM, archive=foreign, force=True)
    assert default_storage.open("a.txt").read() == STORED["a.txt"]


def test_an_archive_of_a_newer_version_is_refused(archive, tmp_path):
    def newer(manifest):
        manifest["product_version"] = "9.0.0"
        manifest["migrations"]["core"].append("9999_from_the_future")

    with pytest.raises(BackupError, match=r"newer version of the product \(9.0.0"):
        backup_restore(actor=SYSTEM, archive=rewrite(archive, tmp_path / "x.tar", newer))


def test_a_database_with_tables_is_replaced_only_with_force(archive):
    default_storage.delete("a.txt")
    with pytest.raises(BackupError, match=r"already has tables.*--force"):
        backup_restore(actor=SYSTEM, archive=archive)
    assert not default_storage.exists("a.txt")  # no file restored either


def test_only_the_command_line_backs_up_and_restores(admin_user, tmp_path):
    archive = tmp_path / "any.tar.gz"  # refused before it is even looked for
    with pytest.raises(NotAllowed):
        backup_create(actor=admin_user, destination=tmp_path / "other.tar.gz")
    with pytest.raises(NotAllowed):
        backup_restore(actor=admin_user, archive=archive, force=True)
    with pytest.raises(NotAllowed):
        archive_verify(actor=admin_user, archive=archive)
    assert not (tmp_path / "other.tar.gz").exists()


def test_a_backup_never_overwrites_an_archive(archive):
    before = archive.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        backup_create(actor=SYSTEM, destination=archive)
    assert archive.read_bytes() == before


def test_a_failed_backup_leaves_no_archive_behind(stored, tmp_path, settings):
    # A stored file that cannot be read (here a link to nothing) fails the backup as a whole.
    (Path(settings.MEDIA_ROOT) / "nested" / "lost.pdf").symlink_to(tmp_path / "nowhere.pdf")
    with pytest.raises(OSError):
        backup_create(actor=SYSTEM, destination=tmp_path / "out" / "b.tar.gz")
    assert list((tmp_path / "out").iterdir()) == []


def test_pruning_keeps_the_newest_archives_only(tmp_path):
    names = [f"satudata-backup-2026010{d}-020000.tar.gz" for d in range(1, 6)]
    for name in [*names, "notes.txt"]:
        (tmp_path / name).write_bytes(b"x")
    removed = archives_prune(tmp_path, keep=2)
    assert sorted(p.name for p in removed) == names[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[3:], "notes.txt"])
