"""Periods of a release schedule: 2025 (annual), 2025-S1, 2025-Q3, 2025-07 (monthly).

A Period is a small immutable value: it parses and prints its key, knows its first and last day,
and enumerates the periods of a year for a periodicity.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from satudata.catalog.choices import Periodicity

_PATTERNS = {
    Periodicity.ANNUAL: re.compile(r"^(\d{4})$"),
    Periodicity.SEMESTER: re.compile(r"^(\d{4})-S([12])$"),
    Periodicity.QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    Periodicity.MONTHLY: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
}
# Months in one period of each periodicity.
_MONTHS = {
    Periodicity.ANNUAL: 12,
    Periodicity.SEMESTER: 6,
    Periodicity.QUARTERLY: 3,
    Periodicity.MONTHLY: 1,
}
MIN_YEAR, MAX_YEAR = 1900, 2999


class InvalidPeriod(ValueError):
    """A string that is no period key (a 404 in a URL, an error in an upload)."""


@dataclass(frozen=True, order=True)
class Period:
    """One period of a periodicity: year and its index within the year (1-based)."""

    year: int
    index: int
    periodicity: str

    @classmethod
    def parse(cls, key: str, periodicity: str | None = None) -> Period:
        """Read a key such as "2025-Q3"; with `periodicity` given, the key must be of it."""
        key = (key or "").strip().upper()
        kinds = [Periodicity(periodicity)] if periodicity else list(_PATTERNS)
        for kind in kinds:
            match = _PATTERNS[kind].match(key)
            if match:
                year = int(match.group(1))
                if not MIN_YEAR <= year <= MAX_YEAR:
                    break
                index = int(match.group(2)) if kind != Periodicity.ANNUAL else 1
                return cls(year, index, kind.value)
        raise InvalidPeriod(key)

    @classmethod
    def of_year(cls, year: int, periodicity: str) -> list[Period]:
        """Every period of a periodicity within a calendar year, in order."""
        count = 12 // _MONTHS[Periodicity(periodicity)]
        return [cls(year, i, Periodicity(periodicity).value) for i in range(1, count + 1)]

    @property
    def key(self) -> str:
        kind = Periodicity(self.periodicity)
        if kind == Periodicity.ANNUAL:
            return f"{self.year}"
        if kind == Periodicity.SEMESTER:
            return f"{self.year}-S{self.index}"
        if kind == Periodicity.QUARTERLY:
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def start(self) -> dt.date:
        months = _MONTHS[Periodicity(self.periodicity)]
        return dt.date(self.year, (self.index - 1) * months + 1, 1)

    @property
    def end(self) -> dt.date:
        months = _MONTHS[Periodicity(self.periodicity)]
        month = self.index * months
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        return self.key
