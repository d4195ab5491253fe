"""`satudata notify_late_publications`: tell the person responsible that a step 4-6 is late.

Meant for cron (every quarter of an hour, or hourly: step 6's standard is 60 minutes);
running it again sends nothing new, each late step is notified once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from satudata.core.actors import SystemActor
from satudata.publications.lateness import publication_steps_notify_late


class Command(BaseCommand):
    help = "Notify the responsible person of every publication step that became late (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = publication_steps_notify_late(actor=SystemActor("late-publications"))
        self.stdout.write(f"{count} late step(s) notified.")
