"""`satudata restore ARCHIVE [--force] [--check]`: bring this installation to a backup's state."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satudata.core.actors import SystemActor
from satudata.core.backup import ENGINE_NAMES, archive_verify, backup_restore
from satudata.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore an archive written by `satudata backup`: the whole archive is checked first, "
        "then the database and the stored files are replaced. Stop the server and the workers "
        "first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="The archive written by `satudata backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already has tables (everything in it is lost).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check that the archive is whole and readable; change nothing.",
        )

    def handle(self, *args: Any, archive: str, force: bool, check: bool, **options: Any) -> None:
        actor = SystemActor(f"cli:{getpass.getuser()}")
        try:
            if check:
                manifest = archive_verify(actor=actor, archive=Path(archive))
                self.stdout.write(
                    _(
                        "The archive is whole: a %(engine)s database and %(files)d files, made "
                        "at %(created)s by version %(version)s."
                    )
                    % {
                        "engine": ENGINE_NAMES[manifest["database"]["engine"]],
                        "files": len(manifest["members"]) - 1,
                        "created": manifest.get("created_at", "?"),
                        "version": manifest.get("product_version", "?"),
                    }
                )
                return
            summary = backup_restore(actor=actor, archive=Path(archive), force=force)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _(
                "Restored the backup made at %(created)s: %(engine)s database and %(files)d "
                "files (%(removed)d files not in the backup removed)."
            )
            % {
                "created": summary.created_at,
                "engine": ENGINE_NAMES[summary.engine],
                "files": summary.files,
                "removed": summary.files_removed,
            }
        )
        for warning in summary.warnings:
            self.stderr.write(warning)
