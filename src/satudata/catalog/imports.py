"""Import of a decree's data list (Daftar Data) from a spreadsheet (XLSX or CSV).

The column spec (`COLUMNS`) is the one place that names the columns: the template
(`catalog.imports_template`), the reader and the validation all follow it. The import is all or
nothing: every problem of the file is collected first, and nothing is written while one exists.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from satudata.accounts.models import Agency
from satudata.audit.models import AuditEntry
from satudata.audit.services import audit_entry, audit_record, snapshot
from satudata.catalog.choices import (
    Accessibility,
    DataType,
    ItemKind,
    Periodicity,
    PresentationLevel,
)
from satudata.catalog.models import Breakdown, DataItem, DataListDecree, Topic
from satudata.catalog.permissions import can_manage_items
from satudata.catalog.services import topic_ensure
from satudata.catalog.signals import SHAPE_FIELDS, items_changed
from satudata.core.actors import require
from satudata.core.errors import DomainError
from satudata.core.metrics import import_counted
from satudata.core.tabular import csv_rows, workbook_sheets

# The sheets of the template; errors point users to them by these names.
DATA_SHEET = "Daftar Data"
GUIDE_SHEET = "Petunjuk"
AGENCY_SHEET = "Produsen Data"
BREAKDOWN_SHEET = "Rincian"

MAX_ERRORS = 200
MAX_ROWS = 20_000
# Title rows above the header are common in regional sheets; look this far for the header.
HEADER_SEARCH_ROWS = 10
BATCH = 500


# --- Cell parsers -------------------------------------------------------------------------


class CellError(DomainError):
    """A cell's value cannot be used; the message says what to type instead."""


@lru_cache(maxsize=4096)  # a column holds few distinct words; a file has thousands of cells
def norm(text: str) -> str:
    """Lower case, words only: "Metode/Rumus  Perhitungan" -> "metode rumus perhitungan"."""
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


# Each value's words: the first is the one the template offers (Indonesian); every word is
# accepted, case and punctuation ignored.
CHOICE_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "data_type": {
        DataType.STATISTIC: ("Statistik", "statistic", "statistical", "statistics", "statistika"),
        DataType.GEOSPATIAL: ("Geospasial", "geospatial", "spasial", "spatial"),
        DataType.FINANCIAL: ("Keuangan", "financial", "finance", "finansial"),
    },
    "kind": {
        ItemKind.INDICATOR: ("Indikator", "indicator"),
        ItemKind.VARIABLE: ("Variabel", "variable"),
    },
    "periodicity": {
        Periodicity.ANNUAL: ("Tahunan", "annual", "yearly", "tahun", "setahun sekali"),
        Periodicity.SEMESTER: (
            "Semesteran",
            "semester",
            "semesterly",
            "semi annual",
            "semiannual",
            "half yearly",
            "enam bulanan",
            "6 bulanan",
        ),
        Periodicity.QUARTERLY: (
            "Triwulanan",
            "quarterly",
            "kuartalan",
            "triwulan",
            "kuartal",
            "tiga bulanan",
            "3 bulanan",
        ),
        Periodicity.MONTHLY: ("Bulanan", "monthly", "bulan", "per bulan"),
    },
    "level": {
        PresentationLevel.REGENCY: (
            "Kabupaten",
            "regency",
            "kabupaten kota",
            "kab",
            "kota",
            "city",
        ),
        PresentationLevel.DISTRICT: ("Kecamatan", "district", "kec"),
        PresentationLevel.VILLAGE: ("Desa", "village", "kelurahan", "desa kelurahan"),
    },
    "accessibility": {
        Accessibility.OPEN: ("Terbuka", "open", "publik", "public"),
        Accessibility.LIMITED: ("Terbatas", "limited", "restricted"),
        Accessibility.CLOSED: ("Tertutup", "closed", "dikecualikan", "rahasia"),
    },
}
YES_WORDS = ("Ya", "yes", "y", "iya", "true", "benar", "1")
NO_WORDS = ("Tidak", "no", "n", "tdk", "false", "salah", "bukan", "0")

_CHOICE_INDEX = {
    name: {norm(w): value for value, words in table.items() for w in words}
    for name, table in CHOICE_WORDS.items()
}
_YES_NO_INDEX = {**{norm(w): True for w in YES_WORDS}, **{norm(w): False for w in NO_WORDS}}


def choice_labels(name: str) -> list[str]:
    """The words the template offers for a choice column, in order."""
    return [words[0] for words in CHOICE_WORDS[name].values()]


def parse_choice(name: str, raw: Any) -> str:
    """The stored value for a choice cell ("Triwulanan", "quarterly" -> "quarterly")."""
    value = _CHOICE_INDEX[name].get(norm(str(raw)))
    if value is None:
        raise CellError(
            _('"%(value)s" is not an accepted value. Type one of: %(allowed)s.')
            % {"value": str(raw).strip(), "allowed": ", ".join(choice_labels(name))}
        )
    return str(value)


def parse_yes_no(raw: Any) -> bool:
    """True or False for a Ya/Tidak cell; an empty cell is Tidak."""
    key = norm(str(raw))
    if not key:
        return False
    value = _YES_NO_INDEX.get(key)
    if value is None:
        raise CellError(
            _('"%(value)s" is not an accepted value. Type Ya or Tidak.')
            % {"value": str(raw).strip()}
        )
    return value


_url_validator = URLValidator(schemes=["http", "https"])


def parse_url(raw: str) -> str:
    """A web address, or "" for an empty cell."""
    value = raw.strip()
    if value:
        try:
            _url_validator(value)
        except ValidationError:
            raise CellError(
                _(
                    '"%(value)s" is not a web address. Type a full address starting with '
                    "https://, or leave the cell empty."
                )
                % {"value": value}
            ) from None
    return value


def parse_tags(raw: str) -> str:
    """Tags separated by "," or ";", stored comma-separated."""
    return ", ".join(t.strip() for t in re.split(r"[,;]", raw) if t.strip())


# --- Column spec --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the data list: its fixed label, the item field and how to read it."""

    label: str
    field: str
    kind: str = "text"  # text | choice | bool | url | tags | agency | topic | breakdowns
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str | Promise = ""
    example: str = ""
    width: int = 20

    @property
    def max_length(self) -> int | None:
        if self.kind in ("agency", "breakdowns"):
            return None
        if self.kind == "topic":
            return Topic._meta.get_field("name").max_length
        return getattr(DataItem._meta.get_field(self.field), "max_length", None)


C = Column
COLUMNS: tuple[Column, ...] = (
    C("Kode", "code", required=True, synonyms=("kode data", "id", "id data"), width=14,
      example="DD-2026-0001",
      help=gettext_lazy("The item's code, unique in the decree. Rows are matched to the "
                        "decree's items by this code: a new code adds an item.")),
    C("Nama Data", "name", required=True, width=40, example="Jumlah tenaga kesehatan",
      synonyms=("nama indikator", "nama variabel", "nama indikator variabel", "uraian data"),
      help=gettext_lazy("The name of the data (the indicator or variable).")),
    C("Kode Produsen Data", "agency", "agency", required=True, width=16, example="1.02.01",
      synonyms=("produsen data", "produsen", "opd", "kode opd", "perangkat daerah",
                "kode perangkat daerah", "skpd", "kode skpd"),
      help=gettext_lazy("The producing agency (Perangkat Daerah): its code, or its exact "
                        "name.")),
    C("Jenis Data", "data_type", "choice", width=14, example="Statistik",
      help=gettext_lazy("The type of data. Empty means Statistik.")),
    C("Indikator/Variabel", "kind", "choice", width=14, example="Indikator",
      synonyms=("indikator atau variabel", "jenis indikator variabel"),
      help=gettext_lazy("Whether the item is an indicator or a variable. Empty means "
                        "Indikator.")),
    C("Definisi", "definition", width=40, example="Banyaknya tenaga kesehatan yang bekerja.",
      help=gettext_lazy("The definition of the data.")),
    C("Satuan", "unit", required=True, width=12, example="orang",
      help=gettext_lazy("The unit of the values.")),
    C("Periodisitas", "periodicity", "choice", required=True, width=14, example="Tahunan",
      synonyms=("periode", "frekuensi", "jadwal pemutakhiran", "periodisitas data"),
      help=gettext_lazy("How often the data is released.")),
    C("Tingkat Penyajian", "level", "choice", required=True, width=16, example="Kecamatan",
      synonyms=("level penyajian", "tingkat penyajian data", "wilayah penyajian"),
      help=gettext_lazy("The region level the values are given at.")),
    C("Rincian", "breakdowns", "breakdowns", width=24, example="Jenis Kelamin",
      synonyms=("disagregasi", "rincian data"),
      help=gettext_lazy("The breakdowns of the values, by name or code, separated by \";\". "
                        "Empty means no breakdown.")),
    C("Kegiatan Sumber", "source_activity", width=30, example="Pendataan SDM Kesehatan",
      synonyms=("kegiatan penghasil", "sumber data", "kegiatan"),
      help=gettext_lazy("The statistical activity that produces the data.")),
    C("Kode Kegiatan", "activity_code", width=14,
      help=gettext_lazy("The activity's code (from BPS's Romantik), when it has one.")),
    C("Topik", "topic", "topic", width=18, example="Kesehatan", synonyms=("sektor",),
      help=gettext_lazy("The sector the item belongs to on the portal. A new name adds the "
                        "topic.")),
    C("Tag", "tags", "tags", width=20, example="nakes, puskesmas", synonyms=("tags",
      "kata kunci"),
      help=gettext_lazy("Keywords, separated by commas.")),
    C("Sifat Data", "accessibility", "choice", required=True, width=12, example="Terbuka",
      synonyms=("aksesibilitas", "sifat", "klasifikasi akses"),
      help=gettext_lazy("Who may see the values: Terbuka (everyone), Terbatas (on an approved "
                        "request), Tertutup (exempt information, never published).")),
    C("Dasar Hukum Sifat Data", "accessibility_reason", width=30,
      example="UU 14/2008 pasal 17 huruf h", synonyms=("dasar hukum", "alasan pengecualian"),
      help=gettext_lazy("The legal ground of a Terbatas or Tertutup class; required for "
                        "them.")),
    C("Rujukan Sumber", "source_reference", synonyms=("referensi sumber",),
      help=gettext_lazy("The source reference of the row in the regional data list.")),
    C("Kode Indikator", "indicator_code", width=14,
      help=gettext_lazy("The indicator's code in the planning documents.")),
    C("Kode Data Standar", "standard_data_code", width=14, synonyms=("kode standar data",),
      help=gettext_lazy("The code of the data standard the item follows.")),
    C("Kategori Perencanaan", "planning_category",
      help=gettext_lazy("The planning category (e.g. RPJMD, SPM).")),
    C("Kode Metadata", "metadata_code", width=14,
      help=gettext_lazy("The code of the item's metadata form.")),
    C("Tautan Portal Daerah", "portal_url", "url", width=30,
      synonyms=("link portal daerah", "url portal daerah"),
      help=gettext_lazy("The address of the dataset on the regional portal.")),
    C("Tautan Portal SDI", "sdi_url", "url", width=30,
      synonyms=("link portal sdi", "url portal sdi", "tautan sdi"),
      help=gettext_lazy("The address of the dataset on the national Satu Data Indonesia "
                        "portal.")),
    C("Konsep", "concept", width=30, help=gettext_lazy("BPS metadata: the concept.")),
    C("Interpretasi", "interpretation", width=30,
      help=gettext_lazy("BPS metadata: how to read the values.")),
    C("Metode/Rumus Perhitungan", "formula", width=30,
      synonyms=("rumus perhitungan", "metode perhitungan", "rumus"),
      help=gettext_lazy("BPS metadata: the calculation method or formula.")),
    C("Ukuran", "measure", width=14,
      help=gettext_lazy("BPS metadata: the measure (e.g. jumlah, persentase, rasio).")),
    C("Klasifikasi Penyajian", "classification", width=24,
      help=gettext_lazy("BPS metadata: the classifications the values are presented by.")),
    C("Indikator Komposit", "is_composite", "bool", width=12, example="Tidak",
      help=gettext_lazy("BPS metadata: whether the indicator is built from others. Empty "
                        "means Tidak.")),
    C("Publikasi Ketersediaan Indikator Pembangun", "composite_published", "bool", width=14,
      synonyms=("publikasi indikator pembangun",),
      help=gettext_lazy("BPS metadata: whether the building indicators are published. Empty "
                        "means Tidak.")),
    C("Nama Indikator Pembangun", "composite_indicators", width=24,
      help=gettext_lazy("BPS metadata: the names of the building indicators.")),
    C("Nama Variabel Pembangun", "composite_variables", width=24,
      help=gettext_lazy("BPS metadata: the names of the building variables.")),
    C("Level Estimasi", "estimation_level", width=16,
      help=gettext_lazy("BPS metadata: the level the values are estimated at.")),
    C("Alias", "alias", width=16, help=gettext_lazy("BPS metadata: another name of the "
                                                    "variable.")),
    C("Referensi Pemilihan", "reference_choice", width=20,
      help=gettext_lazy("BPS metadata: the selection reference of the variable.")),
    C("Referensi Waktu", "reference_period", width=16,
      help=gettext_lazy("BPS metadata: the reference time of the values.")),
    C("Tipe Data", "value_type", width=14,
      help=gettext_lazy("BPS metadata: the value type (e.g. numerik, teks).")),
    C("Klasifikasi Isian", "fill_classification", width=20,
      help=gettext_lazy("BPS metadata: the classification of the answers.")),
    C("Aturan Validasi", "validation_rules", width=24,
      help=gettext_lazy("BPS metadata: the validation rules of the values.")),
    C("Kalimat Pertanyaan", "question_text", width=30,
      help=gettext_lazy("BPS metadata: the question asked to collect the variable.")),
)  # fmt: skip
del C

COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
HEADER = [c.label for c in COLUMNS]
_EXACT = {norm(c.label): c for c in COLUMNS}
_SYNONYM = {norm(s): c for c in COLUMNS for s in c.synonyms}
# Model fields filled straight from a cell (the rest are resolved: agency, topic, breakdowns).
PLAIN_KINDS = frozenset({"text", "choice", "bool", "url", "tags"})


# --- Errors --------------------------------------------------------------------------------


class Problem(NamedTuple):
    """One thing wrong in the file, where the user sees it (row 1 is the header)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _('Row %(row)s, column "%(column)s": %(message)s') % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


# --- Reading --------------------------------------------------------------------------------


@dataclass
class Table:
    """The data sheet as text: which field each column holds, and the non-empty rows."""

    header_row: int
    columns: dict[str, int]  # field -> column index
    rows: list[tuple[int, list[str]]]  # (row number as the user sees it, cells)

    def cell(self, cells: list[str], name: str) -> str:
        index = self.columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text the user typed (1.0 -> "1", dates ISO)."""
    if type(value) is str:
        return value.replace("\r\n", "\n").strip() if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _refuse(message: str) -> DomainError:
    """A problem with the file as a whole (not one cell): one message, no row list."""
    return DomainError(message)


def _read_xlsx(data: bytes) -> list[list[Any]]:
    _, sheets = workbook_sheets(data, only=DATA_SHEET)
    return next(iter(sheets.values()))


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv_rows(data))


def _file_kind(data: bytes, filename: str) -> str:
    """ "xlsx" or "csv", judged by the content; refuses anything else."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    wrong_type = _(
        "The file is not a spreadsheet this page reads. Upload the template filled in, saved "
        "as .xlsx (Excel) or .csv."
    )
    if data[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise _refuse(wrong_type) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise _refuse(wrong_type)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(
            _("The file is in the old Excel format (.xls). Save it as .xlsx and upload again.")
        )
    if extension in ("xlsx", "xlsm") or b"\x00" in data[:4096]:
        raise _refuse(wrong_type)
    if extension not in ("", "csv", "txt"):
        raise _refuse(wrong_type)
    return "csv"


def _find_header(grid: list[list[Any]]) -> tuple[int, dict[str, int]]:
    """The header row's index and field -> column index; refuses a sheet without one."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        labels = [_cell_text(v) for v in row]
        columns: dict[str, int] = {}
        duplicates: list[str] = []
        for position, label in enumerate(labels):
            column = _EXACT.get(norm(re.sub(r"\(.*?\)", " ", label)))
            if column is None:
                continue
            if column.field in columns:
                duplicates.append(column.label)
            else:
                columns[column.field] = position
        # Synonyms only fill fields that no exact label names ("Nama Indikator" beside
        # "Nama Data" stays an extra column).
        for position, label in enumerate(labels):
            column = _SYNONYM.get(norm(re.sub(r"\(.*?\)", " ", label)))
            if column is not None and column.field not in columns:
                columns[column.field] = position
        if len(columns) >= 3:
            if duplicates:
                raise _refuse(
                    _(
                        'The column "%(column)s" appears twice in the header (row %(row)s). '
                        "Keep one."
                    )
                    % {"column": duplicates[0], "row": index + 1}
                )
            best = (index, columns)
            break
    if best is None:
        raise _refuse(
            _(
                "No header row was found. Row 1 must hold the column names of the template "
                "(Kode, Nama Data, Kode Produsen Data, ...)."
            )
        )
    index, columns = best
    missing = [c.label for c in COLUMNS if c.required and c.field not in columns]
    if missing:
        raise _refuse(
            _(
                "The header (row %(row)s) lacks required columns: %(columns)s. Add them, or "
                "start from the template."
            )
            % {"row": index + 1, "columns": ", ".join(missing)}
        )
    return index, columns


def read_table(data: bytes, filename: str = "") -> Table:
    """The data sheet of an uploaded XLSX or CSV file; refuses what cannot be a data list."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MB. A data list fits well below that.")
            % {"limit": round(settings.MAX_UPLOAD_BYTES / 1024 / 1024, 1)}
        )
    kind = _file_kind(data, filename)
    grid = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    header_index, columns = _find_header(grid)
    rows = []
    for index in range(header_index + 1, len(grid)):
        cells = [_cell_text(v) for v in grid[index]]
        if any(cells):
            rows.append((index + 1, cells))
    if not rows:
        raise _refuse(_("The file has a header row but no data rows below it."))
    if len(rows) > MAX_ROWS:
        raise _refuse(
            _("The file has more than %(max)s rows. Split it into smaller files.")
            % {"max": f"{MAX_ROWS:,}"}
        )
    return Table(header_row=header_index + 1, columns=columns, rows=rows)


# --- Validation -----------------------------------------------------------------------------


@dataclass
class _Lookups:
    """What rows refer to, loaded once (no per-row queries)."""

    agencies: dict[str, Agency]
    breakdowns: dict[str, int]
    topics: dict[str, int]  # slug and lower-case name -> id

    @classmethod
    def load(cls) -> _Lookups:
        agencies: dict[str, Agency] = {}
        for agency in Agency.objects.only("id", "code", "name", "is_active"):
            agencies[agency.code.strip()] = agency
            agencies.setdefault(" ".join(agency.name.lower().split()), agency)
        breakdowns: dict[str, int] = {}
        for pk, slug, name in Breakdown.objects.values_list("pk", "slug", "name"):
            breakdowns[slug.lower()] = pk
            breakdowns[" ".join(name.lower().split())] = pk
        topics: dict[str, int] = {}
        for pk, slug, name in Topic.objects.values_list("pk", "slug", "name"):
            topics[slug] = pk
            topics[" ".join(name.lower().split())] = pk
        return cls(agencies=agencies, breakdowns=breakdowns, topics=topics)

    def agency(self, raw: str) -> Agency | None:
        return self.agencies.get(raw.strip()) or self.agencies.get(" ".join(raw.lower().split()))

    def topic(self, raw: str) -> int | None:
        return self.topics.get(" ".join(raw.lower().split())) or self.topics.get(slugify(raw))


@dataclass
class _Row:
    """One valid row: the item it makes or changes, and what changes."""

    number: int
    item: DataItem
    is_new: bool
    changed: list[str] = field(default_factory=list)
    before: dict[str, Any] | None = None
    breakdowns: list[int] | None = None  # None: the column is absent, keep the item's
    new_topic: str | None = None  # a topic to create, by name


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, checking only, would do) to the decree's list."""

    rows: int
    created: int
    updated: int
    unchanged: int
    absent: int
    absent_codes: tuple[str, ...] = ()
    topics_created: tuple[str, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Collector:
    """Gathers problems up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.truncated = False

    def add(self, row: int, column: Column, message: str) -> None:
        if len(self.problems) >= MAX_ERRORS:
            self.truncated = True
        else:
            self.problems.append(Problem(row, column.label, message))


def _one_line(raw: str) -> str:
    # A line break typed in a one-line cell becomes a space.
    return " ".join(raw.split())


def _keep(raw: str) -> str:
    return raw


def _parser(column: Column) -> Callable[[str], Any]:
    """The function that turns a cell's text into the field's value (or raises CellError)."""
    if column.kind == "choice":
        default = DataItem._meta.get_field(column.field).get_default()
        return lambda raw: parse_choice(column.field, raw) if raw else default
    if column.kind == "bool":
        return parse_yes_no
    if column.kind == "url":
        return parse_url
    if column.kind == "tags":
        return parse_tags
    if isinstance(DataItem._meta.get_field(column.field), models.TextField):
        return _keep
    return _one_line


def _too_long(length: int, limit: int) -> str:
    return _("The text has %(length)s characters; at most %(max)s fit. Shorten it.") % {
        "length": length,
        "max": limit,
    }


def _empty_message(column: Column) -> str:
    if column.kind == "choice":
        return _("This cell is empty. Type one of: %(allowed)s.") % {
            "allowed": ", ".join(choice_labels(column.field))
        }
    if column.kind == "agency":
        return _('This cell is empty. Type an agency code from the sheet "%(sheet)s".') % {
            "sheet": AGENCY_SHEET
        }
    return _("This cell is empty. Every row needs a value in this column.")


class _Validator:
    """Checks rows against the column rules and the database; writes nothing."""

    def __init__(
        self,
        table: Table,
        decree: DataListDecree,
        existing: dict[str, DataItem],
        links: dict[int, list[int]],
    ) -> None:
        self.table, self.decree, self.existing, self.links = table, decree, existing, links
        self.lookups = _Lookups.load()
        self.errors = _Collector()
        self.seen: dict[str, int] = {}
        # Per present column, prepared once: (column, position, parser, length limit).
        self.plain = [
            (c, table.columns[c.field], _parser(c), c.max_length)
            for c in COLUMNS
            if c.field in table.columns and c.kind in PLAIN_KINDS
        ]
        self.required = [
            (c, table.columns[c.field]) for c in COLUMNS if c.required and c.field in table.columns
        ]

    def run(self) -> tuple[list[_Row], _Collector]:
        rows = []
        for number, cells in self.table.rows:
            if self.errors.truncated:
                break
            row = self.check(number, cells)
            if row is not None:
                rows.append(row)
        return rows, self.errors

    def check(self, number: int, cells: list[str]) -> _Row | None:
        """The planned change of one row, or None when the row has a problem."""
        width = len(cells)
        before = len(self.errors.problems)
        for column, index in self.required:
            if index >= width or not cells[index]:
                self.errors.add(number, column, _empty_message(column))
        values: dict[str, Any] = {}
        for column, index, parse, limit in self.plain:
            raw = cells[index] if index < width else ""
            try:
                value = parse(raw)
            except CellError as exc:
                self.errors.add(number, column, exc.message)
                continue
            if limit and isinstance(value, str) and len(value) > limit:
                self.errors.add(number, column, _too_long(len(value), limit))
                continue
            values[column.field] = value
        code = values.get("code", "")
        item = self.existing.get(code)
        self._check_code(number, code)
        self._resolve_agency(number, cells, item, values)
        breakdown_ids = self._resolve_breakdowns(number, cells)
        new_topic = self._resolve_topic(number, cells, values)
        self._check_reason(number, item, values)
        if len(self.errors.problems) > before or self.errors.truncated:
            return None
        row = _plan_row(number, self.decree, item, values, breakdown_ids, new_topic, self.links)
        if row.is_new or row.changed:
            _full_clean(row, self.errors)
        return row

    def _check_code(self, number: int, code: str) -> None:
        if not code:
            return
        if code in self.seen:
            self.errors.add(
                number,
                COLUMN_BY_FIELD["code"],
                _('The code "%(code)s" is also on row %(other)s. Give each row its own code.')
                % {"code": code, "other": self.seen[code]},
            )
        else:
            self.seen[code] = number

    def _resolve_agency(
        self, number: int, cells: list[str], item: DataItem | None, values: dict[str, Any]
    ) -> None:
        raw = self.table.cell(cells, "agency")
        if not raw:
            return
        column = COLUMN_BY_FIELD["agency"]
        agency = self.lookups.agency(raw)
        if agency is None:
            self.errors.add(
                number,
                column,
                _(
                    'No agency has the code or name "%(value)s". Use a code from the sheet '
                    '"%(sheet)s".'
                )
                % {"value": raw, "sheet": AGENCY_SHEET},
            )
        elif not agency.is_active and (item is None or item.agency_id != agency.pk):
            # An item already with an agency that closed keeps it; no new item may name it.
            self.errors.add(
                number,
                column,
                _(
                    'The agency "%(value)s" is inactive. Choose an active agency from the '
                    'sheet "%(sheet)s".'
                )
                % {"value": raw, "sheet": AGENCY_SHEET},
            )
        else:
            values["agency_id"] = agency.pk

    def _resolve_breakdowns(self, number: int, cells: list[str]) -> list[int] | None:
        if "breakdowns" not in self.table.columns:
            return None
        ids: set[int] = set()
        for name in self.table.cell(cells, "breakdowns").split(";"):
            key = " ".join(name.lower().split())
            if not key:
                continue
            pk = self.lookups.breakdowns.get(key)
            if pk is None:
                self.errors.add(
                    number,
                    COLUMN_BY_FIELD["breakdowns"],
                    _(
                        'No breakdown is named "%(value)s". Use names from the sheet '
                        '"%(sheet)s", separated by ";".'
                    )
                    % {"value": name.strip(), "sheet": BREAKDOWN_SHEET},
                )
            else:
                ids.add(pk)
        return sorted(ids)

    def _resolve_topic(self, number: int, cells: list[str], values: dict[str, Any]) -> str | None:
        """Sets the topic id of a known topic; returns the name of one to create."""
        if "topic" not in self.table.columns:
            return None
        column = COLUMN_BY_FIELD["topic"]
        name = " ".join(self.table.cell(cells, "topic").split())
        if not name:
            values["topic_id"] = None
        elif (topic_id := self.lookups.topic(name)) is not None:
            values["topic_id"] = topic_id
        elif not slugify(name):
            self.errors.add(number, column, _("A topic name needs letters or digits."))
        elif len(name) > (column.max_length or 0):
            self.errors.add(number, column, _too_long(len(name), column.max_length or 0))
        else:
            return name
        return None

    def _check_reason(self, number: int, item: DataItem | None, values: dict[str, Any]) -> None:
        accessibility = values.get("accessibility")
        # Without the column, an existing item keeps its legal ground.
        reason = values.get(
            "accessibility_reason", item.accessibility_reason if item is not None else ""
        )
        if accessibility and accessibility != Accessibility.OPEN and not reason:
            column = COLUMN_BY_FIELD["accessibility_reason"]
            self.errors.add(
                number,
                column,
                _(
                    "A %(class)s item needs the legal ground of its class. Type it in the column "
                    '"%(column)s" (e.g. "UU 14/2008 pasal 17 huruf h").'
                )
                % {
                    "class": CHOICE_WORDS["accessibility"][accessibility][0],
                    "column": column.label,
                },
            )


def _plan_row(
    number: int,
    decree: DataListDecree,
    item: DataItem | None,
    values: dict[str, Any],
    breakdown_ids: list[int] | None,
    new_topic: str | None,
    links: dict[int, list[int]],
) -> _Row:
    if item is None:
        fresh = DataItem(decree=decree, **values)
        return _Row(number, fresh, True, breakdowns=breakdown_ids, new_topic=new_topic)
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    if new_topic is not None:
        changed.append("topic_id")
    old_links = links.get(item.pk, [])
    links_changed = breakdown_ids is not None and breakdown_ids != old_links
    row = _Row(number, item, False, breakdowns=breakdown_ids, new_topic=new_topic)
    if changed or links_changed:
        row.before = _snapshot(item, old_links)
        for name in changed:
            if name in values:
                setattr(item, name, values[name])
        row.changed = changed + (["breakdowns"] if links_changed else [])
    return row


# Foreign keys were resolved from rows loaded once and codes matched against the decree, and web
# addresses went through the same validator in parse_url: their per-row checks (a query each
# for keys and uniqueness) are skipped.
_CLEAN_EXCLUDE = ["decree", "agency", "topic", "portal_url", "sdi_url"]


def _full_clean(row: _Row, errors: _Collector) -> None:
    """The model's own rules, as a last guard; uniqueness and references were checked above."""
    try:
        row.item.full_clean(
            exclude=_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = COLUMN_BY_FIELD.get(name.removesuffix("_id"), COLUMN_BY_FIELD["code"])
            for message in messages:
                errors.add(row.number, column, message)


def _snapshot(item: DataItem, breakdown_ids: list[int]) -> dict[str, Any]:
    # The many-to-many keys come from the links loaded once, not from a query per item.
    data = snapshot(item, exclude=("breakdowns",))
    data["breakdowns"] = sorted(breakdown_ids)
    return data


# --- The service ----------------------------------------------------------------------------


def _raise_problems(errors: _Collector) -> None:
    count = len(errors.problems)
    if errors.truncated:
        message = _(
            "The file has more than %(count)s errors; the first %(count)s are listed. Nothing "
            "was imported."
        ) % {"count": count}
    else:
        message = ngettext(
            "The file has %(count)s error. Nothing was imported.",
            "The file has %(count)s errors. Nothing was imported.",
            count,
        ) % {"count": count}
    raise DomainError(message, errors=list(errors.problems))


@transaction.atomic
def data_list_import(
    *,
    actor: Any,
    decree: DataListDecree,
    data: bytes,
    filename: str = "",
    dry_run: bool = False,
) -> ImportSummary:
    """Create and update a decree's items from a spreadsheet: all rows, or none."""
    require(actor, can_manage_items)
    # One import of a decree at a time: a second waits here rather than racing on codes.
    decree = DataListDecree.objects.select_for_update().get(pk=decree.pk)
    table = read_table(data, filename)
    existing = {item.code: item for item in DataItem.objects.filter(decree=decree)}
    links: dict[int, list[int]] = {}
    through = DataItem.breakdowns.through
    for item_id, breakdown_id in through.objects.filter(dataitem__decree=decree).values_list(
        "dataitem_id", "breakdown_id"
    ):
        links.setdefault(item_id, []).append(breakdown_id)
    for ids in links.values():
        ids.sort()

    rows, errors = _Validator(table, decree, existing, links).run()
    if errors.problems:
        _raise_problems(errors)

    topics_created = _create_topics(actor, rows)
    new = [r for r in rows if r.is_new]
    changed = [r for r in rows if not r.is_new and r.changed]
    DataItem.objects.bulk_create([r.item for r in new], batch_size=BATCH)
    _save_changes(changed)
    _save_links(new, changed, through)

    entries = [
        audit_entry(
            actor=actor,
            action="item_create",
            target=r.item,
            before=None,
            after=_snapshot(r.item, r.breakdowns or []),
        )
        for r in new
    ]
    entries += [
        audit_entry(
            actor=actor,
            action="item_classify" if "accessibility" in r.changed else "item_update",
            target=r.item,
            before=r.before,
            after=_snapshot(
                r.item, r.breakdowns if r.breakdowns is not None else links.get(r.item.pk, [])
            ),
        )
        for r in changed
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)

    in_file = {r.item.code for r in rows}
    absent = sorted(code for code in existing if code not in in_file)
    summary = ImportSummary(
        rows=len(rows),
        created=len(new),
        updated=len(changed),
        unchanged=len(rows) - len(new) - len(changed),
        absent=len(absent),
        absent_codes=tuple(absent),
        topics_created=tuple(topics_created),
        dry_run=dry_run,
    )
    if summary.changed:
        items_changed.send(
            sender=DataItem,
            codes={r.item.code for r in new} | {r.item.code for r in changed},
            reshaped={r.item.pk for r in changed if SHAPE_FIELDS.intersection(r.changed)},
        )
        audit_record(
            actor=actor,
            action="data_list_import",
            target=decree,
            before=None,
            after={
                "file": filename,
                "rows": summary.rows,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "absent": summary.absent,
            },
        )
    import_counted("data_list", rows=summary.rows)  # after commit: a dry run counts nothing
    if dry_run:
        # Everything ran, so the summary is exact; then it is undone.
        transaction.set_rollback(True)
    return summary


def _create_topics(actor: Any, rows: list[_Row]) -> list[str]:
    wanted: dict[str, str] = {}
    for row in rows:
        if row.new_topic is not None:
            wanted.setdefault(slugify(row.new_topic)[:60], row.new_topic)
    ids = {
        slug: topic_ensure(actor=actor, name=name, slug=slug).pk for slug, name in wanted.items()
    }
    for row in rows:
        if row.new_topic is not None:
            row.item.topic_id = ids[slugify(row.new_topic)[:60]]
    return sorted(wanted.values())


def _save_changes(changed: list[_Row]) -> None:
    if not changed:
        return
    now = timezone.now()
    fields: set[str] = set()
    for row in changed:
        row.item.updated_at = now
        fields.update(name for name in row.changed if name != "breakdowns")
    items = [r.item for r in changed]
    if fields:
        DataItem.objects.bulk_update(items, sorted(fields), batch_size=BATCH)
    # One value for every row: a plain UPDATE, not bulk_update's CASE per row (which would
    # also skip auto_now).
    for start in range(0, len(items), BATCH):
        batch = [item.pk for item in items[start : start + BATCH]]
        DataItem.objects.filter(pk__in=batch).update(updated_at=now)


def _save_links(new: list[_Row], changed: list[_Row], through: Any) -> None:
    relinked = [r for r in changed if "breakdowns" in r.changed]
    if relinked:
        through.objects.filter(dataitem_id__in=[r.item.pk for r in relinked]).delete()
    through.objects.bulk_create(
        [
            through(dataitem_id=r.item.pk, breakdown_id=pk)
            for r in [*new, *relinked]
            for pk in r.breakdowns or []
        ],
        batch_size=BATCH,
    )


def item_rows(items: Iterable[DataItem]) -> list[list[str]]:
    """A decree's items as data-list rows (for a template filled with the current list)."""
    reverse = {
        name: {value: words[0] for value, words in table.items()}
        for name, table in CHOICE_WORDS.items()
    }
    rows = []
    for item in items:
        row: list[str] = []
        for column in COLUMNS:
            if column.kind == "agency":
                row.append(item.agency.code)
            elif column.kind == "topic":
                row.append(item.topic.name if item.topic else "")
            elif column.kind == "breakdowns":
                row.append("; ".join(b.name for b in item.breakdowns.all()))
            elif column.kind == "bool":
                row.append("Ya" if getattr(item, column.field) else "Tidak")
            elif column.kind == "choice":
                row.append(reverse[column.field][getattr(item, column.field)])
            else:
                row.append(str(getattr(item, column.field)))
        rows.append(row)
    return rows
