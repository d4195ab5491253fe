"""Upload of values from the template (XLSX or CSV): every cell checked first, then all or none.

Reading walks the file's sheets or rows and hands each cell to the checker
(values.upload_checks), which locates every problem (sheet, row, column as the user sees them).
The save goes through `observations_save_many`, all items and periods in one transaction, so a
failure anywhere undoes everything. Only cells that differ from what is stored are passed on:
uploading the same file again changes nothing and writes no audit row. The file is checked
without holding locks; the save then locks each item's fill state and refuses the whole file
when someone saved one of its items and periods in between (two operators at the same moment:
one wins whole, the other is told and saves nothing).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from xlsxwriter.utility import xl_col_to_name

from satudata.accounts.permissions import can
from satudata.accounts.roles import Action
from satudata.catalog.models import DataItem, Region
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.core.metrics import import_counted
from satudata.core.tabular import csv_rows, workbook_sheets
from satudata.schedule.choices import FillStatus
from satudata.schedule.models import FillState
from satudata.schedule.selectors import with_fill_status
from satudata.values.cells import CellPlan
from satudata.values.choices import ValueStatus
from satudata.values.models import Observation
from satudata.values.services import (
    CellValue,
    ConcurrentEdit,
    ItemCells,
    fill_state_for,
    observations_save_many,
)
from satudata.values.spreadsheets import (
    BLOCK,
    CSV_COLUMNS,
    GUIDE_SHEET,
    KEY_MARK,
    KEY_NO_BREAKDOWN,
    KEY_REGION,
    KEY_SHEET,
    LABEL_CODE,
    LABEL_PERIOD,
    LABEL_SOURCE,
    LABEL_STATUS,
)
from satudata.values.upload_checks import Cell, Checker, Group, Problem, Problems, Where

# How far down the header block and the hidden key row may have moved (inserted rows).
HEADER_SEARCH_ROWS = 40
CSV_REQUIRED = ("kode_data", "periode", "kode_wilayah", "rincian", "nilai")
MISSING_REGIONS_SHOWN = 10

__all__ = [
    "CheckedUpload",
    "ItemOutcome",
    "Problem",
    "UploadSummary",
    "file_kind",
    "read_values",
    "values_check",
    "values_import",
    "values_save",
]


# --- Outcome ------------------------------------------------------------------------------


@dataclass
class ItemOutcome:
    """One item and period of the upload after saving: how filled it is now."""

    item: DataItem
    period: str
    saved: int
    filled: int
    required: int
    status: str
    missing_regions: list[str]

    @property
    def status_label(self) -> str:
        return str(FillStatus(self.status).label)

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.filled >= self.required

    @property
    def missing_text(self) -> str:
        shown = self.missing_regions[:MISSING_REGIONS_SHOWN]
        more = len(self.missing_regions) - len(shown)
        text = ", ".join(shown)
        if more:
            text += " " + _("and %(count)s more") % {"count": more}
        return text


@dataclass
class UploadSummary:
    """What an upload saved, and each item's fill state after it."""

    saved: int
    unchanged: int
    items: list[ItemOutcome]

    @property
    def complete(self) -> list[ItemOutcome]:
        return [o for o in self.items if o.complete]

    @property
    def partial(self) -> list[ItemOutcome]:
        return [o for o in self.items if 0 < o.filled < o.required]

    @property
    def empty(self) -> list[ItemOutcome]:
        return [o for o in self.items if o.filled == 0 and o.required > 0]

    def text(self) -> str:
        """ "124 cells saved, 3 items now complete, 1 still partly filled (Sumberjambe missing)"."""
        parts = [
            ngettext("%(n)s cell saved", "%(n)s cells saved", self.saved) % {"n": self.saved},
            ngettext("%(n)s item now complete", "%(n)s items now complete", len(self.complete))
            % {"n": len(self.complete)},
        ]
        if self.partial:
            missing = "; ".join(o.missing_text for o in self.partial[:3])
            parts.append(
                ngettext(
                    "%(n)s still partly filled (%(missing)s missing)",
                    "%(n)s still partly filled (%(missing)s missing)",
                    len(self.partial),
                )
                % {"n": len(self.partial), "missing": missing}
            )
        if self.empty:
            parts.append(
                ngettext("%(n)s still empty", "%(n)s still empty", len(self.empty))
                % {"n": len(self.empty)}
            )
        return ", ".join(parts)


# --- Reading the file ---------------------------------------------------------------------


def _refuse(message: str) -> DomainError:
    return DomainError(message)


def file_kind(data: bytes, filename: str = "") -> str:
    """ "xlsx" or "csv", judged by the content (the name only breaks a tie)."""
    wrong = _(
        "The file is not a spreadsheet this page reads. Upload the values template filled in, "
        "saved as .xlsx (Excel) or .csv."
    )
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise _refuse(wrong) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise _refuse(wrong)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(
            _("The file is in the old Excel format (.xls). Save it as .xlsx and upload again.")
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if b"\x00" in data[:4096] or extension not in ("", "csv", "txt"):
        raise _refuse(wrong)
    return "csv"


def _text(value: Any) -> str:
    """A cell as the text the user typed (a code typed as a number: 35.1 -> "35.1")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


# --- XLSX ---------------------------------------------------------------------------------


def _check_xlsx(checker: Checker, data: bytes) -> None:
    names, sheets = workbook_sheets(data)
    key = _key_sheet(sheets.get(KEY_SHEET))
    data_sheets = [n for n in names if n not in (GUIDE_SHEET, KEY_SHEET)]
    if not data_sheets:
        raise _refuse(_("The workbook has no data sheets. Start from the values template."))
    for name in data_sheets:
        if checker.problems.full:
            return
        _check_sheet(checker, name, sheets[name], key.get(name))


def _key_sheet(rows: list[list[Any]] | None) -> dict[str, tuple[str, str]]:
    """Sheet name -> (item code, period) from the template's hidden key sheet."""
    if not rows or not rows[0] or _text(rows[0][0]) != KEY_MARK:
        return {}
    found = {}
    for row in rows[2:]:
        if len(row) >= 4 and _text(row[0]):
            found[_text(row[0])] = (_text(row[2]), _text(row[3]))
    return found


def _check_sheet(
    checker: Checker, name: str, rows: list[list[Any]], key: tuple[str, str] | None
) -> None:
    add = checker.problems.add
    block: dict[str, tuple[int, str]] = {}
    key_row = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        label = _text(row[0]) if row else ""
        if label in BLOCK and label not in block:
            block[label] = (index, _text(row[1]) if len(row) > 1 else "")
        elif label == KEY_REGION:
            key_row = index
            break
    if LABEL_CODE not in block or LABEL_PERIOD not in block or key_row is None:
        add(
            name,
            None,
            "",
            _(
                "This sheet is not laid out as the values template (its code, period or table "
                "header was removed). Delete the sheet, or download the template again."
            ),
        )
        return
    code_row, code = block[LABEL_CODE]
    period_row, period_text = block[LABEL_PERIOD]
    code_at = Where(name, code_row + 1, "B")
    period_at = Where(name, period_row + 1, "B")
    if key is not None and (key[0] != code or key[1] != period_text):
        add(
            name,
            code_at.row,
            "B",
            _(
                "The code or period of this sheet was changed (the template was made for "
                "%(code)s, %(period)s). Download the template of the period you fill."
            )
            % {"code": key[0], "period": key[1]},
        )
        return
    group = checker.group(code, period_text, code_at, period_at)
    if group is None:
        return
    status = source = None
    if LABEL_STATUS in block:
        status_row, status_text = block[LABEL_STATUS]
        status = checker.status(status_text, Where(name, status_row + 1, "B"))
        if status is False:
            return
    if LABEL_SOURCE in block:
        source = block[LABEL_SOURCE][1] or None
    item = group.item
    keys = checker.item_keys(item)
    header = rows[key_row]
    columns: list[tuple[int, str, str]] = []
    for index in range(2, len(header)):
        text = _text(header[index])
        if not text:
            continue
        canonical = "" if text == KEY_NO_BREAKDOWN else text
        if canonical not in keys:
            add(
                name,
                key_row + 2,
                xl_col_to_name(index),
                _(
                    "The columns of this sheet no longer match the breakdowns of %(code)s (they "
                    "changed since the template was made). Download the template again."
                )
                % {"code": item.code},
            )
            return
        columns.append((index, canonical, xl_col_to_name(index)))
    if not columns:
        add(name, key_row + 2, "C", _("The sheet has no value columns. Download it again."))
        return
    first_key = columns[0][1]
    head_rows = max(1, first_key.count("=")) if first_key else 1
    for index in range(key_row + 1 + head_rows, len(rows)):
        if checker.problems.full:
            return
        _check_row(checker, group, name, index + 1, rows[index], columns, status, source)


def _check_row(
    checker: Checker,
    group: Group,
    sheet: str,
    number: int,
    row: list[Any],
    columns: list[tuple[int, str, str]],
    status: str | None,
    source: str | None,
) -> None:
    """One region's row of an item sheet (the hot loop: 100,000 cells in a large upload)."""
    width = len(row)
    filled = [
        (key, letter, row[index])
        for index, key, letter in columns
        if index < width and row[index] is not None and row[index] != ""
    ]
    if not filled:
        return
    region = _text(row[0])
    if not checker.region_ok(group.item, region, Where(sheet, number, "A")):
        return
    for key, letter, raw in filled:
        at = Where(sheet, number, letter)
        value = checker.number(raw, at)
        if value is not None:
            checker.add_cell(group, Cell(region, key, value, at, status, None, source))


# --- CSV ----------------------------------------------------------------------------------


def _check_csv(checker: Checker, data: bytes) -> None:
    reader = csv_rows(data)
    header: dict[str, int] | None = None
    failed: set[tuple[str, str]] = set()
    for number, row in enumerate(reader, start=1):
        if checker.problems.full:
            return
        if header is None:
            if not any(c.strip() for c in row):
                continue
            header = _csv_header(row, number)
            continue
        if not any(c.strip() for c in row):
            continue
        _check_csv_row(checker, header, number, row, failed)
    if header is None:
        raise _refuse(_("The file is empty."))


def _csv_header(row: list[str], number: int) -> dict[str, int]:
    names = [re.sub(r"[^a-z]+", "_", c.strip().lower()).strip("_") for c in row]
    header = {name: i for i, name in reversed(list(enumerate(names))) if name in CSV_COLUMNS}
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise _refuse(
            _(
                "The header (row %(row)s) lacks the columns %(columns)s. Keep the first row of "
                "the template: %(all)s."
            )
            % {"row": number, "columns": ", ".join(missing), "all": ", ".join(CSV_COLUMNS)}
        )
    return header


def _check_csv_row(
    checker: Checker,
    header: dict[str, int],
    number: int,
    row: list[str],
    failed: set[tuple[str, str]],
) -> None:
    def cell(name: str) -> str | None:
        index = header.get(name)
        if index is None:
            return None
        return row[index].strip() if index < len(row) else ""

    raw_value = cell("nilai") or ""
    if not raw_value:
        return  # an empty value keeps what is stored
    code, period_text = cell("kode_data") or "", cell("periode") or ""
    if (code, period_text) in failed:
        return  # said once, on the first row naming it
    group = checker.group(
        code, period_text, Where("", number, "kode_data"), Where("", number, "periode")
    )
    if group is None:
        failed.add((code, period_text))
        return
    item = group.item
    region = cell("kode_wilayah") or ""
    if not checker.region_ok(item, region, Where("", number, "kode_wilayah")):
        return
    typed = cell("rincian") or ""
    key = checker.breakdown(item, typed)
    if key is None:
        examples = ", ".join(k or "-" for k in list(checker.item_keys(item))[:4])
        checker.problems.add(
            "",
            number,
            "rincian",
            _('"%(value)s" is not a breakdown cell of %(code)s. Type one of: %(examples)s.')
            % {"value": typed, "code": item.code, "examples": examples},
        )
        return
    at = Where("", number, "nilai")
    value = checker.number(raw_value, at)
    status = checker.status(cell("status") or "", Where("", number, "status"))
    if value is None or status is False:
        return
    checker.add_cell(
        group,
        Cell(
            region,
            key,
            value,
            at,
            status=status,
            note=cell("catatan"),
            source=cell("sumber"),
        ),
    )


# --- The service --------------------------------------------------------------------------


def _raise(problems: Problems) -> None:
    count = len(problems.items)
    if problems.truncated:
        message = _(
            "The file has more than %(count)s errors; the first %(count)s are listed. Nothing "
            "was saved."
        ) % {"count": count}
    else:
        message = ngettext(
            "The file has %(count)s error. Nothing was saved.",
            "The file has %(count)s errors. Nothing was saved.",
            count,
        ) % {"count": count}
    raise DomainError(message, errors=list(problems.items))


def read_values(*, user: Any, data: bytes, filename: str = "") -> list[Group]:
    """Every cell of the file checked; DomainError listing all problems when any exists."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB. Split it (e.g. one file per period).")
            % {"limit": round(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)}
        )
    checker = Checker(user)
    if file_kind(data, filename) == "xlsx":
        _check_xlsx(checker, data)
    else:
        _check_csv(checker, data)
    if checker.problems.items:
        _raise(checker.problems)
    if not checker.groups:
        raise _refuse(_("The file holds no values. Type them in the empty cells, then upload."))
    return list(checker.groups.values())


Stored = dict[tuple[str, str], tuple[Decimal, str, str, str]]


def _stored(groups: list[Group]) -> dict[tuple[int, str], Stored]:
    """The stored value, status, note and source of every cell of the groups (one query)."""
    stored: dict[tuple[int, str], Stored] = {(g.item.id, g.key): {} for g in groups}
    rows = Observation.objects.filter(
        item__in=[g.item.pk for g in groups], period__in={g.period.key for g in groups}
    ).values_list("item_id", "period", "region_id", "breakdown_key", "value", "status", "note",
                  "source")  # fmt: skip
    for item_id, period, region, key, value, status, note, source in rows.iterator(chunk_size=5000):
        per = stored.get((item_id, period))
        if per is not None:
            per[(region, key)] = (value, status, note, source)
    return stored


def _changes(group: Group, stored: Stored) -> list[CellValue]:
    """The cells whose value, status, note or source differ from what is stored."""
    changes = []
    for cell in group.cells:
        old = stored.get((cell.region, cell.breakdown))
        old_status, old_note, old_source = (old[1], old[2], old[3]) if old else ("", "", "")
        new = CellValue(
            region=cell.region,
            breakdown=cell.breakdown,
            value=cell.value,
            status=cell.status or old_status or ValueStatus.PRELIMINARY,
            note=old_note if cell.note is None else cell.note[:500],
            source=old_source if cell.source is None else cell.source[:300],
        )
        if old is None or (old[0], old[1], old[2], old[3]) != (
            new.value,
            new.status,
            new.note,
            new.source,
        ):
            changes.append(new)
    return changes


@dataclass
class CheckedUpload:
    """A file read and checked, with the fill-state version of each item and period it names."""

    groups: list[Group]
    versions: dict[tuple[int, str], int]


def values_check(*, actor: Any, data: bytes, filename: str = "") -> CheckedUpload:
    """Read and check every cell of a file (no lock held: a large file takes seconds)."""
    require(actor, lambda u: can(u, Action.VALUES_EDIT))
    groups = read_values(user=actor, data=data, filename=filename)
    return CheckedUpload(groups=groups, versions=_versions(groups))


def values_save(*, actor: Any, checked: CheckedUpload) -> UploadSummary:
    """Save a checked file whole, or refuse it whole when someone saved its items meanwhile."""
    require(actor, lambda u: can(u, Action.VALUES_EDIT))
    groups = checked.groups
    try:
        with transaction.atomic():
            _hold(groups, checked.versions)
            stored = _stored(groups)
            plan = CellPlan()
            saves, changed_groups = [], []
            unchanged = 0
            for group in groups:
                changes = _changes(group, stored[(group.item.id, group.key)])
                unchanged += len(group.cells) - len(changes)
                if changes:
                    saves.append(ItemCells(item=group.item, period=group.key, cells=changes))
                    changed_groups.append(group)
            results = observations_save_many(actor=actor, saves=saves, plan=plan)
            for group, save, result in zip(changed_groups, saves, results, strict=True):
                group.saved = result.changed
                per = stored[(group.item.id, group.key)]
                for change in save.cells:
                    per[(change.region, change.breakdown)] = (
                        Decimal(change.value or 0),
                        change.status,
                        change.note,
                        change.source,
                    )
            saved = sum(r.changed for r in results)
            import_counted("values", rows=saved)  # metrics, once the save commits
            outcomes = _outcomes(groups, stored, plan)
    except IntegrityError:
        # The database's own guard (one value per item, period, region and breakdown; one fill
        # state per period) caught a save the locks did not serialise: refuse it, never a 500.
        raise ConcurrentEdit(
            _(
                "Someone else saved values of the same items and period at the same moment. "
                "Nothing was saved: look at the values now stored, then upload your file again "
                "if it is still right."
            )
        ) from None
    return UploadSummary(saved=saved, unchanged=unchanged, items=outcomes)


def values_import(*, actor: Any, data: bytes, filename: str = "") -> UploadSummary:
    """Save the values of an uploaded template: every cell valid, or nothing saved."""
    checked = values_check(actor=actor, data=data, filename=filename)
    return values_save(actor=actor, checked=checked)


def _versions(groups: list[Group]) -> dict[tuple[int, str], int]:
    """The fill-state version of each item and period of the file (0: never saved)."""
    versions = {(g.item.id, g.key): 0 for g in groups}
    rows = FillState.objects.filter(
        item__in=[g.item.pk for g in groups], period__in={g.key for g in groups}
    ).values_list("item_id", "period", "version")
    for item_id, period, version in rows:
        if (item_id, period) in versions:
            versions[(item_id, period)] = version
    return versions


def _hold(groups: list[Group], versions: dict[tuple[int, str], int]) -> None:
    """Lock the fill state of every item and period of the file, or refuse the whole file.

    Two operators may upload the same agency and period at the same moment: the locks make one
    wait for the other, and the one that waited finds the version moved since its file was
    checked (its summary and its checks were made against values that are gone), so it is
    refused whole and saves nothing. Locks are taken in one order (item, period) so that two
    files sharing items never deadlock.
    """
    for group in sorted(groups, key=lambda g: (g.item.id, g.key)):
        state = fill_state_for(group.item, group.period, lock=True)
        if state.version != versions.get((group.item.id, group.key), 0):
            when = state.last_change_at or timezone.now()
            raise ConcurrentEdit(
                _(
                    "Someone else saved values of %(code)s for %(period)s at %(when)s, while "
                    "your file was being checked. Nothing was saved: look at the values now "
                    "stored, then upload your file again if it is still right."
                )
                % {
                    "code": group.item.code,
                    "period": group.key,
                    "when": date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT"),
                }
            )


def _outcomes(
    groups: list[Group], stored: dict[tuple[int, str], Stored], plan: CellPlan
) -> list[ItemOutcome]:
    """Each item's fill after the save, with the names of regions that still miss a cell."""
    states = {
        (s.item_id, s.period): s.status
        for s in with_fill_status(
            FillState.objects.filter(
                item__in=[g.item.pk for g in groups], period__in={g.period.key for g in groups}
            )
        )
    }
    names: dict[str, str] = {}
    outcomes = []
    for group in sorted(groups, key=lambda g: (g.item.code, g.period)):
        required = plan.cells(group.item)
        have = stored[(group.item.id, group.key)]
        missing_codes = sorted({region for region, key in required if (region, key) not in have})
        unknown = [c for c in missing_codes if c not in names]
        if unknown:
            names.update(Region.objects.filter(code__in=unknown).values_list("code", "name"))
        filled = len(required) - sum(1 for cell in required if cell not in have)
        status = states.get((group.item.pk, group.period.key))
        if status is None:
            status = _status_by_count(filled, len(required))
        outcomes.append(
            ItemOutcome(
                item=group.item,
                period=group.period.key,
                saved=group.saved,
                filled=filled,
                required=len(required),
                status=status,
                missing_regions=[names.get(c, c) for c in missing_codes],
            )
        )
    return outcomes


def _status_by_count(filled: int, required: int) -> str:
    if required and filled >= required:
        return FillStatus.FILLED
    return FillStatus.PARTIAL if filled else FillStatus.MISSING
