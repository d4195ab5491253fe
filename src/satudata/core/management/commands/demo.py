"""`satudata demo [--if-empty]`: load the Jember demo data into an empty database."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from satudata.accounts.models import Agency
from satudata.core.actors import SystemActor
from satudata.core.errors import DomainError
from satudata.demo.loader import JEMBER, DemoSummary, demo_load


class Command(BaseCommand):
    help = (
        "Load the Jember demo: regions, agencies, the 2025 and 2026 data lists, demo users and "
        "five years of values."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has agencies.",
        )
        parser.add_argument(
            "--without-values",
            action="store_true",
            help="Load the data lists and users but no values (much faster).",
        )

    def handle(
        self, *args: Any, if_empty: bool, without_values: bool = False, **options: Any
    ) -> None:
        if Agency.objects.exists():
            if if_empty:
                self.stdout.write(_("The database already has agencies; demo data not loaded."))
                return
            # Loading twice would clash with the agencies and decrees already there.
            raise CommandError(
                _("The database already has agencies; the demo loads only into an empty one.")
            )
        if settings.REGION_CODE != JEMBER:
            raise CommandError(
                _("The demo describes Jember (%(jember)s); REGION_CODE is %(code)s.")
                % {"jember": JEMBER, "code": settings.REGION_CODE}
            )
        started = time.perf_counter()
        try:
            summary = demo_load(
                actor=SystemActor("demo"), root=settings.REGION_CODE, values=not without_values
            )
        except (ValidationError, DomainError) as exc:
            raise CommandError(
                _("The demo could not be loaded: %(error)s") % {"error": exc}
            ) from exc
        self._report(summary, time.perf_counter() - started)

    def _report(self, summary: DemoSummary, seconds: float) -> None:
        items = ", ".join(
            _("%(count)d items for %(year)d") % {"count": n, "year": year}
            for year, n in sorted(summary.items.items())
        )
        self.stdout.write(
            _(
                "Demo loaded in %(seconds).1f s: %(agencies)d agencies, %(topics)d topics, "
                "%(breakdowns)d breakdowns, %(decrees)d decrees (%(items)s)."
            )
            % {
                "seconds": seconds,
                "agencies": summary.agencies,
                "topics": summary.topics,
                "breakdowns": summary.breakdowns,
                "decrees": summary.decrees,
                "items": items,
            }
        )
        if summary.values is not None and summary.values.years:
            self.stdout.write(
                _("%(count)d values for %(first)d-%(last)d.")
                % {
                    "count": summary.values.observations,
                    "first": summary.values.years[0],
                    "last": summary.values.years[-1],
                }
            )
        if summary.portal is not None and summary.portal.published:
            self.stdout.write(
                _(
                    "Portal: %(open)d open datasets published (%(periods)d periods), "
                    "%(limited)d limited datasets listed; embargoed: %(embargo)s."
                )
                % {
                    "open": summary.portal.published,
                    "periods": summary.portal.periods_released,
                    "limited": summary.portal.listed_limited,
                    "embargo": summary.portal.embargoed or "-",
                }
            )
        if summary.publications:
            self.stdout.write(
                _("Publications: %(n)d in every state of steps 4-6.") % {"n": summary.publications}
            )
        header = (_("Username"), _("Role"), _("Agency"), _("Password"))
        rows = [header] + [(a.username, a.role, a.agency, a.password) for a in summary.accounts]
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
        self.stdout.write("")
        for i, row in enumerate(rows):
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
            if i == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(
            _("Sign in at %(url)s") % {"url": settings.SITE_URL.rstrip("/") + reverse("home")}
        )
        self.stdout.write(
            _("The public portal: %(url)s")
            % {"url": settings.SITE_URL.rstrip("/") + reverse("portal-home")}
        )
