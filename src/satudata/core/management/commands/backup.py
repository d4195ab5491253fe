"""`satudata backup [--output PATH] [--keep N]`: one archive of the database and every file."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satudata.core.actors import SystemActor
from satudata.core.backup import (
    ENGINE_NAMES,
    archives_prune,
    backup_create,
    default_archive_name,
)
from satudata.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write one archive holding a consistent copy of the database and every stored file, "
        "with a manifest and checksums (restore it with `satudata restore ARCHIVE`)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            help=(
                "The archive to write (.tar.gz, or .tar for no compression), or a folder to "
                "write a dated archive into. Default: the backups folder in DATA_DIR."
            ),
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="Afterwards, delete all but the newest N dated archives in that folder.",
        )

    def handle(self, *args: Any, output: str | None, keep: int, **options: Any) -> None:
        target = Path(output) if output else settings.DATA_DIR / "backups"
        if target.is_dir() or not output:
            folder, target = target, target / default_archive_name()
        else:
            folder = target.parent
        if keep < 0:
            raise CommandError(_("--keep must be 0 or more."))
        try:
            summary = backup_create(
                actor=SystemActor(f"cli:{getpass.getuser()}"), destination=target
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _(
                "Backup written to %(path)s in %(seconds).1f s: %(engine)s database and "
                "%(files)d files, %(megabytes).1f MB."
            )
            % {
                "path": summary.path,
                "seconds": summary.seconds,
                "engine": ENGINE_NAMES[summary.engine],
                "files": summary.files,
                "megabytes": summary.bytes / 1_000_000,
            }
        )
        for path in archives_prune(folder, keep) if keep else []:
            self.stdout.write(_("Old backup deleted: %(path)s") % {"path": path})
