"""`satudata import_values FILE`: save the values of a filled template (XLSX or CSV)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError
from satudata.values.imports import values_import


class Command(BaseCommand):
    help = (
        "Save the values of a filled values template (XLSX or CSV). All cells or none: on any "
        "error nothing is saved and every error is printed (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        actor = SystemActor(f"cli:{getpass.getuser()}")
        try:
            summary = values_import(actor=actor, data=path.read_bytes(), filename=path.name)
        except DomainError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(exc.message) from exc
        self.stdout.write(summary.text())
        for outcome in summary.items:
            line = f"{outcome.item.code} {outcome.period}: {outcome.status_label} "
            line += f"({outcome.filled}/{outcome.required})"
            if outcome.missing_regions:
                line += " — " + _("missing: %(regions)s") % {"regions": outcome.missing_text}
            self.stdout.write(line)
