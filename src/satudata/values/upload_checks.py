"""Checks of an uploaded values file: items, periods, regions, breakdowns and numbers.

Every problem is collected with the place the user finds it (sheet, row, column as Excel
counts them) and what to type instead; nothing here writes. The reading of XLSX and CSV files
(values.imports) hands each cell to a `Checker`, which resolves what it names against data
loaded once per upload.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from satudata.catalog.models import DataItem, Region
from satudata.catalog.permissions import can_view_item
from satudata.catalog.selectors import decree_for_year
from satudata.core.actors import SystemActor
from satudata.schedule.models import PeriodLock
from satudata.schedule.periods import InvalidPeriod, Period
from satudata.values.cells import CellPlan, breakdown_key, breakdown_keys
from satudata.values.choices import ValueStatus
from satudata.values.numbers import InvalidNumber, parse_number
from satudata.values.permissions import can_edit_values
from satudata.values.spreadsheets import KEY_NO_BREAKDOWN, STATUS_WORDS

MAX_ERRORS = 200
# What the checks, the save and the summary read of an item (not its long metadata texts).
ITEM_FIELDS = (
    "id",
    "decree_id",
    "code",
    "name",
    "unit",
    "periodicity",
    "level",
    "accessibility",
    "agency__id",
    "agency__name",
)

_STATUS_INDEX = {
    **{word.lower(): status for status, word in STATUS_WORDS.items()},
    **{status.value: status.value for status in ValueStatus},
    **{str(status.label).lower(): status.value for status in ValueStatus},
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, where the user finds it (rows counted as Excel counts)."""

    sheet: str  # "" for a CSV file
    row: int | None
    column: str  # the column letter (XLSX) or name (CSV); "" for the file as a whole
    message: str

    def __str__(self) -> str:
        where = {"sheet": self.sheet, "row": self.row, "column": self.column}
        if self.sheet and self.row:
            place = _("Sheet %(sheet)s, row %(row)s, column %(column)s") % where
        elif self.sheet:
            place = _("Sheet %(sheet)s") % where
        elif self.row:
            place = _("Row %(row)s, column %(column)s") % where
        else:
            return self.message
        return f"{place}: {self.message}"


class Problems:
    """Collects problems up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.truncated = False

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        if len(self.items) >= MAX_ERRORS:
            self.truncated = True
        else:
            self.items.append(Problem(sheet, row, column, message))

    @property
    def full(self) -> bool:
        return self.truncated


# --- Located cells ------------------------------------------------------------------------


class Where(NamedTuple):
    """A place in the file: sheet ("" for CSV), row, column letter (XLSX) or name (CSV)."""

    sheet: str
    row: int
    column: str


class Cell(NamedTuple):
    """One checked value of the file. None for status, note or source keeps the stored one."""

    region: str
    breakdown: str
    value: Decimal
    where: Where
    status: str | None = None
    note: str | None = None
    source: str | None = None


@dataclass
class Group:
    """The cells of one item for one period, and the first place the file names them."""

    item: DataItem
    period: Period
    where: Where
    key: str = ""  # the period's key, kept: Period.key is computed on every call
    cells: list[Cell] = field(default_factory=list)
    saved: int = 0

    def __post_init__(self) -> None:
        self.key = self.period.key


# --- The checker ---------------------------------------------------------------------------


class Checker:
    """Resolves what the file names against the database (each thing loaded once)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        # The command line acts as the system, which may fill any agency's items.
        self.trusted = isinstance(user, SystemActor)
        self.problems = Problems()
        self.plan = CellPlan()
        self.today = timezone.localdate()
        self.groups: dict[tuple[int, str], Group] = {}
        self._numbers: dict[Any, Decimal] = {}
        self.seen: dict[tuple[int, str, str, str], Where] = {}
        self._items: dict[tuple[int, str], DataItem | None] = {}
        self._decrees: dict[int, Any] = {}
        self._loaded: set[int] = set()
        self._keys: dict[int, dict[str, str]] = {}
        self._regions: dict[str, set[str]] = {}
        self._locked: set[str] | None = None

    # Items and periods.

    def group(self, code: str, period_text: str, at: Where, period_at: Where) -> Group | None:
        """The item and period a sheet or row names; None (and a problem) when unusable."""
        add = self.problems.add
        if not code:
            add(at.sheet, at.row, at.column, _("The data code is empty. Type the item's code."))
            return None
        try:
            any_period = Period.parse(period_text)
        except InvalidPeriod:
            add(
                period_at.sheet,
                period_at.row,
                period_at.column,
                _(
                    '"%(period)s" is not a period. Type it like 2025 (annual), 2025-S1, '
                    "2025-Q3 or 2025-07 (monthly)."
                )
                % {"period": period_text},
            )
            return None
        item = self._item(any_period.year, code)
        if item is None or not (self.trusted or can_view_item(self.user, item)):
            add(
                at.sheet,
                at.row,
                at.column,
                _(
                    'No data item has the code "%(code)s" in the data list of %(year)s. Use the '
                    "template downloaded from the portal."
                )
                % {"code": code, "year": any_period.year},
            )
            return None
        if not (self.trusted or can_edit_values(self.user, item)):
            add(
                at.sheet,
                at.row,
                at.column,
                _(
                    "You may not enter values of %(code)s: it belongs to %(agency)s. Upload only "
                    "your own agency's template."
                )
                % {"code": item.code, "agency": item.agency.name},
            )
            return None
        try:
            period = Period.parse(period_text, item.periodicity)
        except InvalidPeriod:
            add(
                period_at.sheet,
                period_at.row,
                period_at.column,
                _(
                    "%(period)s is not a period of %(code)s, which is %(periodicity)s. Use the "
                    "template of a %(periodicity)s period."
                )
                % {
                    "period": any_period.key,
                    "code": item.code,
                    "periodicity": str(item.get_periodicity_display()).lower(),
                },
            )
            return None
        if not self._open(period, period_at):
            return None
        key = (item.pk, period.key)
        if key not in self.groups:
            self.groups[key] = Group(item=item, period=period, where=at)
        return self.groups[key]

    def _item(self, year: int, code: str) -> DataItem | None:
        decree = self._decrees.get(year)
        if year not in self._decrees:
            decree = self._decrees[year] = decree_for_year(year)
        if decree is None:
            return None
        if decree.pk not in self._loaded:
            # The whole list at once: one query instead of one per sheet (a few thousand rows).
            self._loaded.add(decree.pk)
            items = (
                DataItem.objects.filter(decree=decree)
                .select_related("agency")
                .prefetch_related("breakdowns")
                .only(*ITEM_FIELDS)
            )
            self._items.update({(decree.pk, i.code): i for i in items})
        return self._items.get((decree.pk, code))

    def _open(self, period: Period, at: Where) -> bool:
        if self._locked is None:
            self._locked = set(PeriodLock.objects.values_list("period", flat=True))
        if period.start > self.today:
            message = _(
                "The period %(period)s has not started: its values can be entered from %(date)s."
            ) % {"period": period.key, "date": date_format(period.start, "SHORT_DATE_FORMAT")}
        elif period.key in self._locked:
            message = _(
                "The period %(period)s is closed for entry by the walidata. Ask the walidata "
                "if a value must still change."
            ) % {"period": period.key}
        else:
            return True
        self.problems.add(at.sheet, at.row, at.column, message)
        return False

    # Cells.

    def item_keys(self, item: DataItem) -> dict[str, str]:
        """The item's breakdown keys by their normalised form (names or slugs, any order)."""
        if item.pk not in self._keys:
            breakdowns = list(item.breakdowns.all())
            by_word: dict[str, str] = {}
            for b in breakdowns:
                by_word[_norm(b.slug)] = b.slug
                by_word[_norm(b.name)] = b.slug
            keys: dict[str, str] = {}
            for key in breakdown_keys(breakdowns):
                keys[key] = key
            self._keys[item.pk] = keys
            self._keys[-item.pk] = by_word  # words -> slug, for readable keys
        return self._keys[item.pk]

    def breakdown(self, item: DataItem, text: str) -> str | None:
        """The canonical key of a typed breakdown ("Jenis kelamin=l" -> "jenis-kelamin=L")."""
        keys = self.item_keys(item)
        text = text.strip()
        if text in keys:
            return text
        if text in ("", "-", KEY_NO_BREAKDOWN) and "" in keys:
            return ""
        words = self._keys[-item.pk]
        pairs = []
        for part in re.split(r"[;|]", text):
            if "=" not in part:
                return None
            name, category = (p.strip() for p in part.split("=", 1))
            slug = words.get(_norm(name))
            if slug is None:
                return None
            pairs.append((slug, category))
        candidate = breakdown_key(pairs)
        if candidate in keys:
            return candidate
        lowered = {k.lower(): k for k in keys}
        return lowered.get(candidate.lower())

    def region_ok(self, item: DataItem, code: str, at: Where) -> bool:
        regions = self._regions.get(item.level)
        if regions is None:
            regions = self._regions[item.level] = set(self.plan.regions(item.level))
        if code in regions:
            return True
        if not code:
            message = _("The region code is empty. Keep the codes of the template.")
        else:
            region = Region.objects.filter(code=code).first()
            if region is None:
                message = _(
                    'No region has the code "%(code)s". Keep the codes of the template.'
                ) % {"code": code}
            else:
                message = _(
                    "%(code)s (%(name)s) is not a region at the level of %(item)s "
                    "(%(level)s). Keep the codes of the template."
                ) % {
                    "code": code,
                    "name": region.name,
                    "item": item.code,
                    "level": str(item.get_level_display()).lower(),
                }
        self.problems.add(at.sheet, at.row, at.column, message)
        return False

    def number(self, raw: Any, at: Where) -> Decimal | None:
        if isinstance(raw, dt.date | dt.time | dt.timedelta):
            self.problems.add(
                at.sheet,
                at.row,
                at.column,
                _("The cell holds a date, not a number. Type the number (format the cell as a "
                  "number)."),
            )  # fmt: skip
            return None
        # Spreadsheet numbers repeat (counts, zeros): each distinct one is parsed once.
        known = self._numbers.get(raw) if type(raw) is float else None
        if known is not None:
            return known
        try:
            value = parse_number(raw)
            if type(raw) is float and value is not None:
                self._numbers[raw] = value
            return value
        except InvalidNumber as exc:
            message = str(exc)
            if isinstance(raw, str) and "%" in raw:
                try:
                    bare = parse_number(raw.replace("%", ""))
                except InvalidNumber:
                    bare = None
                if bare is not None:
                    message = _(
                        '"%(text)s" is text, not a number: type %(number)s without the %% sign.'
                    ) % {"text": raw.strip(), "number": raw.replace("%", "").strip()}
            self.problems.add(at.sheet, at.row, at.column, message)
            return None

    def status(self, raw: str, at: Where) -> str | bool | None:
        """The status of a word, None for an empty cell, False (and a problem) otherwise."""
        if not raw:
            return None
        status = _STATUS_INDEX.get(raw.strip().lower())
        if status is None:
            self.problems.add(
                at.sheet,
                at.row,
                at.column,
                _('"%(value)s" is not a status. Type Sementara or Tetap, or leave it empty.')
                % {"value": raw},
            )
            return False
        return status

    def add_cell(self, group: Group, cell: Cell) -> None:
        key = (group.item.id, group.key, cell.region, cell.breakdown)
        first = self.seen.get(key)
        if first is not None:
            at = cell.where
            self.problems.add(
                at.sheet,
                at.row,
                at.column,
                _(
                    "This cell (%(region)s, %(breakdown)s) is also given in %(other)s. Keep one "
                    "of the two."
                )
                % {
                    "region": cell.region,
                    "breakdown": cell.breakdown or "-",
                    "other": place(first),
                },
            )
            return
        self.seen[key] = cell.where
        group.cells.append(cell)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def place(where: Where) -> str:
    values = {"sheet": where.sheet, "row": where.row, "column": where.column}
    if where.sheet:
        return _("sheet %(sheet)s, row %(row)s, column %(column)s") % values
    return _("row %(row)s") % values
