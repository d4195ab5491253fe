"""Forms of the entry grid: the period's status, note and source, and the typed cells."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from satudata.catalog.choices import Periodicity
from satudata.values.choices import ValueStatus
from satudata.values.grid import GridLayout, PeriodMeta, StoredCell
from satudata.values.numbers import InvalidNumber, format_number, parse_number
from satudata.values.services import CellValue


class GridMetaForm(forms.Form):
    """What applies to every cell saved: status, note, source; and the version shown."""

    status = forms.ChoiceField(label=_("Status of the values"), choices=ValueStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


def cell_name(row: int, column: int) -> str:
    """The input name of a cell: by position, so region codes never need escaping."""
    return f"c{row}_{column}"


@dataclass
class GridCell:
    name: str
    region: str
    column: str
    text: str  # what the input shows: the stored value formatted, or what was typed
    label: str = ""  # region and column, for screen readers and error messages
    error: str = ""


class GridCells:
    """The grid's cells: shown from the stored values, or read back from a POST."""

    def __init__(
        self,
        layout: GridLayout,
        stored: dict[tuple[str, str], StoredCell],
        data: Any | None = None,
    ) -> None:
        self.layout = layout
        self.stored = stored
        self.cells: list[list[GridCell]] = []
        for r, row in enumerate(layout.rows):
            line = []
            for c, column in enumerate(layout.columns):
                name = cell_name(r, c)
                kept = stored.get((row.code, column))
                text = format_number(kept.value) if kept else ""
                if data is not None:
                    text = str(data.get(name, "")).strip()[:60]
                label = f"{row.name} {layout.column_labels[c]}".strip()
                line.append(GridCell(name, row.code, column, text, label))
            self.cells.append(line)
        self.parsed: dict[tuple[str, str], Decimal | None] = {}

    def is_valid(self) -> bool:
        """Parse every cell; each bad one keeps its text and gets its own message."""
        ok = True
        for line in self.cells:
            for cell in line:
                try:
                    self.parsed[(cell.region, cell.column)] = parse_number(cell.text)
                except InvalidNumber as exc:
                    cell.error = str(exc)
                    ok = False
        return ok

    @property
    def errors(self) -> list[GridCell]:
        return [cell for line in self.cells for cell in line if cell.error]

    def changes(self, meta: PeriodMeta, shown: PeriodMeta) -> list[CellValue]:
        """Only the cells whose content differs from what was shown.

        A changed status, note or source applies to every value of the period, so then each
        filled cell whose own status, note or source differs is saved too.
        """
        meta_changed = meta != shown
        out = []
        for key, value in self.parsed.items():
            kept = self.stored.get(key)
            if kept is None:
                changed = value is not None
            elif value is None or value != kept.value:
                changed = True
            else:
                changed = meta_changed and (kept.status, kept.note, kept.source) != (
                    meta.status,
                    meta.note,
                    meta.source,
                )
            if changed:
                out.append(CellValue(key[0], key[1], value, meta.status, meta.note, meta.source))
        return out


class ValueHomeForm(forms.Form):
    """The values home page's choices: agency (walidata), period kind and year."""

    agency = forms.TypedChoiceField(label=_("Producer"), coerce=int, required=False)
    periodicity = forms.ChoiceField(
        label=_("Periodicity"),
        required=False,
        choices=[("", _("All periodicities")), *Periodicity.choices],
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(
        self, data: Any, *, years: list[int], agencies: list[tuple[int, str]] | None
    ) -> None:
        super().__init__(data)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].choices = [("", _("Choose a producer")), *agencies]
