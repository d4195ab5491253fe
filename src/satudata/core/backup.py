"""Backup and restore: one archive holding the database and every stored file.

An archive is a tar file (gzip-compressed unless its name ends in plain `.tar`):

    database/satudata.sqlite3   SQLite: a copy made with SQLite's online backup API
    database/satudata.pgdump    PostgreSQL: `pg_dump --format=custom` (one consistent snapshot)
    files/<name>                every file of the default storage, under its storage name
    manifest.json               last: format, product version, time, engine, migrations applied,
                                and every member above with its size and SHA-256

A restore first reads the whole archive into a staging folder, checking the tar structure,
every member's size and checksum against the manifest, the engine and the migrations; only when
all of that holds does it replace anything. So a corrupted, truncated or foreign archive is
refused with the installation untouched.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from satudata.core.actors import require
from satudata.core.errors import DomainError

logger = logging.getLogger(__name__)

FORMAT = "satudata-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBERS = {
    "sqlite": "database/satudata.sqlite3",
    "postgresql": "database/satudata.pgdump",
}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ARCHIVE_PREFIX = "satudata-backup-"
CHUNK = 1024 * 1024
# A manifest lists names and checksums: a few MB for a million files. A bigger one is hostile.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
# Stored files are copied through a spool: small ones stay in memory.
SPOOL_BYTES = 8 * 1024 * 1024
# A restore waits at most this long for a table lock held by a running server, then fails
# (and, being one transaction, changes nothing) instead of hanging.
PG_LOCK_TIMEOUT = "60s"
SQLITE_LOCK_SECONDS = 60
BUSY_STATUSES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


class BackupError(DomainError):
    """A backup could not be written, or an archive was refused for restore."""


@dataclass(frozen=True)
class Member:
    """One file of an archive as the manifest lists it."""

    name: str
    size: int
    sha256: str


@dataclass
class BackupSummary:
    """What `backup_create` wrote."""

    path: Path
    engine: str
    files: int
    bytes: int
    seconds: float


@dataclass
class StagedArchive:
    """An archive read whole and checked: its manifest, database dump and files on disk."""

    manifest: dict[str, Any]
    database: Path
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def engine(self) -> str:
        return self.manifest["database"]["engine"]


@dataclass
class RestoreSummary:
    """What `backup_restore` did, and what the administrator should still do."""

    engine: str
    created_at: str
    files: int
    files_removed: int
    warnings: list[str] = field(default_factory=list)


# --- Shared pieces --------------------------------------------------------------------------


def product_version() -> str:
    try:
        return importlib.metadata.version("satudata")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return "unknown"


def database_engine(connection: BaseDatabaseWrapper) -> str:
    """`sqlite` or `postgresql`: the engines a backup knows how to copy."""
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def credentials_key_fingerprint() -> str:
    """A short fingerprint of the key that encrypts channel credentials (not the key itself).

    The archive does not hold the key: whoever reads a stolen archive must not be able to post
    as the regency. The fingerprint tells a restore whether the key in use can read them.
    """
    return hmac.new(
        settings.CREDENTIALS_KEY.encode(), b"satudata backup fingerprint", hashlib.sha256
    ).hexdigest()[:16]


def migrations_applied(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def stored_files(storage: Storage) -> Iterator[str]:
    """Every file name in a storage, found through its API only (listdir), so S3 works too."""

    def walk(folder: str) -> Iterator[str]:
        try:
            dirs, files = storage.listdir(folder)
        except FileNotFoundError:  # a local storage whose folder was never made holds nothing
            return
        for name in sorted(files):
            yield posixpath.join(folder, name) if folder else name
        for name in sorted(dirs):
            yield from walk(posixpath.join(folder, name) if folder else name)

    yield from walk("")


class _TailReader:
    """Reads through to a file object, keeping its position and the last bytes read."""

    KEEP = 256 * 1024

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.position = 0
        self.tail = bytearray()

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.position += len(data)
        self.tail += data
        if len(self.tail) > 2 * self.KEEP:
            del self.tail[: -self.KEEP]
        return data

    def tail_is_zero(self, count: int) -> bool:
        """Whether the last `count` bytes read were all zeros (False when not kept)."""
        if count > len(self.tail):
            return False
        return count <= 0 or not self.tail[-count:].strip(b"\0")


class _HashingReader:
    """Reads through to a file object while counting and hashing what passed."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.size += len(data)
        self.digest.update(data)
        return data


def _copy_hashing(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The libpq environment for pg_dump / pg_restore (no password on the command line)."""
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s was not found: install PostgreSQL's client programs (the same major "
                "version as the server, or newer)."
            )
            % {"tool": name}
        )
    return path


def _pg_run(args: list[str], env: dict[str, str], tool: str) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": tool, "error": result.stderr.strip() or result.returncode}
        )


# --- Backup ---------------------------------------------------------------------------------


def default_archive_name(now: dt.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}.tar.gz"


def _lock_deadline() -> Any:
    """A progress callback ending a SQLite backup that keeps finding the database locked.

    Python retries a busy step forever; a server that holds the write lock should make the
    command fail with a message instead (the copy is one step, so nothing is half written).
    """
    deadline = time.monotonic() + SQLITE_LOCK_SECONDS

    def progress(status: int, remaining: int, total: int) -> None:
        if status in BUSY_STATUSES and time.monotonic() > deadline:
            raise BackupError(
                _(
                    "The SQLite database stayed locked for %(seconds)d s. Stop the server and "
                    "the workers, then try again."
                )
                % {"seconds": SQLITE_LOCK_SECONDS}
            )

    return progress


def _sqlite_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # One step copies every page under one read lock: a consistent snapshot while the
        # product keeps running (in WAL mode writers go on meanwhile).
        connection.connection.backup(copy, progress=_lock_deadline())
        # Leave a single file: no -wal beside it for the tar to miss.
        copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        problem = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
    if problem != "ok":
        raise BackupError(
            _("The database failed SQLite's check and was not backed up: %(problem)s")
            % {"problem": problem}
        )


def _postgres_dump(connection: BaseDatabaseWrapper, target: Path) -> None:
    settings_dict = connection.settings_dict
    tool = _pg_tool("pg_dump")
    # pg_dump reads everything in one snapshot (repeatable read): consistent while serving.
    _pg_run(
        [
            tool,
            "--format=custom",
            "--no-password",
            f"--file={target}",
            f"--dbname={settings_dict['NAME']}",
        ],
        _pg_env(settings_dict),
        "pg_dump",
    )


def _add_file(tar: tarfile.TarFile, name: str, handle: IO[bytes], size: int) -> Member:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    reader = _HashingReader(handle)
    tar.addfile(info, reader)  # type: ignore[arg-type]  # reads exactly `size` bytes or fails
    return Member(name, reader.size, reader.digest.hexdigest())


def _add_stored(tar: tarfile.TarFile, storage: Storage, name: str) -> Member:
    # Through a spool, so the size written in the tar header is the size of what was read.
    with (
        tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool,
        storage.open(name, "rb") as handle,
    ):
        size, _digest = _copy_hashing(handle, spool)
        spool.seek(0)
        return _add_file(tar, FILES + name, spool, size)  # type: ignore[arg-type]


def backup_create(*, actor: Any, destination: Path) -> BackupSummary:
    """Write one archive of the database and every stored file to `destination`."""
    # Only the command line on the server backs up: the archive holds every account's hash.
    require(actor, False)
    started = time.monotonic()
    connection = connections[DEFAULT_DB_ALIAS]
    engine = database_engine(connection)
    destination = Path(destination)
    if destination.exists():
        raise BackupError(_("%(path)s already exists.") % {"path": destination})
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed when whole, so a backup that failed halfway
    # never looks like an archive.
    partial = destination.with_name(destination.name + ".partial")
    mode = "w" if destination.name.endswith(".tar") else "w:gz"
    members: list[Member] = []
    try:
        with (
            tempfile.TemporaryDirectory(dir=destination.parent, prefix=".satudata-backup-") as work,
            tarfile.open(partial, mode, **({"compresslevel": 6} if mode == "w:gz" else {})) as tar,
        ):
            # Read before the dump: migrations do not run while a backup is made.
            migrations = migrations_applied(connection)
            tables = sorted(connection.introspection.table_names())
            dump = Path(work) / "database"
            if engine == "sqlite":
                _sqlite_dump(connection, dump)
            else:
                _postgres_dump(connection, dump)
            with dump.open("rb") as handle:
                members.append(
                    _add_file(tar, DATABASE_MEMBERS[engine], handle, dump.stat().st_size)
                )
            dump.unlink()
            for name in stored_files(default_storage):
                members.append(_add_stored(tar, default_storage, name))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "product_version": product_version(),
                "created_at": timezone.now().isoformat(),
                "database": {
                    "engine": engine,
                    "member": DATABASE_MEMBERS[engine],
                    "tables": tables,
                },
                "migrations": migrations,
                "credentials_key_fingerprint": credentials_key_fingerprint(),
                "members": [m.__dict__ for m in members],
            }
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
            tar.addfile(info, _BytesReader(data))  # type: ignore[arg-type]
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary = BackupSummary(
        path=destination,
        engine=engine,
        files=len(members) - 1,
        bytes=destination.stat().st_size,
        seconds=time.monotonic() - started,
    )
    logger.info(
        "backup written: %s (%s, %d files, %d bytes)",
        destination,
        engine,
        summary.files,
        summary.bytes,
    )
    return summary


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else self.offset + n
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def archives_prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives this command named in `folder`."""
    archives = sorted(folder.glob(f"{ARCHIVE_PREFIX}*.tar*"))
    archives = [a for a in archives if not a.name.endswith(".partial")]
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


# --- Reading and checking an archive ---------------------------------------------------------


def _refused(reason: str) -> BackupError:
    return BackupError(
        _("The archive was refused and nothing was changed: %(reason)s") % {"reason": reason}
    )


def _staging_path(work: Path, name: str) -> Path:
    """Where a member is staged; refuses names a backup never writes (and ../ tricks)."""
    if name in DATABASE_MEMBERS.values():
        return work / "database"
    if name.startswith(FILES):
        relative = name[len(FILES) :]
        parts = PurePosixPath(relative).parts
        if (
            parts
            and str(PurePosixPath(relative)) == relative
            and not relative.startswith("/")
            and ".." not in parts
            and "\\" not in relative
        ):
            return work / "files" / Path(*parts)
    raise _refused(_("it holds an unexpected member %(name)s.") % {"name": name})


def _manifest_members(manifest: Any) -> dict[str, Member]:
    """The manifest's members by name; refuses a manifest that is not one of ours."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused(_("it is not a Portal Satu Data backup."))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refused(
            _("it was written in a newer backup format (%(version)s): upgrade the product first.")
            % {"version": version}
        )
    try:
        engine = manifest["database"]["engine"]
        members = {
            str(m["name"]): Member(str(m["name"]), int(m["size"]), str(m["sha256"]))
            for m in manifest["members"]
        }
        if engine not in DATABASE_MEMBERS or DATABASE_MEMBERS[engine] not in members:
            raise KeyError(engine)
        if not isinstance(manifest["migrations"], dict):
            raise TypeError("migrations")
    except (KeyError, TypeError, ValueError):
        raise _refused(_("its manifest is incomplete.")) from None
    return members


def _stage_member(
    tar: tarfile.TarFile,
    info: tarfile.TarInfo,
    work: Path,
    found: dict[str, Member],
    staged: dict[str, Path],
    manifest_data: bytes | None,
) -> bytes | None:
    """Copy one member into the staging folder, hashing it; return the manifest once read."""
    name = info.name
    if name in found or (name == MANIFEST and manifest_data is not None):
        raise _refused(_("the member %(name)s appears twice.") % {"name": name})
    if not info.isreg():
        raise _refused(_("it holds an unexpected member %(name)s.") % {"name": name})
    source = tar.extractfile(info)
    assert source is not None  # a regular file always has content
    if name == MANIFEST:
        if info.size > MANIFEST_MAX_BYTES:
            raise _refused(_("its manifest is too large."))
        return source.read()
    target = _staging_path(work, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        size, digest = _copy_hashing(source, handle)
    found[name] = Member(name, size, digest)
    if name.startswith(FILES):
        staged[name[len(FILES) :]] = target
    return manifest_data


def archive_stage(path: Path, work: Path) -> StagedArchive:
    """Read the whole archive into `work`, checking every member; raise BackupError if not whole."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no archive at %(path)s.") % {"path": path})
    found: dict[str, Member] = {}
    staged: dict[str, Path] = {}
    manifest_data: bytes | None = None
    try:
        with path.open("rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            if not compressed and path.stat().st_size % tarfile.BLOCKSIZE:
                raise _refused(_("it is truncated (its length is not whole tar blocks)."))
            # gzip read by the gzip module, which checks the stream's CRC and length at its end
            # (tarfile's own gzip reader checks neither).
            unpacked = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            stream = _TailReader(unpacked)
            # Streamed ("r|"): one pass, and no seeking to offsets a damaged index might give.
            end = 0
            with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]
                for info in tar:
                    manifest_data = _stage_member(tar, info, work, found, staged, manifest_data)
                    end = info.offset_data + -(-info.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE
            # After the last member come only zeros (the tar's end blocks and padding). Read
            # to the very end, so that gzip checks its CRC and length, and so that a damaged
            # header that ended the listing early, or a flipped byte in the padding, is seen.
            if not stream.tail_is_zero(stream.position - end):
                raise _refused(_("it is damaged (there is data after what reads as its end)."))
            while chunk := stream.read(CHUNK):
                if chunk.strip(b"\0"):
                    raise _refused(_("it is damaged (there is data after what reads as its end)."))
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise _refused(
            _("it is damaged or truncated (%(error)s).") % {"error": exc or type(exc).__name__}
        ) from None
    if manifest_data is None:
        raise _refused(_("it has no manifest; it may be truncated."))
    try:
        manifest = json.loads(manifest_data)
    except ValueError:
        raise _refused(_("its manifest is not valid JSON.")) from None
    listed = _manifest_members(manifest)
    missing = sorted(listed.keys() - found.keys())
    if missing:
        raise _refused(
            _("%(count)d members listed in the manifest are missing (first: %(name)s).")
            % {"count": len(missing), "name": missing[0]}
        )
    unlisted = sorted(found.keys() - listed.keys())
    if unlisted:
        raise _refused(
            _("it holds members the manifest does not list (first: %(name)s).")
            % {"name": unlisted[0]}
        )
    for name, member in listed.items():
        if found[name] != member:
            raise _refused(
                _("the checksum of %(name)s does not match the manifest: the file is corrupted.")
                % {"name": name}
            )
    database = work / "database"
    if manifest["database"]["engine"] == "sqlite":
        _sqlite_check(database)
    return StagedArchive(manifest=manifest, database=database, files=staged)


def _sqlite_check(path: Path) -> None:
    try:
        check = sqlite3.connect(path)
        try:
            problem = check.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem != "ok":
        raise _refused(_("its database failed SQLite's check: %(problem)s") % {"problem": problem})


def _check_fits(staged: StagedArchive, connection: BaseDatabaseWrapper, engine: str) -> None:
    """Refuse an archive this installation cannot take: another engine, newer migrations."""
    if staged.engine != engine:
        raise _refused(
            _(
                "it holds a %(archived)s database and this installation uses %(engine)s. "
                "Restore it into an installation with the same database engine."
            )
            % {"archived": ENGINE_NAMES[staged.engine], "engine": ENGINE_NAMES[engine]}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {
        (app, name) for app, names in staged.manifest["migrations"].items() for name in names
    }
    unknown = sorted(archived - known)
    if unknown:
        raise _refused(
            _(
                "it was made by a newer version of the product (%(version)s; migrations unknown "
                "here, first: %(migration)s). Install that version, then restore."
            )
            % {
                "version": staged.manifest.get("product_version", "?"),
                "migration": ".".join(unknown[0]),
            }
        )


def archive_verify(*, actor: Any, archive: Path) -> dict[str, Any]:
    """Read and check a whole archive without changing anything; return its manifest."""
    require(actor, False)
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as work:
        return archive_stage(Path(archive), Path(work)).manifest


# --- Restore --------------------------------------------------------------------------------


def _sqlite_restore(connection: BaseDatabaseWrapper, staged: Path) -> None:
    # Copied page by page into the configured database with the backup API, in one write
    # transaction: a crash midway leaves the old database whole. Renaming a file over the
    # database is atomic too, but a -wal file left beside it would then be replayed onto the
    # restored one and corrupt it.
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(staged)
    try:
        source.backup(connection.connection, progress=_lock_deadline())
    except sqlite3.Error as exc:
        raise BackupError(
            _("The database could not be replaced (%(error)s); it was left as it was.")
            % {"error": exc}
        ) from None
    finally:
        source.close()
        connection.close()


def _postgres_restore(
    connection: BaseDatabaseWrapper, staged: StagedArchive, tables: list[str]
) -> None:
    unknown = sorted(set(tables) - set(staged.manifest["database"].get("tables", [])))
    if unknown:
        # pg_restore --clean drops only what the dump holds; these would stay behind and
        # clash with `migrate` later.
        raise _refused(
            _(
                "the database has tables the archive does not hold (first: %(table)s). "
                "Restore into a new, empty database instead."
            )
            % {"table": unknown[0]}
        )
    settings_dict = connection.settings_dict
    tool = _pg_tool("pg_restore")
    env = _pg_env(settings_dict)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={PG_LOCK_TIMEOUT}".strip()
    connection.close()
    # One transaction: if anything fails, the database is left as it was.
    _pg_run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={settings_dict['NAME']}",
            str(staged.database),
        ],
        env,
        "pg_restore",
    )


def _files_restore(storage: Storage, staged: dict[str, Path]) -> int:
    """Make the storage hold exactly the archive's files; return how many others were removed."""
    others = [name for name in stored_files(storage) if name not in staged]
    for name in others:
        storage.delete(name)
    for name, path in sorted(staged.items()):
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(
                _("The file %(name)s was stored as %(saved)s.") % {"name": name, "saved": saved}
            )
    return len(others)


def _channel_credentials_stored() -> bool:
    from django.apps import apps

    channel = apps.get_model("publications", "Channel")
    return channel.objects.exclude(credentials="").exists()


def backup_restore(*, actor: Any, archive: Path, force: bool = False) -> RestoreSummary:
    """Bring this installation to the archive's state: its database, then its files."""
    require(actor, False)
    connection = connections[DEFAULT_DB_ALIAS]
    engine = database_engine(connection)
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-") as work:
        staged = archive_stage(Path(archive), Path(work))
        _check_fits(staged, connection, engine)
        tables = connection.introspection.table_names()
        if tables and not force:
            raise _refused(
                _(
                    "the configured database already has tables. Restore into a new, empty "
                    "database, or give --force to replace everything in it."
                )
            )
        if engine == "sqlite":
            _sqlite_restore(connection, staged.database)
        else:
            _postgres_restore(connection, staged, tables)
        removed = _files_restore(default_storage, staged.files)
    manifest = staged.manifest
    summary = RestoreSummary(
        engine=engine,
        created_at=manifest.get("created_at", "?"),
        files=len(staged.files),
        files_removed=removed,
    )
    if (
        manifest.get("credentials_key_fingerprint") != credentials_key_fingerprint()
        and _channel_credentials_stored()
    ):
        summary.warnings.append(
            _(
                "The channel credentials in this backup were encrypted with another key. Set "
                "CREDENTIALS_KEY (or SECRET_KEY) to the old installation's value, or enter the "
                "channels' credentials again."
            )
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        summary.warnings.append(
            _("The backup is older than this version of the product: run `satudata migrate`.")
        )
    connection.close()
    logger.info("backup restored: %s (%s, made %s)", archive, engine, summary.created_at)
    return summary
