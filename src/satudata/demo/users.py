"""The demo accounts: one per SOP role, and a head and an operator for four agencies.

The people are invented; their positions are the ones such accounts have in a regency.
E-mail addresses use the reserved .example domain so a demo never mails anyone.
"""

from __future__ import annotations

from typing import NamedTuple

from satudata.accounts.roles import Role

DEMO_PASSWORD = "demo-jember-2026"


class UserRow(NamedTuple):
    """One demo account (agency given by its code)."""

    username: str
    first_name: str
    last_name: str
    role: str
    agency_code: str | None
    position: str
    is_staff: bool = False


USERS: tuple[UserRow, ...] = (
    UserRow(
        "admin",
        "Bagus",
        "Prasetyo",
        Role.ADMIN,
        None,
        "Administrator Sistem, Bidang Aplikasi Informatika",
        is_staff=True,
    ),
    UserRow(
        "walidata",
        "Dewi",
        "Lestari",
        Role.WALIDATA,
        "2.16.01",
        "Statistisi Ahli Muda, Bidang Statistik dan Persandian",
    ),
    UserRow(
        "bps",
        "Agus",
        "Wicaksono",
        Role.SUPERVISOR,
        None,
        "Statistisi Ahli Madya, BPS Kabupaten Jember",
    ),
    UserRow(
        "kepala.dinkes",
        "Siti",
        "Nurhayati",
        Role.PRODUCER_HEAD,
        "1.02.01",
        "Kepala Dinas Kesehatan",
    ),
    UserRow(
        "operator.dinkes",
        "Rizky",
        "Ramadhan",
        Role.PRODUCER_OPERATOR,
        "1.02.01",
        "Pranata Komputer Ahli Pertama, Sekretariat Dinas Kesehatan",
    ),
    UserRow(
        "kepala.dispendik",
        "Hadi",
        "Susanto",
        Role.PRODUCER_HEAD,
        "1.01.01",
        "Kepala Dinas Pendidikan",
    ),
    UserRow(
        "operator.dispendik",
        "Nur",
        "Aini",
        Role.PRODUCER_OPERATOR,
        "1.01.01",
        "Pengelola Data Pokok Pendidikan, Sekretariat Dinas Pendidikan",
    ),
    UserRow(
        "kepala.dinsos", "Bambang", "Hermawan", Role.PRODUCER_HEAD, "1.06.01", "Kepala Dinas Sosial"
    ),
    UserRow(
        "operator.dinsos",
        "Fitri",
        "Handayani",
        Role.PRODUCER_OPERATOR,
        "1.06.01",
        "Pengelola Data Kesejahteraan Sosial, Bidang Perlindungan dan Jaminan Sosial",
    ),
    UserRow(
        "kepala.dtphp",
        "Imam",
        "Syafi'i",
        Role.PRODUCER_HEAD,
        "3.27.01",
        "Kepala Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
    ),
    UserRow(
        "operator.dtphp",
        "Yuli",
        "Astutik",
        Role.PRODUCER_OPERATOR,
        "3.27.01",
        "Statistisi Pertanian, Bidang Tanaman Pangan",
    ),
)
