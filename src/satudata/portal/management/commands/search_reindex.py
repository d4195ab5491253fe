"""`satudata search_reindex`: rebuild the portal's full-text search index from scratch."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Rebuild the search index of every portal dataset (after a restore or bulk load)."

    def handle(self, *args: Any, **options: Any) -> None:
        from satudata.portal.search import search_reindex

        started = time.perf_counter()
        # One transaction: searches meanwhile see the old index, never a half-built one.
        with transaction.atomic():
            count = search_reindex()
        self.stdout.write(f"{count} datasets indexed in {time.perf_counter() - started:.1f} s")
