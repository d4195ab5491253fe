"""BPS metadata (MS Indikator / MS Variabel) for the demo items, written from templates.

A few headline indicators carry their official definitions; the rest get text chosen by the
kind of measure (a count, a percentage, a rate, an index...), so every item reads sensibly
without a hand-written paragraph each.
"""

from __future__ import annotations

from typing import Any

from satudata.catalog.choices import ItemKind, Periodicity, PresentationLevel
from satudata.demo.items import ItemRow

# Names starting with these are indicators (computed from other data); the rest are variables.
INDICATOR_PREFIXES = (
    "Angka",
    "Cakupan",
    "Harapan",
    "Indeks",
    "Kepadatan",
    "Laju",
    "Nilai Tukar",
    "Persentase",
    "Prevalensi",
    "Produktivitas",
    "Rasio",
    "Rata-rata",
    "Skor",
    "Tingkat",
)

PERSON_LIST_PREFIXES = ("Data ", "Daftar ", "Notula ", "Laporan ")

REFERENCE_PERIOD = {
    Periodicity.ANNUAL: "Tahunan: 1 Januari s.d. 31 Desember tahun referensi",
    Periodicity.SEMESTER: "Semesteran: Januari-Juni dan Juli-Desember",
    Periodicity.QUARTERLY: "Triwulanan: keadaan akhir setiap triwulan",
    Periodicity.MONTHLY: "Bulanan: keadaan akhir setiap bulan",
}

ESTIMATION_LEVEL = {
    PresentationLevel.REGENCY: "Kabupaten",
    PresentationLevel.DISTRICT: "Kabupaten, kecamatan",
    PresentationLevel.VILLAGE: "Kabupaten, kecamatan, desa/kelurahan",
}

LEVEL_CLASSIFICATION = {
    PresentationLevel.REGENCY: "Kabupaten Jember",
    PresentationLevel.DISTRICT: "Kecamatan (31 kecamatan, kode Kemendagri)",
    PresentationLevel.VILLAGE: "Desa/kelurahan (248 desa/kelurahan, kode Kemendagri)",
}

# measure, definition, formula, interpretation; {name}, {unit}, {agency} are filled in.
TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    "count": (
        "Jumlah",
        "{name} adalah banyaknya unit yang memenuhi kriteria pencatatan {agency} di wilayah "
        "Kabupaten Jember pada periode referensi, dinyatakan dalam {unit}.",
        "Σ xᵢ, yaitu penjumlahan nilai seluruh wilayah atau kategori i pada periode referensi.",
        "Nilai yang lebih besar menunjukkan jumlah yang lebih banyak; perubahan antarperiode "
        "menggambarkan perkembangan kondisi yang diukur.",
    ),
    "amount": (
        "Besaran",
        "{name} adalah besaran yang dicatat oleh {agency} untuk wilayah Kabupaten Jember pada "
        "periode referensi, dinyatakan dalam {unit}.",
        "Penjumlahan nilai yang tercatat pada seluruh wilayah atau kategori pada periode "
        "referensi.",
        "Dibandingkan antarperiode dan antarwilayah untuk melihat perkembangan dan sebarannya.",
    ),
    "percent": (
        "Persentase",
        "{name} adalah perbandingan antara banyaknya unit yang memenuhi kriteria dengan "
        "seluruh populasi acuan pada periode yang sama, dikalikan seratus.",
        "(Banyaknya unit yang memenuhi kriteria ÷ Banyaknya populasi acuan) × 100%",
        "Makin tinggi nilainya, makin besar bagian populasi acuan yang memenuhi kriteria; "
        "dibandingkan dengan target RPJMD atau Standar Pelayanan Minimal.",
    ),
    "rate": (
        "Angka (rate)",
        "{name} adalah banyaknya kejadian dibandingkan dengan populasi berisiko pada periode "
        "yang sama, dinyatakan {unit}.",
        "(Banyaknya kejadian ÷ Populasi berisiko) × konstanta",
        "Dibandingkan antarperiode dan dengan angka provinsi serta nasional; arah yang baik "
        "bergantung pada kejadian yang diukur.",
    ),
    "ratio": (
        "Rasio",
        "{name} adalah perbandingan antara dua besaran pada periode yang sama.",
        "Besaran pembilang ÷ Besaran penyebut",
        "Nilai rasio dibandingkan dengan standar nasional untuk menilai kecukupan layanan.",
    ),
    "index": (
        "Indeks",
        "{name} adalah ukuran komposit yang disusun dari beberapa dimensi dan indikator "
        "pembangun sesuai metodologi resmi yang berlaku.",
        "Agregasi tertimbang nilai indikator pembangun sesuai pedoman penghitungan resmi.",
        "Makin tinggi nilainya, makin baik capaian yang diukur; dibaca bersama nilai "
        "indikator pembangunnya.",
    ),
    "growth": (
        "Persentase pertumbuhan",
        "{name} adalah perubahan nilai pada periode referensi dibandingkan periode sebelumnya, "
        "dinyatakan dalam persen.",
        "((Xₜ - Xₜ₋₁) ÷ Xₜ₋₁) × 100%",
        "Nilai positif berarti meningkat, negatif berarti menurun dibandingkan periode sebelumnya.",
    ),
    "mean": (
        "Rata-rata",
        "{name} adalah nilai rata-rata dari seluruh unit yang diamati pada periode referensi, "
        "dinyatakan dalam {unit}.",
        "Σ xᵢ ÷ n, dengan n banyaknya unit yang diamati",
        "Dibandingkan antarperiode dan dengan standar pelayanan yang berlaku.",
    ),
    "list": (
        "Daftar",
        "{name} adalah daftar rinci per unit (orang, keluarga atau badan) yang dikelola "
        "{agency} untuk keperluan pelayanan dan penyusunan statistik agregat.",
        "Tidak dihitung; rekapitulasi agregat disusun dengan menjumlahkan unit per wilayah.",
        "Digunakan sebagai dasar intervensi program dan sumber statistik agregat, bukan untuk "
        "dipublikasikan per individu.",
    ),
    "map": (
        "Peta",
        "{name} adalah data geospasial yang menggambarkan sebaran lokasi objek di wilayah "
        "Kabupaten Jember.",
        "Tidak dihitung; disusun dengan digitasi dan verifikasi lapangan.",
        "Dibaca bersama data statistik terkait untuk perencanaan berbasis wilayah.",
    ),
}

# The headline indicators, with their definitions from the national metadata.
OFFICIAL: dict[str, dict[str, Any]] = {
    "Angka Partisipasi Murni (APM) SD/MI": {
        "concept": "Partisipasi sekolah penduduk usia sekolah pada jenjang yang sesuai.",
        "definition": "Proporsi anak usia 7-12 tahun yang bersekolah di SD/MI atau sederajat "
        "terhadap seluruh penduduk usia 7-12 tahun.",
        "formula": "(Jumlah murid SD/MI usia 7-12 tahun ÷ Jumlah penduduk usia 7-12 tahun) × 100%",
        "interpretation": "Makin tinggi APM, makin banyak anak usia 7-12 tahun yang bersekolah "
        "tepat pada jenjangnya; APM 100% berarti semuanya bersekolah di SD/MI.",
        "planning_category": "SDGs",
    },
    "Angka Kematian Ibu": {
        "concept": "Kematian maternal sebagai ukuran mutu pelayanan kesehatan ibu.",
        "definition": "Banyaknya kematian perempuan pada saat hamil atau dalam 42 hari sejak "
        "terminasi kehamilan, yang disebabkan kehamilan atau pengelolaannya, per 100.000 "
        "kelahiran hidup.",
        "formula": "(Jumlah kematian ibu ÷ Jumlah kelahiran hidup) × 100.000",
        "interpretation": "Makin rendah AKI, makin baik pelayanan kesehatan maternal.",
        "indicator_code": "3.1.1",
        "planning_category": "SDGs",
    },
    "Angka Kematian Bayi": {
        "concept": "Kematian bayi sebagai ukuran derajat kesehatan masyarakat.",
        "definition": "Banyaknya kematian bayi berusia di bawah satu tahun per 1.000 kelahiran "
        "hidup pada tahun yang sama.",
        "formula": "(Jumlah kematian bayi usia < 1 tahun ÷ Jumlah kelahiran hidup) × 1.000",
        "interpretation": "Makin rendah AKB, makin baik derajat kesehatan bayi.",
        "planning_category": "SDGs",
    },
    "Cakupan Imunisasi Dasar Lengkap": {
        "concept": "Perlindungan bayi dari penyakit yang dapat dicegah dengan imunisasi.",
        "definition": "Persentase anak usia 0-11 bulan yang telah mendapat imunisasi dasar "
        "lengkap (HB0, BCG, polio, DPT-HB-Hib, campak-rubela) sesuai jadwal.",
        "formula": "(Jumlah bayi yang mendapat imunisasi dasar lengkap ÷ Jumlah bayi yang "
        "bertahan hidup) × 100%",
        "interpretation": "Makin tinggi cakupannya, makin luas perlindungan bayi dari penyakit "
        "yang dapat dicegah dengan imunisasi.",
        "planning_category": "SPM",
    },
    "Prevalensi Balita Stunting": {
        "concept": "Gagal tumbuh akibat kekurangan gizi kronis pada balita.",
        "definition": "Persentase balita dengan panjang atau tinggi badan menurut umur kurang "
        "dari -2 standar deviasi median standar pertumbuhan anak WHO.",
        "formula": "(Jumlah balita stunting ÷ Jumlah balita yang diukur) × 100%",
        "interpretation": "Makin rendah prevalensinya, makin baik status gizi balita.",
        "indicator_code": "2.2.1",
        "planning_category": "SDGs",
    },
    "Persentase Penduduk Miskin": {
        "concept": "Kemiskinan dengan pendekatan kebutuhan dasar (basic needs approach).",
        "definition": "Persentase penduduk yang rata-rata pengeluaran per kapita per bulannya "
        "di bawah garis kemiskinan.",
        "formula": "(Jumlah penduduk miskin ÷ Jumlah penduduk) × 100%",
        "interpretation": "Makin rendah persentasenya, makin sedikit penduduk yang hidup di "
        "bawah garis kemiskinan.",
        "indicator_code": "1.2.1",
        "planning_category": "SDGs",
    },
    "Tingkat Pengangguran Terbuka": {
        "concept": "Angkatan kerja yang tidak bekerja dan sedang mencari pekerjaan atau "
        "mempersiapkan usaha.",
        "definition": "Persentase penganggur terhadap jumlah angkatan kerja.",
        "formula": "(Jumlah penganggur ÷ Jumlah angkatan kerja) × 100%",
        "interpretation": "Makin tinggi TPT, makin banyak angkatan kerja yang tidak terserap "
        "pasar kerja.",
        "indicator_code": "8.5.2",
        "planning_category": "SDGs",
    },
    "Indeks Pembangunan Manusia (IPM)": {
        "concept": "Pembangunan manusia: perluasan pilihan penduduk untuk hidup sehat, "
        "berpengetahuan dan layak.",
        "definition": "Ukuran capaian pembangunan manusia berbasis tiga dimensi dasar: umur "
        "panjang dan hidup sehat, pengetahuan, dan standar hidup layak.",
        "formula": "IPM = ∛(I kesehatan × I pendidikan × I pengeluaran) × 100",
        "interpretation": "IPM ≥ 80 sangat tinggi, 70-80 tinggi, 60-70 sedang, < 60 rendah.",
        "composite_indicators": "Umur Harapan Hidup saat Lahir; Harapan Lama Sekolah; "
        "Rata-rata Lama Sekolah; Pengeluaran per Kapita Disesuaikan",
        "composite_published": True,
        "planning_category": "RPJMD",
    },
    "Persentase Jalan Kabupaten dalam Kondisi Mantap": {
        "concept": "Kemantapan jalan: jalan dalam kondisi baik dan sedang.",
        "definition": "Persentase panjang jalan kabupaten dalam kondisi baik dan sedang "
        "terhadap seluruh panjang jalan kabupaten.",
        "formula": "((Panjang jalan kondisi baik + sedang) ÷ Panjang jalan kabupaten) × 100%",
        "interpretation": "Makin tinggi nilainya, makin besar bagian jaringan jalan kabupaten "
        "yang layak dilalui.",
        "planning_category": "RPJMD",
    },
    "Produksi Padi menurut Kecamatan": {
        "concept": "Produksi padi dalam bentuk gabah kering giling (GKG).",
        "definition": "Banyaknya gabah kering giling hasil panen padi sawah dan padi ladang "
        "pada periode referensi.",
        "formula": "Luas panen × Produktivitas",
        "interpretation": "Dibandingkan dengan kebutuhan konsumsi untuk menilai swasembada "
        "beras daerah.",
        "planning_category": "RPJMD",
    },
}

SPM_TOPICS = frozenset(
    {"pendidikan", "kesehatan", "sosial", "perumahan", "ketertiban-umum", "kebencanaan"}
)


def item_kind(name: str) -> str:
    """Indicator when the name says it is computed (a rate, share, index...), else variable."""
    return ItemKind.INDICATOR if name.startswith(INDICATOR_PREFIXES) else ItemKind.VARIABLE


def _template(row: ItemRow) -> str:
    unit = row.unit.lower()
    if row.name.startswith("Peta "):
        return "map"
    if row.name.startswith(PERSON_LIST_PREFIXES):
        return "list"
    if row.name.startswith("Laju"):
        return "growth"
    if row.name.startswith("Rata-rata"):
        return "mean"
    if unit == "persen":
        return "percent"
    if unit in ("indeks", "skor", "level"):
        return "index"
    if unit == "rasio":
        return "ratio"
    if unit.startswith("per "):
        return "rate"
    if row.name.startswith("Jumlah"):
        return "count"
    return "amount"


def planning_category(row: ItemRow) -> str:
    """The planning document an item serves (SPM, SDGs, RPJMD or the agency's Renstra)."""
    official = OFFICIAL.get(row.name, {})
    if "planning_category" in official:
        return official["planning_category"]
    if item_kind(row.name) == ItemKind.INDICATOR:
        return "SPM" if row.topic in SPM_TOPICS else "RPJMD"
    return "Renstra Perangkat Daerah"


def metadata_for(
    row: ItemRow,
    *,
    agency_name: str,
    source_activity: str,
    breakdowns: list[tuple[str, list[str]]],
) -> dict[str, Any]:
    """The MS Indikator / MS Variabel fields of one row, as DataItem field values."""
    key = _template(row)
    measure, definition, formula, interpretation = TEMPLATES[key]
    words = {"name": row.name, "unit": row.unit, "agency": agency_name}
    kind = item_kind(row.name)
    classes = [LEVEL_CLASSIFICATION[row.level]] + [
        f"{name} ({', '.join(categories)})" for name, categories in breakdowns
    ]
    numeric_decimal = key in ("percent", "rate", "ratio", "index", "growth", "mean")
    fields: dict[str, Any] = {
        "concept": f"{row.name} sebagaimana dicatat dalam kegiatan {source_activity}.",
        "definition": definition.format(**words),
        "interpretation": interpretation,
        "formula": formula,
        "measure": measure,
        "classification": "; ".join(classes),
        "estimation_level": ESTIMATION_LEVEL[row.level],
        "reference_period": REFERENCE_PERIOD[row.periodicity],
        "reference_choice": "Peraturan BPS Nomor 5 Tahun 2020; " + source_activity,
        "value_type": "Numerik (desimal, dua angka di belakang koma)"
        if numeric_decimal
        else "Numerik (bilangan bulat)",
        "validation_rules": "0 ≤ nilai ≤ 100" if key == "percent" else "Nilai tidak negatif",
        "fill_classification": "; ".join(f"{n}: {', '.join(c)}" for n, c in breakdowns),
        "is_composite": key == "index",
    }
    if key in ("list", "map"):
        fields["value_type"] = "Teks dan numerik per baris" if key == "list" else "Geospasial"
        fields["validation_rules"] = "Setiap baris memuat kode wilayah Kemendagri yang sah"
    if key == "index":
        fields["composite_indicators"] = f"Indikator pembangun sesuai metodologi {row.name}"
    if kind == ItemKind.VARIABLE and key not in ("list", "map"):
        fields["question_text"] = (
            f"Berapa nilai {row.name} ({row.unit}) untuk setiap wilayah dan kategori "
            "pada periode referensi?"
        )
    official = OFFICIAL.get(row.name, {})
    fields.update({k: v for k, v in official.items() if k != "planning_category"})
    if official.get("composite_indicators"):
        fields["is_composite"] = True
    if "(" in row.name and row.name.endswith(")"):
        fields["alias"] = row.name.rsplit("(", 1)[1].rstrip(")")[:150]
    return fields
