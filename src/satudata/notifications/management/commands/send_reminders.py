"""`satudata send_reminders`: the daily reminder to agencies with overdue data.

Meant for cron once a day; running it again the same day sends nothing more (one daily
reminder per agency per day, held by a unique constraint). It covers the periods of the
current year and of the previous one, whose annual data fall due in this year.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError
from satudata.notifications.choices import ReminderKind
from satudata.notifications.services import reminders_send


class Command(BaseCommand):
    help = "Send today's reminder to every agency with overdue data (safe to run twice)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            help="Year of the periods (repeatable); default: this year and the previous one.",
        )

    def handle(self, *args: Any, year: list[int] | None = None, **options: Any) -> None:
        this_year = timezone.localdate().year
        years = sorted(set(year or [this_year - 1, this_year]))
        actor = SystemActor("daily-reminder")
        for y in years:
            try:
                result = reminders_send(actor=actor, year=y, kind=ReminderKind.DAILY)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            for reminder in result.reminders:
                self.stdout.write(
                    f"{y}: reminded {reminder.agency.name}: {reminder.items_count} overdue "
                    f"item(s), {reminder.recipients_count} recipient(s), "
                    f"{reminder.emails_sent} e-mail address(es)."
                )
            for name in result.skipped:
                self.stdout.write(f"{y}: {name} was already reminded today; skipped.")
            if not result.reminders and not result.skipped:
                self.stdout.write(f"{y}: no agency has overdue data.")
            self.stdout.write(
                f"{y}: {len(result.reminders)} reminder(s) sent, {len(result.skipped)} skipped."
            )
