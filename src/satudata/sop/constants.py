"""Constants of the SOP app."""

from __future__ import annotations

from pathlib import Path

# The SOP shipped with the product (Jember's revision 3); another regency loads its own file.
DEFAULT_SOP_FILE = (
    Path(__file__).parent / "data" / "sop-diseminasi-data-statistik-sektoral-rev3.json"
)

# Header fields of a revision, as the loader and the revise form name them.
HEADER_FIELDS = (
    "number",
    "name",
    "made_on",
    "revised_on",
    "ratified_on",
    "ratified_by_name",
    "ratified_by_nip",
    "ratified_by_position",
    "legal_basis",
    "qualifications",
    "related_units",
    "equipment",
    "warnings",
    "recording",
)
STEP_FIELDS = (
    "number",
    "description",
    "performer",
    "requirement",
    "time_amount",
    "time_unit",
    "output",
    "note",
)
# Cycles run per month, quarter or year (the walidata chooses).
CYCLE_PERIODICITIES = ("monthly", "quarterly", "annual")
