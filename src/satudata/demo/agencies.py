"""Jember's Perangkat Daerah: the producing agencies of the demo.

Codes follow the regional unit numbering (urusan.bidang.unit) of Kepmendagri 050-5889/2021;
kecamatan offices are numbered after their Kemendagri district code. Social accounts are
given for some agencies only, as on real agency pages.
"""

from __future__ import annotations

from typing import NamedTuple

from satudata.accounts.choices import AgencyKind


class AgencyRow(NamedTuple):
    """One agency of the demo (before it is created)."""

    code: str
    name: str
    short_name: str
    kind: str
    subdomain: str
    instagram: str = ""
    facebook: str = ""
    x_account: str = ""
    youtube: str = ""


K = AgencyKind

# (code, name, short name, kind, subdomain of jemberkab.go.id, instagram, facebook, x, youtube)
AGENCIES: tuple[AgencyRow, ...] = (
    AgencyRow("4.01.01", "Sekretariat Daerah", "Setda", K.SECRETARIAT, "setda", "setdajember"),
    AgencyRow("4.02.01", "Sekretariat DPRD", "Setwan", K.SECRETARIAT, "dprd", "dprdjember"),
    AgencyRow("6.01.01", "Inspektorat", "Inspektorat", K.INSPECTORATE, "inspektorat"),
    AgencyRow(
        "5.01.01",
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        K.BOARD,
        "bappeda",
        "bappedajember",
        "Bappeda Kabupaten Jember",
    ),
    AgencyRow("5.02.01", "Badan Pengelola Keuangan dan Aset Daerah", "BPKAD", K.BOARD, "bpkad"),
    AgencyRow(
        "5.02.02",
        "Badan Pendapatan Daerah",
        "Bapenda",
        K.BOARD,
        "bapenda",
        "bapendajember",
        "Bapenda Jember",
    ),
    AgencyRow(
        "5.03.01",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        K.BOARD,
        "bkpsdm",
        "bkpsdmjember",
    ),
    AgencyRow(
        "1.05.02",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        K.BOARD,
        "bpbd",
        "bpbdjember",
        "BPBD Kabupaten Jember",
        "bpbdjember",
    ),
    AgencyRow(
        "8.01.01", "Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", K.BOARD, "bakesbangpol"
    ),
    AgencyRow(
        "1.01.01",
        "Dinas Pendidikan",
        "Dispendik",
        K.OFFICE,
        "dispendik",
        "dispendikjember",
        "Dinas Pendidikan Kabupaten Jember",
        "",
        "Dispendik Jember",
    ),
    AgencyRow(
        "1.02.01",
        "Dinas Kesehatan",
        "Dinkes",
        K.OFFICE,
        "dinkes",
        "dinkesjember",
        "Dinas Kesehatan Kabupaten Jember",
        "dinkesjember",
        "Dinkes Jember",
    ),
    AgencyRow(
        "1.03.01",
        "Dinas Pekerjaan Umum Bina Marga dan Sumber Daya Air",
        "DPU BMSDA",
        K.OFFICE,
        "dpubmsda",
        "pubmsdajember",
    ),
    AgencyRow("1.03.02", "Dinas Pekerjaan Umum Cipta Karya", "DPU CK", K.OFFICE, "dpuck"),
    AgencyRow(
        "1.04.01",
        "Dinas Perumahan Rakyat dan Kawasan Permukiman",
        "Disperkim",
        K.OFFICE,
        "disperkim",
    ),
    AgencyRow(
        "1.05.01",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        K.UNIT,
        "satpolpp",
        "satpolppjember",
        "Satpol PP Kabupaten Jember",
    ),
    AgencyRow(
        "1.06.01",
        "Dinas Sosial",
        "Dinsos",
        K.OFFICE,
        "dinsos",
        "dinsosjember",
        "Dinas Sosial Kabupaten Jember",
    ),
    AgencyRow("2.07.01", "Dinas Tenaga Kerja", "Disnaker", K.OFFICE, "disnaker", "disnakerjember"),
    AgencyRow(
        "2.08.01",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana",
        "DP3AKB",
        K.OFFICE,
        "dp3akb",
        "dp3akbjember",
    ),
    AgencyRow("2.09.01", "Dinas Ketahanan Pangan", "DKP", K.OFFICE, "dkp"),
    AgencyRow(
        "2.11.01", "Dinas Lingkungan Hidup", "DLH", K.OFFICE, "dlh", "dlhjember", "DLH Jember"
    ),
    AgencyRow(
        "2.12.01",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dispendukcapil",
        K.OFFICE,
        "dispendukcapil",
        "dispendukcapiljember",
        "Dispendukcapil Jember",
        "dukcapiljember",
    ),
    AgencyRow(
        "2.13.01", "Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", K.OFFICE, "dpmd", "dpmdjember"
    ),
    AgencyRow("2.15.01", "Dinas Perhubungan", "Dishub", K.OFFICE, "dishub", "dishubjember"),
    AgencyRow(
        "2.16.01",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        K.OFFICE,
        "diskominfo",
        "kominfojember",
        "Diskominfo Kabupaten Jember",
        "kominfojember",
        "Jember Kab TV",
    ),
    AgencyRow("2.17.01", "Dinas Koperasi dan Usaha Mikro", "Diskop UM", K.OFFICE, "diskopum"),
    AgencyRow(
        "2.18.01",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        K.OFFICE,
        "dpmptsp",
        "dpmptspjember",
    ),
    AgencyRow(
        "2.19.01", "Dinas Pemuda dan Olahraga", "Dispora", K.OFFICE, "dispora", "disporajember"
    ),
    AgencyRow(
        "3.26.01",
        "Dinas Pariwisata dan Kebudayaan",
        "Disparbud",
        K.OFFICE,
        "disparbud",
        "disparbudjember",
        "Wisata Jember",
        "",
        "Jember Wonderful",
    ),
    AgencyRow(
        "2.23.01", "Dinas Perpustakaan dan Kearsipan", "Disperpusip", K.OFFICE, "disperpusip"
    ),
    AgencyRow("3.25.01", "Dinas Perikanan", "Diskan", K.OFFICE, "diskan"),
    AgencyRow(
        "3.27.01",
        "Dinas Tanaman Pangan, Hortikultura dan Perkebunan",
        "DTPHP",
        K.OFFICE,
        "dtphp",
        "dtphpjember",
    ),
    AgencyRow("3.27.02", "Dinas Peternakan", "Disnak", K.OFFICE, "disnak"),
    AgencyRow(
        "3.30.01",
        "Dinas Perindustrian dan Perdagangan",
        "Disperindag",
        K.OFFICE,
        "disperindag",
        "disperindagjember",
    ),
    AgencyRow(
        "1.02.02",
        "Rumah Sakit Daerah dr. Soebandi",
        "RSD dr. Soebandi",
        K.HOSPITAL,
        "rsdsoebandi",
        "rsdsoebandi",
        "RSD dr. Soebandi Jember",
    ),
    AgencyRow("1.02.03", "Rumah Sakit Daerah Balung", "RSD Balung", K.HOSPITAL, "rsdbalung"),
    AgencyRow("1.02.04", "Rumah Sakit Daerah Kalisat", "RSD Kalisat", K.HOSPITAL, "rsdkalisat"),
)

# The kecamatan offices of the demo: 20 of Jember's 31, so that the whole list stays within
# the 50-60 agencies of a regency's data list. Their names are read from the Region table.
DISTRICT_CODES: tuple[str, ...] = (
    "35.09.01",  # Jombang
    "35.09.02",  # Kencong
    "35.09.04",  # Gumukmas
    "35.09.06",  # Tanggul
    "35.09.08",  # Puger
    "35.09.09",  # Bangsalsari
    "35.09.10",  # Balung
    "35.09.11",  # Wuluhan
    "35.09.12",  # Ambulu
    "35.09.13",  # Rambipuji
    "35.09.16",  # Jenggawah
    "35.09.17",  # Ajung
    "35.09.19",  # Kaliwates
    "35.09.20",  # Patrang
    "35.09.21",  # Sumbersari
    "35.09.22",  # Arjasa
    "35.09.26",  # Mayang
    "35.09.27",  # Kalisat
    "35.09.28",  # Ledokombo
    "35.09.30",  # Silo
)


def district_row(region_code: str, region_name: str) -> AgencyRow:
    """The kecamatan office of a district, named after its Region row."""
    number = region_code.rsplit(".", 1)[1]
    slug = region_name.lower().replace(" ", "")
    return AgencyRow(
        f"7.01.{number}",
        f"Kecamatan {region_name}",
        f"Kec. {region_name}",
        K.DISTRICT,
        f"kec-{slug}",
        f"kecamatan{slug}" if int(number) % 3 == 0 else "",
    )
