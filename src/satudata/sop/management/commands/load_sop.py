"""`satudata load-sop [FILE]`: load an SOP revision from its JSON file (idempotent)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.services import sop_load


class Command(BaseCommand):
    help = "Load an SOP revision (steps, performers, standard times) from a JSON file."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=DEFAULT_SOP_FILE,
            help="an SOP JSON file (default: the shipped Jember SOP, revision 3)",
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            sop = sop_load(actor=SystemActor(f"cli:{getpass.getuser()}"), path=file)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        state = "in force" if sop.is_current else "kept as history"
        self.stdout.write(f"SOP {sop.number} revision {sop.revision} loaded ({state}).")
