"""`satudata import-data-list FILE --decree NUMBER`: import a decree's data list from a file."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from satudata.catalog.imports import ImportSummary, data_list_import
from satudata.catalog.models import DataListDecree
from satudata.catalog.services import decree_create
from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import a data list (XLSX or CSV, the columns of the template) into a decree. All rows "
        "or none: on any error nothing is saved and every error is printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--decree", required=True, help="The decree number (SK Daftar Data).")
        parser.add_argument("--create", action="store_true", help="Create the decree first.")
        parser.add_argument("--year", type=int, help="With --create: the list's year.")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="With --create: YYYY-MM-DD.")
        parser.add_argument("--title", help="With --create: the decree's title.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No file at %(path)s.") % {"path": path})
        actor = SystemActor(f"cli:{getpass.getuser()}")
        try:
            # One transaction: a decree created here does not outlive a refused import.
            with transaction.atomic():
                decree = self._decree(actor, options)
                summary = data_list_import(
                    actor=actor,
                    decree=decree,
                    data=path.read_bytes(),
                    filename=path.name,
                    dry_run=options["dry_run"],
                )
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except DomainError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(exc.message) from exc
        self._report(decree, summary)

    def _decree(self, actor: SystemActor, options: dict[str, Any]) -> DataListDecree:
        number = options["decree"]
        existing = DataListDecree.objects.filter(number=number).first()
        if not options["create"]:
            if existing is None:
                raise CommandError(
                    _("No decree has the number %(number)s. Add --create to create it.")
                    % {"number": number}
                )
            return existing
        if existing is not None:
            raise CommandError(
                _("The decree %(number)s exists already; leave out --create.") % {"number": number}
            )
        missing = [f"--{name}" for name in ("year", "date", "title") if not options[name]]
        if missing:
            raise CommandError(_("--create needs %(options)s.") % {"options": ", ".join(missing)})
        return decree_create(
            actor=actor,
            number=number,
            year=options["year"],
            decree_date=options["date"],
            title=options["title"],
        )

    def _report(self, decree: DataListDecree, summary: ImportSummary) -> None:
        if summary.dry_run:
            self.stdout.write(_("Checked only: nothing was saved."))
        self.stdout.write(
            _(
                "%(decree)s: %(rows)s rows; %(created)s added, %(updated)s updated, "
                "%(unchanged)s unchanged; %(absent)s items of the decree not in the file (kept)."
            )
            % {
                "decree": decree.number,
                "rows": summary.rows,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "absent": summary.absent,
            }
        )
        if summary.topics_created:
            self.stdout.write(
                _("New topics: %(names)s") % {"names": ", ".join(summary.topics_created)}
            )
