"""`satudata expire_access_grants`: mark approved requests past their expiry as expired.

Run daily (cron). Links stop working at their expiry time anyway; this keeps the record and
the reviewers' list in step with that.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from satudata.access.services import requests_expire
from satudata.core.actors import SystemActor


class Command(BaseCommand):
    help = "Mark approved access requests past their expiry date as expired."

    def handle(self, *args: Any, **options: Any) -> None:
        count = requests_expire(actor=SystemActor("cli:expire_access_grants"))
        self.stdout.write(f"{count} access request(s) expired")
