"""A regency at scale, deterministic by seed: 60 agencies, breakdowns and 3,000 data-list rows.

    rows = items(seed=2026)                 # dicts keyed by the template's column labels
    write_xlsx(rows, "daftar-data.xlsx")    # or write_csv / xlsx_bytes
    create_in_database(actor=...)           # the agencies and breakdowns the rows refer to

Row building needs no database; `create_in_database` and the writers need Django set up
(they follow the column spec of satudata.catalog.imports).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path
from typing import Any

OFFICES = [
    "Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Dinas Pendidikan",
    "Dinas Kesehatan", "Dinas Pekerjaan Umum Bina Marga dan Sumber Daya Air",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Satuan Polisi Pamong Praja",
    "Dinas Sosial", "Dinas Tenaga Kerja", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Ketahanan Pangan", "Dinas Lingkungan Hidup", "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Pemberdayaan Masyarakat dan Desa", "Dinas Pengendalian Penduduk dan Keluarga Berencana",
    "Dinas Perhubungan", "Dinas Komunikasi dan Informatika", "Dinas Koperasi dan Usaha Mikro",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Dinas Pemuda dan Olahraga",
    "Dinas Pariwisata dan Kebudayaan", "Dinas Perpustakaan dan Kearsipan", "Dinas Perikanan",
    "Dinas Tanaman Pangan, Hortikultura dan Perkebunan", "Dinas Peternakan",
    "Dinas Perindustrian dan Perdagangan", "Badan Perencanaan Pembangunan Daerah",
    "Badan Pendapatan Daerah",
]  # fmt: skip
DISTRICTS = [
    "Kencong", "Gumukmas", "Puger", "Wuluhan", "Ambulu", "Tempurejo", "Silo", "Mayang",
    "Mumbulsari", "Jenggawah", "Ajung", "Rambipuji", "Balung", "Umbulsari", "Semboro", "Jombang",
    "Sumberbaru", "Tanggul", "Bangsalsari", "Panti", "Sukorambi", "Arjasa", "Pakusari", "Kalisat",
    "Ledokombo", "Sumberjambe", "Sukowono", "Jelbuk", "Kaliwates", "Sumbersari", "Patrang",
]  # fmt: skip
BREAKDOWNS = [
    ("Jenis Kelamin", "jenis-kelamin", ["Laki-laki", "Perempuan"]),
    ("Kelompok Umur", "kelompok-umur", ["0-14", "15-64", "65+"]),
    ("Jenjang Pendidikan", "jenjang-pendidikan", ["SD", "SMP", "SMA", "Perguruan Tinggi"]),
    ("Status Pekerjaan", "status-pekerjaan", ["Bekerja", "Pengangguran", "Bukan angkatan kerja"]),
    ("Daerah", "daerah", ["Perkotaan", "Perdesaan"]),
    ("Komoditas", "komoditas", ["Padi", "Jagung", "Kedelai", "Tembakau", "Kopi"]),
]
TOPICS = [
    "Kesehatan", "Pendidikan", "Kependudukan", "Ketenagakerjaan", "Pertanian", "Infrastruktur",
    "Sosial", "Lingkungan Hidup", "Keuangan Daerah", "Pariwisata", "Perdagangan", "Pemerintahan",
]  # fmt: skip
SUBJECTS = [
    "tenaga kesehatan", "puskesmas", "sekolah dasar", "guru", "murid", "penduduk", "rumah tangga",
    "pencari kerja", "luas panen", "produksi padi", "jalan kabupaten", "jembatan", "bank sampah",
    "penerima bansos", "pendapatan asli daerah", "wisatawan", "pasar rakyat",
    "aparatur sipil negara",
]  # fmt: skip
MEASURES = ["Jumlah", "Persentase", "Rasio", "Rata-rata", "Indeks"]
UNITS = ["orang", "unit", "persen", "km", "ton", "hektare", "rupiah", "rumah tangga"]
PERIODS = ["Tahunan"] * 6 + ["Semesteran", "Triwulanan", "Bulanan"]
LEVELS = ["Kabupaten", "Kecamatan", "Kecamatan", "Desa"]
CLASSES = ["Terbuka"] * 8 + ["Terbatas", "Tertutup"]


def agencies(n: int = 60) -> list[dict[str, str]]:
    """The regency's agencies: its offices, then its district offices (kecamatan)."""
    names = OFFICES + [f"Kecamatan {d}" for d in DISTRICTS]
    assert n <= len(names), f"at most {len(names)} agencies"
    result = []
    for i, name in enumerate(names[:n]):
        code = f"{1 + i // 30}.{1 + i % 30:02d}.01"
        short = "".join(w[0] for w in name.split() if w[0].isupper())[:12] + str(i)
        kind = "kecamatan" if name.startswith("Kecamatan") else "dinas"
        result.append({"code": code, "name": name, "short_name": short, "kind": kind})
    return result


def items(n: int = 3000, *, seed: int = 2026, agency_count: int = 60) -> list[dict[str, str]]:
    """`n` data-list rows keyed by the template's column labels, spread over the agencies."""
    rng = random.Random(seed)
    producers = agencies(agency_count)
    rows = []
    for i in range(n):
        agency = producers[i % len(producers)]
        measure, subject = rng.choice(MEASURES), rng.choice(SUBJECTS)
        accessibility = rng.choice(CLASSES)
        chosen = rng.sample(BREAKDOWNS, rng.choice([0, 0, 1, 1, 2]))
        rows.append(
            {
                "Kode": f"DD-{i + 1:05d}",
                "Nama Data": f"{measure} {subject} menurut {agency['name']} ({i + 1})",
                "Kode Produsen Data": agency["code"],
                "Jenis Data": rng.choice(["Statistik"] * 8 + ["Geospasial", "Keuangan"]),
                "Indikator/Variabel": rng.choice(["Indikator", "Variabel"]),
                "Definisi": f"{measure} {subject} yang tercatat pada akhir periode.",
                "Satuan": rng.choice(UNITS),
                "Periodisitas": rng.choice(PERIODS),
                "Tingkat Penyajian": rng.choice(LEVELS),
                "Rincian": "; ".join(b[0] for b in chosen),
                "Kegiatan Sumber": f"Pendataan {subject}",
                "Kode Kegiatan": f"K{rng.randrange(1000, 9999)}",
                "Topik": rng.choice(TOPICS),
                "Tag": f"{subject}, jember",
                "Sifat Data": accessibility,
                "Dasar Hukum Sifat Data": ""
                if accessibility == "Terbuka"
                else "UU 14/2008 pasal 17 huruf h",
                "Kode Indikator": f"IND.{i + 1:05d}",
                "Konsep": f"Konsep {subject} menurut standar data statistik.",
                "Metode/Rumus Perhitungan": f"{measure} dari seluruh {subject}.",
                "Ukuran": measure,
                "Indikator Komposit": rng.choice(["Ya", "Tidak", "Tidak"]),
                "Referensi Waktu": "31 Desember",
                "Tautan Portal Daerah": f"https://data.jemberkab.go.id/dataset/dd-{i + 1:05d}",
            }
        )
    return rows


def _matrix(rows: list[dict[str, str]]) -> tuple[list[str], list[list[str]]]:
    from satudata.catalog.imports import HEADER

    return HEADER, [[r.get(label, "") for label in HEADER] for r in rows]


def xlsx_bytes(rows: list[dict[str, str]]) -> bytes:
    """The rows as a filled-in data list (sheet "Daftar Data", header on row 1)."""
    import xlsxwriter

    header, matrix = _matrix(rows)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Daftar Data")
    sheet.write_row(0, 0, header)
    for r, values in enumerate(matrix, start=1):
        sheet.write_row(r, 0, values)
    book.close()
    return buffer.getvalue()


def write_xlsx(rows: list[dict[str, str]], path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(xlsx_bytes(rows))
    return path


def write_csv(rows: list[dict[str, str]], path: str | Path) -> Path:
    header, matrix = _matrix(rows)
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(matrix)
    return path


def create_in_database(*, actor: Any, agency_count: int = 60) -> None:
    """The agencies and breakdowns the rows refer to, created through the services."""
    from satudata.accounts.models import Agency
    from satudata.accounts.services import agency_create
    from satudata.catalog.services import breakdown_ensure

    known = set(Agency.objects.values_list("code", flat=True))
    for agency in agencies(agency_count):
        if agency["code"] not in known:
            agency_create(actor=actor, **agency)
    for name, slug, categories in BREAKDOWNS:
        breakdown_ensure(actor=actor, name=name, slug=slug, categories=categories)
