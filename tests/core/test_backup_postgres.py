"""`satudata backup` and `satudata restore` on PostgreSQL (pg_dump / pg_restore), as an
administrator runs them: real processes against databases of this module's own.

Runs when DATABASE_URL names a PostgreSQL server; the source and the restore target are two
databases created here (named after DATABASE_URL's, with this process's id) and dropped after.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.core.test_backup_support import (
    files_snapshot,
    flip_byte,
    install_with_data,
    postgres_snapshot,
    satudata,
    sqlite_snapshot,
    truncate,
)

URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="needs PostgreSQL")


def _url(name: str) -> str:
    parts = urlsplit(URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture(scope="module")
def databases():
    """Two new databases: the backed-up installation's and the restore target's."""
    base = urlsplit(URL).path.lstrip("/") or "satudata"
    names = [f"{base}_backup_{role}_{os.getpid()}" for role in ("source", "target")]
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
        _admin(f'CREATE DATABASE "{name}"')
    yield [_url(name) for name in names]
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def source(databases, tmp_path_factory):
    """The backed-up installation (its data folder and database), its archive and state."""
    root = tmp_path_factory.mktemp("source")
    install_with_data(root, databases[0])
    archive = tmp_path_factory.mktemp("archives") / "backup.tar.gz"
    satudata("backup", "--output", str(archive), data_dir=root, database_url=databases[0])
    state = {"database": postgres_snapshot(databases[0]), "files": files_snapshot(root / "media")}
    return root, archive, state


def test_restore_brings_an_empty_database_to_exactly_the_backed_up_state(
    source, databases, tmp_path
):
    _root, archive, state = source
    tables = state["database"]["tables"]
    assert len(tables["values_observation"]) > 0 and len(tables["audit_auditentry"]) > 100
    assert len(state["files"]) == 4
    satudata("restore", str(archive), data_dir=tmp_path, database_url=databases[1])
    restored = {
        "database": postgres_snapshot(databases[1]),
        "files": files_snapshot(tmp_path / "media"),
    }
    assert restored == state
    # The audit log's append-only trigger came back with it.
    assert ("audit_auditentry", "audit_entry_no_change") in restored["database"]["triggers"]


def test_a_database_with_tables_is_not_replaced_without_force(source, databases, tmp_path):
    root, archive, state = source
    result = satudata(
        "restore", str(archive), data_dir=root, database_url=databases[0], check=False
    )
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert postgres_snapshot(databases[0]) == state["database"]


@pytest.mark.parametrize("damage", ["a flipped byte", "the last byte missing"])
def test_a_damaged_archive_is_refused_before_anything_is_replaced(
    source, databases, tmp_path, damage
):
    root, archive, state = source
    bad = tmp_path / "bad.tar.gz"
    if damage == "a flipped byte":
        flip_byte(archive, bad, 0.5)
    else:
        truncate(archive, bad, archive.stat().st_size - 1)
    result = satudata(
        "restore", "--force", str(bad), data_dir=root, database_url=databases[0], check=False
    )
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert postgres_snapshot(databases[0]) == state["database"]
    assert files_snapshot(root / "media") == state["files"]


def test_archives_are_not_restored_across_engines(source, databases, tmp_path):
    root, archive, state = source
    # A PostgreSQL archive into the embedded default: refused, no SQLite database made.
    embedded = tmp_path / "embedded"
    embedded.mkdir()
    result = satudata("restore", str(archive), data_dir=embedded, check=False)
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert not (embedded / "media").exists()
    database = embedded / "satudata.sqlite3"
    assert not database.exists() or sqlite_snapshot(database)["tables"] == {}
    # A SQLite archive into PostgreSQL: refused, the database unchanged.
    satudata("migrate", "-v", "0", data_dir=embedded)
    sqlite_archive = tmp_path / "sqlite.tar.gz"
    satudata("backup", "--output", str(sqlite_archive), data_dir=embedded)
    result = satudata(
        "restore",
        "--force",
        str(sqlite_archive),
        data_dir=root,
        database_url=databases[0],
        check=False,
    )
    assert result.returncode == 1 and "CommandError" in result.stderr
    assert postgres_snapshot(databases[0]) == state["database"]


def test_force_replaces_a_changed_database_with_the_backup_exactly(source, databases):
    # Last in the module: it changes the source installation, then restores its backup.
    import psycopg

    root, archive, state = source
    with psycopg.connect(databases[0]) as connection:
        connection.execute("UPDATE accounts_agency SET name = name || ' (diubah)'")
        connection.execute("DELETE FROM values_observation")
    (Path(root) / "media" / "stray.txt").write_bytes(b"made after the backup")
    satudata("restore", "--force", str(archive), data_dir=root, database_url=databases[0])
    assert postgres_snapshot(databases[0]) == state["database"]
    assert files_snapshot(root / "media") == state["files"]
