"""`satudata load-regions`: load a region and everything under it (Kemendagri codes)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from satudata.catalog.services import regions_load
from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError


class Command(BaseCommand):
    help = "Load a region and its kecamatan and villages from a Kemendagri code,name CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--root", default=settings.REGION_CODE, help="e.g. 35.10")
        parser.add_argument(
            "--file", type=Path, help="a code,name CSV (default: the shipped 2025 list)"
        )

    def handle(self, *args: Any, root: str, file: Path | None, **options: Any) -> None:
        text = None
        if file is not None:
            try:
                text = file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            created = regions_load(
                actor=SystemActor(f"cli:{getpass.getuser()}"), root=root, text=text
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{created} regions added under {root}.")
