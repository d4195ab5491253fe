"""The demo's letterhead: Jember's Communication and Informatics Office, as the SOP names it.

The head's name, NIP and rank are those printed on the SOP's ratification (seed text of
SOP "Diseminasi Data Statistik Sektoral", revision 3); the street address is an example.
"""

from __future__ import annotations

from typing import Any

from satudata.core.models import Letterhead
from satudata.core.services import letterhead_update

JEMBER_LETTERHEAD: dict[str, str] = {
    "government": "PEMERINTAH KABUPATEN JEMBER",
    "office": "DINAS KOMUNIKASI DAN INFORMATIKA",
    "address": "Jl. Dharmawangsa No. 6 Jember",
    "city": "Jember",
    "website": "https://diskominfo.jemberkab.go.id",
    "head_name": "REGAR JEANE DN., S.STP, M.Si",
    "head_rank": "Pembina Tingkat I (IV/b)",
    "head_nip": "19830111 200112 1 002",
    "head_position": "Kepala Dinas Komunikasi dan Informatika",
}


def letterhead_demo_load(actor: Any) -> Letterhead:
    """Set Jember's letterhead (through the service, so it is audited like any change)."""
    return letterhead_update(actor=actor, **JEMBER_LETTERHEAD)
