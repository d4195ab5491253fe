"""The 2026 data list of the demo: per agency, the rows of its Daftar Data.

Each agency's rows are a small table, one line per item:

    name | unit | periodicity+level | breakdown slugs | class+reason | topic

periodicity: A annual, S semester, Q quarterly, M monthly; level: K kabupaten, C kecamatan,
D desa/kelurahan; class: empty (open), "L <reason>" (limited) or "C <reason>" (closed), the
reason being a key of REASONS; topic: a slug, the agency's own topic when empty. Restricted
rows are mostly beneficiary-, patient- or person-level lists, as in real regional lists.
"""

# One table row per line reads better than wrapped rows, even past the line limit.
# ruff: noqa: E501

from __future__ import annotations

from typing import NamedTuple

from satudata.catalog.choices import Accessibility, Periodicity, PresentationLevel

# Legal grounds for limited and closed items (UU 14/2008 on public information, article 17).
REASONS: dict[str, str] = {
    "a": "UU 14/2008 pasal 17 huruf a: dapat menghambat proses penegakan hukum",
    "b": "UU 14/2008 pasal 17 huruf b: dapat mengganggu perlindungan dari persaingan usaha "
    "tidak sehat",
    "c": "UU 14/2008 pasal 17 huruf c: dapat membahayakan pertahanan dan keamanan negara",
    "h": "UU 14/2008 pasal 17 huruf h: data pribadi yang dapat mengungkap rahasia pribadi",
    "h1": "UU 14/2008 pasal 17 huruf h angka 1: riwayat dan kondisi anggota keluarga",
    "h2": "UU 14/2008 pasal 17 huruf h angka 2: riwayat, kondisi dan perawatan kesehatan fisik "
    "dan psikis seseorang",
    "h3": "UU 14/2008 pasal 17 huruf h angka 3: kondisi keuangan, aset, pendapatan dan "
    "rekening seseorang",
    "h4": "UU 14/2008 pasal 17 huruf h angka 4: hasil evaluasi kapabilitas, intelektualitas dan "
    "kemampuan seseorang",
    "h5": "UU 14/2008 pasal 17 huruf h angka 5: catatan pribadi yang berkaitan dengan kegiatan "
    "satuan pendidikan",
    "i": "UU 14/2008 pasal 17 huruf i: memorandum atau surat intra badan publik yang menurut "
    "sifatnya dirahasiakan",
    "j-adminduk": "UU 14/2008 pasal 17 huruf j jo. UU 24/2013 pasal 79: data perseorangan "
    "kependudukan wajib dilindungi kerahasiaannya",
    "j-pajak": "UU 14/2008 pasal 17 huruf j: kerahasiaan data wajib pajak daerah yang dilindungi "
    "undang-undang",
}

PERIODICITY = {
    "A": Periodicity.ANNUAL,
    "S": Periodicity.SEMESTER,
    "Q": Periodicity.QUARTERLY,
    "M": Periodicity.MONTHLY,
}
LEVEL = {
    "K": PresentationLevel.REGENCY,
    "C": PresentationLevel.DISTRICT,
    "D": PresentationLevel.VILLAGE,
}
ACCESS = {"L": Accessibility.LIMITED, "C": Accessibility.CLOSED}


class ItemRow(NamedTuple):
    """One row of an agency's data list, before it becomes a DataItem."""

    name: str
    unit: str
    periodicity: str
    level: str
    breakdowns: tuple[str, ...]
    accessibility: str
    reason: str
    topic: str


class AgencyList(NamedTuple):
    """An agency's part of the data list: its usual topic, source activity and rows."""

    topic: str
    source_activity: str
    rows: str


def parse_rows(block: AgencyList) -> list[ItemRow]:
    """The rows of an agency's table, in order."""
    rows = []
    for line in block.rows.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (6 - len(parts))
        name, unit, per_level, breakdowns, access, topic = parts[:6]
        per, level = per_level.split()
        accessibility, reason = Accessibility.OPEN, ""
        if access:
            cls, key = access.split()
            accessibility, reason = ACCESS[cls], REASONS[key]
        rows.append(
            ItemRow(
                name=name,
                unit=unit,
                periodicity=PERIODICITY[per],
                level=LEVEL[level],
                breakdowns=tuple(breakdowns.split()),
                accessibility=accessibility,
                reason=reason,
                topic=topic or block.topic,
            )
        )
    return rows


HOSPITAL_SIMRS = "Sistem Informasi Manajemen Rumah Sakit (SIMRS)"

# Keyed by agency code (agencies.AGENCIES).
AGENCY_LISTS: dict[str, AgencyList] = {
    "4.01.01": AgencyList(
        "pemerintahan",
        "Pengelolaan Data Administrasi Pemerintahan Sekretariat Daerah",
        """
Jumlah Desa dan Kelurahan menurut Kecamatan | desa/kelurahan | A C
Luas Wilayah menurut Kecamatan | km² | A C
Jumlah Produk Hukum Daerah menurut Jenis | dokumen | A K
Jumlah Pengaduan Masyarakat yang Ditindaklanjuti | pengaduan | Q K
Indeks Reformasi Birokrasi | indeks | A K
Data Rencana Pengadaan Barang/Jasa menurut Calon Penyedia | paket | A K | | L b
Notula Rapat Koordinasi Pimpinan Daerah | dokumen | M K | | C i
""",
    ),
    "4.02.01": AgencyList(
        "pemerintahan",
        "Administrasi Persidangan dan Kegiatan DPRD",
        """
Jumlah Anggota DPRD menurut Fraksi dan Jenis Kelamin | orang | A K | jenis-kelamin
Jumlah Peraturan Daerah yang Ditetapkan | perda | A K
Jumlah Aspirasi Masyarakat yang Diterima DPRD | aspirasi | Q K
""",
    ),
    "6.01.01": AgencyList(
        "pemerintahan",
        "Pengawasan Penyelenggaraan Pemerintahan Daerah",
        """
Jumlah Temuan Hasil Pemeriksaan Reguler | temuan | A K
Persentase Tindak Lanjut Rekomendasi Hasil Pemeriksaan | persen | S K
Tingkat Maturitas Sistem Pengendalian Intern Pemerintah (SPIP) | level | A K
Data Pengaduan Masyarakat yang Ditangani Inspektorat | pengaduan | Q K | | L a
Laporan Hasil Pemeriksaan Investigatif | laporan | A K | | C a
""",
    ),
    "5.01.01": AgencyList(
        "perekonomian",
        "Evaluasi Pelaksanaan RPJMD dan RKPD",
        """
Indeks Pembangunan Manusia (IPM) | indeks | A K | | | sosial
Persentase Penduduk Miskin | persen | A K | | | sosial
Laju Pertumbuhan Ekonomi | persen | A K
Produk Domestik Regional Bruto atas Dasar Harga Berlaku menurut Lapangan Usaha | miliar rupiah | A K | lapangan-usaha
Indeks Gini | indeks | A K
Indeks Pembangunan Gender (IPG) | indeks | A K | | | perempuan-anak
Persentase Capaian Indikator Kinerja Utama RPJMD | persen | A K | | | pemerintahan
Angka Harapan Hidup | tahun | A K | jenis-kelamin | | kesehatan
Rata-rata Lama Sekolah | tahun | A K | jenis-kelamin | | pendidikan
Harapan Lama Sekolah | tahun | A K | jenis-kelamin | | pendidikan
""",
    ),
    "5.02.01": AgencyList(
        "keuangan-daerah",
        "Penatausahaan dan Akuntansi Keuangan Daerah",
        """
Realisasi Pendapatan Daerah menurut Jenis Pendapatan | rupiah | Q K | jenis-pendapatan
Realisasi Belanja Daerah menurut Perangkat Daerah | rupiah | Q K
Anggaran Pendapatan dan Belanja Daerah (APBD) | rupiah | A K
Rasio Kemandirian Keuangan Daerah | persen | A K
Opini BPK atas Laporan Keuangan Pemerintah Daerah | opini | A K
Data Saldo Rekening Kas Umum Daerah | rupiah | M K | | L i
Daftar Gaji dan Tunjangan ASN menurut Nama | rupiah | M K | | C h3
""",
    ),
    "5.02.02": AgencyList(
        "keuangan-daerah",
        "Pendataan dan Pemungutan Pajak Daerah",
        """
Realisasi Pajak Daerah menurut Jenis Pajak | rupiah | M K | jenis-pajak
Target dan Realisasi Pendapatan Asli Daerah | rupiah | Q K | jenis-pendapatan
Jumlah Wajib Pajak Daerah Terdaftar menurut Jenis Pajak | wajib pajak | A K | jenis-pajak
Persentase Realisasi PBB-P2 menurut Kecamatan | persen | A C
Tunggakan Pajak Daerah menurut Wajib Pajak | rupiah | A K | | L j-pajak
Data Wajib Pajak Daerah menurut Nama dan NPWPD | wajib pajak | A K | | C j-pajak
""",
    ),
    "5.03.01": AgencyList(
        "pemerintahan",
        "Sistem Informasi Kepegawaian (SIMPEG)",
        """
Jumlah Aparatur Sipil Negara menurut Golongan Ruang dan Jenis Kelamin | orang | S K | golongan-asn jenis-kelamin
Jumlah ASN menurut Pendidikan yang Ditamatkan | orang | S K | pendidikan-ditamatkan
Jumlah ASN menurut Status Kepegawaian | orang | S K | status-kepegawaian
Indeks Profesionalitas ASN | indeks | A K
Hasil Penilaian Kinerja dan Uji Kompetensi ASN menurut Nama | nilai | A K | | L h4
Data Pelanggaran Disiplin ASN | kasus | A K | | L a
Data ASN Penerima Tugas Belajar dan Izin Belajar menurut Nama | orang | A K | | L h5
Data Riwayat Kepegawaian ASN menurut Nama dan NIP | orang | S K | | C h
""",
    ),
    "1.05.02": AgencyList(
        "kebencanaan",
        "Pendataan Kejadian Bencana (Data dan Informasi Bencana Indonesia)",
        """
Jumlah Kejadian Bencana menurut Jenis Bencana dan Kecamatan | kejadian | M C | jenis-bencana
Jumlah Korban Jiwa Akibat Bencana menurut Jenis Bencana | orang | A K | jenis-bencana
Jumlah Rumah Rusak Akibat Bencana menurut Kecamatan | unit | A C
Jumlah Desa Tangguh Bencana | desa | A K
Peta Rawan Bencana Banjir dan Tanah Longsor | peta | A D
Data Pengungsi Korban Bencana menurut Nama dan Alamat | orang | M D | | L h1
""",
    ),
    "8.01.01": AgencyList(
        "pemerintahan",
        "Pembinaan Kesatuan Bangsa dan Politik Dalam Negeri",
        """
Jumlah Organisasi Kemasyarakatan Terdaftar | ormas | A K
Jumlah Kursi DPRD menurut Partai Politik | kursi | A K
Tingkat Partisipasi Pemilih pada Pemilihan Umum | persen | A K
Jumlah Kasus Konflik Sosial | kasus | A K | | L c | ketertiban-umum
Data Pemetaan Kerawanan dan Potensi Konflik Sosial | lokasi | A C | | C c | ketertiban-umum
Data Pemantauan Orang Asing dan Lembaga Asing | orang | Q K | | C c | ketertiban-umum
Data Laporan Kewaspadaan Dini Daerah | laporan | M K | | C c | ketertiban-umum
""",
    ),
    "1.01.01": AgencyList(
        "pendidikan",
        "Data Pokok Pendidikan (Dapodik)",
        """
Angka Partisipasi Kasar (APK) PAUD | persen | A K | jenis-kelamin
Angka Partisipasi Murni (APM) SD/MI | persen | A K | jenis-kelamin
Angka Partisipasi Murni (APM) SMP/MTs | persen | A K | jenis-kelamin
Angka Partisipasi Kasar (APK) SD/MI | persen | A K | jenis-kelamin
Jumlah Sekolah menurut Jenjang Pendidikan dan Status Sekolah | unit | A C | jenjang-pendidikan status-sekolah
Jumlah Murid menurut Jenjang Pendidikan dan Jenis Kelamin | orang | A C | jenjang-pendidikan jenis-kelamin
Jumlah Guru menurut Jenjang Pendidikan dan Status Kepegawaian | orang | A C | jenjang-pendidikan status-kepegawaian
Rasio Murid terhadap Guru menurut Jenjang Pendidikan | rasio | A C | jenjang-pendidikan
Angka Putus Sekolah menurut Jenjang Pendidikan | persen | A K | jenjang-pendidikan jenis-kelamin
Persentase Ruang Kelas dalam Kondisi Baik | persen | A K | jenjang-pendidikan status-sekolah
Jumlah Siswa Penerima Program Indonesia Pintar (PIP) | siswa | A C | jenjang-pendidikan
Data Siswa Putus Sekolah menurut Nama dan Alamat | siswa | S D | | L h5
Data Siswa Penerima Beasiswa Daerah menurut Nama | siswa | A K | | L h3
Data Guru menurut Nama, NUPTK dan Status Sertifikasi | orang | S K | | L h
Data Siswa Penerima Program Indonesia Pintar menurut Nama | siswa | A K | | L h3
""",
    ),
    "1.02.01": AgencyList(
        "kesehatan",
        "Profil Kesehatan Kabupaten Jember",
        """
Angka Kematian Ibu | per 100.000 kelahiran hidup | A K
Jumlah Kematian Ibu menurut Kecamatan | kasus | A C
Angka Kematian Bayi | per 1.000 kelahiran hidup | A K
Cakupan Imunisasi Dasar Lengkap | persen | Q C | jenis-kelamin
Prevalensi Balita Stunting | persen | A C
Jumlah Balita Stunting menurut Desa/Kelurahan | balita | S D | jenis-kelamin
Cakupan Pelayanan Kesehatan Ibu Hamil (K6) | persen | A C
Persentase Persalinan di Fasilitas Pelayanan Kesehatan | persen | A C
Jumlah Fasilitas Kesehatan menurut Jenis dan Kecamatan | unit | A C | fasilitas-kesehatan
Jumlah Tenaga Kesehatan menurut Jenis Tenaga | orang | A K | jenis-kelamin
Jumlah Kasus Demam Berdarah Dengue (DBD) menurut Kecamatan | kasus | M C
Angka Penemuan Kasus Tuberkulosis (Case Detection Rate) | persen | A K
Jumlah Kasus Baru HIV dan AIDS | kasus | A K | jenis-kelamin kelompok-umur
Jumlah Posyandu menurut Strata | unit | A C
Data Balita Stunting menurut Nama dan Alamat | balita | M D | | L h2
Data Ibu Hamil Risiko Tinggi menurut Nama dan Alamat | orang | M D | | L h2
Data Penderita Tuberkulosis menurut Nama dan Alamat | orang | Q D | | L h2
Data Peserta PBI Jaminan Kesehatan Daerah menurut Nama | orang | M K | | L h3
Data Kasus Kejadian Luar Biasa (KLB) menurut Nama Pasien | orang | M K | | L h2
Data Balita Gizi Buruk menurut Nama dan Alamat | balita | M D | | L h2
Data Kematian Ibu dan Bayi menurut Nama (Audit Maternal Perinatal) | kasus | Q K | | L h2
Data Orang dengan HIV/AIDS menurut Nama dan Alamat | orang | Q K | | C h2
Data Orang dengan Gangguan Jiwa Berat menurut Nama dan Alamat | orang | A D | | C h2
""",
    ),
    "1.03.01": AgencyList(
        "infrastruktur",
        "Survei Kondisi Jalan dan Jembatan Kabupaten",
        """
Panjang Jalan Kabupaten menurut Kondisi | km | A K | kondisi-jalan
Persentase Jalan Kabupaten dalam Kondisi Mantap | persen | A K
Jumlah Jembatan Kabupaten menurut Kondisi | unit | A C | kondisi-jalan
Luas Daerah Irigasi Kewenangan Kabupaten | hektare | A C
Persentase Jaringan Irigasi dalam Kondisi Baik | persen | A K
Peta Ruas Jalan Kabupaten | peta | A K
""",
    ),
    "1.03.02": AgencyList(
        "infrastruktur",
        "Pendataan Sarana Air Minum, Sanitasi dan Bangunan Gedung",
        """
Persentase Rumah Tangga dengan Akses Air Minum Layak | persen | A K
Persentase Rumah Tangga dengan Akses Sanitasi Layak | persen | A K
Jumlah Sambungan Rumah Sistem Penyediaan Air Minum | sambungan | A C
Jumlah Persetujuan Bangunan Gedung (PBG) yang Diterbitkan | dokumen | Q C
Peta Rencana Detail Tata Ruang (RDTR) | peta | A K
""",
    ),
    "1.04.01": AgencyList(
        "perumahan",
        "Pendataan Perumahan dan Kawasan Permukiman",
        """
Jumlah Rumah Tidak Layak Huni menurut Kecamatan | unit | A C
Jumlah Rumah Tidak Layak Huni yang Direhabilitasi | unit | A C
Luas Kawasan Permukiman Kumuh | hektare | A C
Persentase Rumah Layak Huni | persen | A K
Data Penerima Bantuan Rehabilitasi Rumah Tidak Layak Huni menurut Nama | orang | A D | | L h3
Data Pemilik Rumah Tidak Layak Huni menurut Nama dan Alamat | orang | A D | | L h3
""",
    ),
    "1.05.01": AgencyList(
        "ketertiban-umum",
        "Penegakan Peraturan Daerah dan Penyelenggaraan Ketertiban Umum",
        """
Jumlah Penegakan Peraturan Daerah | kasus | Q K
Jumlah Anggota Satuan Perlindungan Masyarakat (Satlinmas) | orang | A C | jenis-kelamin
Jumlah Kejadian Kebakaran menurut Kecamatan | kejadian | M C
Rata-rata Waktu Tanggap Penanganan Kebakaran | menit | A K
Data Pelanggar Peraturan Daerah menurut Nama dan Alamat | orang | Q K | | L a
Data Rencana Operasi Penertiban | operasi | M K | | C a
""",
    ),
    "1.06.01": AgencyList(
        "sosial",
        "Data Tunggal Sosial dan Ekonomi Nasional (DTSEN)",
        """
Jumlah Pemerlu Pelayanan Kesejahteraan Sosial (PPKS) menurut Jenis | orang | A C | jenis-pmks
Jumlah Keluarga Penerima Manfaat Program Keluarga Harapan (PKH) | keluarga | Q C
Jumlah Keluarga Penerima Bantuan Pangan Non Tunai (BPNT) | keluarga | Q C
Jumlah Penyandang Disabilitas menurut Jenis Kelamin | orang | A C | jenis-kelamin
Jumlah Lanjut Usia Terlantar yang Mendapat Layanan | orang | A K | jenis-kelamin
Persentase PPKS yang Memperoleh Bantuan Sosial untuk Pemenuhan Kebutuhan Dasar | persen | A K
Jumlah Rumah Tangga dalam DTSEN menurut Desa/Kelurahan | rumah tangga | S D
Data Keluarga Penerima Manfaat PKH menurut Nama dan Alamat | keluarga | Q D | | L h3
Data Penerima BPNT menurut Nama dan Alamat | keluarga | Q D | | L h3
Data Rumah Tangga DTSEN menurut Nama dan NIK | rumah tangga | S D | | L h3
Data Penyandang Disabilitas menurut Nama dan Alamat | orang | A D | | L h2
Data Anak Terlantar dan Anak Jalanan menurut Nama | orang | A K | | L h1
Data Lanjut Usia Terlantar menurut Nama dan Alamat | orang | A D | | L h1
Data Penerima Bantuan Sosial Daerah menurut Nama | orang | A D | | L h3
""",
    ),
    "2.07.01": AgencyList(
        "ketenagakerjaan",
        "Pendataan Pasar Kerja dan Penempatan Tenaga Kerja",
        """
Tingkat Pengangguran Terbuka | persen | A K | jenis-kelamin
Tingkat Partisipasi Angkatan Kerja | persen | A K | jenis-kelamin
Jumlah Pencari Kerja Terdaftar menurut Pendidikan dan Jenis Kelamin | orang | S K | pendidikan-ditamatkan jenis-kelamin
Jumlah Penempatan Tenaga Kerja | orang | S K | jenis-kelamin
Jumlah Pekerja Migran Indonesia menurut Kecamatan Asal | orang | A C | jenis-kelamin
Jumlah Peserta Pelatihan Berbasis Kompetensi | orang | A K | jenis-kelamin
Upah Minimum Kabupaten | rupiah | A K
Data Pencari Kerja (Kartu AK/1) menurut Nama dan Alamat | orang | S K | | L h
Data Pekerja Migran Indonesia menurut Nama dan Negara Penempatan | orang | A K | | L h
Data Peserta Pelatihan Kerja menurut Nama dan Hasil Uji Kompetensi | orang | A K | | L h4
""",
    ),
    "2.08.01": AgencyList(
        "perempuan-anak",
        "Sistem Informasi Online Perlindungan Perempuan dan Anak (SIMFONI-PPA)",
        """
Jumlah Kasus Kekerasan terhadap Perempuan dan Anak menurut Jenis Kekerasan | kasus | Q K | jenis-kekerasan
Persentase Kasus Kekerasan terhadap Perempuan dan Anak yang Ditangani | persen | A K
Indeks Pemberdayaan Gender (IDG) | indeks | A K
Jumlah Peserta KB Aktif menurut Metode Kontrasepsi | orang | M C | metode-kontrasepsi | | keluarga-berencana
Angka Kelahiran Total (Total Fertility Rate) | anak per perempuan | A K | | | keluarga-berencana
Persentase Kebutuhan Ber-KB yang Tidak Terpenuhi (Unmet Need) | persen | A K | | | keluarga-berencana
Jumlah Dispensasi Perkawinan Usia Anak | kasus | A K | jenis-kelamin
Data Keluarga Berisiko Stunting menurut Nama dan Alamat | keluarga | S D | | L h1 | keluarga-berencana
Data Peserta KB Aktif menurut Nama dan Metode Kontrasepsi | orang | S D | | L h2 | keluarga-berencana
Data Korban Kekerasan terhadap Perempuan dan Anak menurut Nama | orang | Q K | | C h1
Data Anak Berhadapan dengan Hukum menurut Nama | orang | Q K | | C a
""",
    ),
    "2.09.01": AgencyList(
        "ketahanan-pangan",
        "Analisis Ketersediaan dan Konsumsi Pangan",
        """
Skor Pola Pangan Harapan (PPH) | skor | A K
Indeks Ketahanan Pangan | indeks | A K
Ketersediaan Energi per Kapita | kkal/kapita/hari | A K
Harga Rata-rata Bahan Pangan Pokok di Tingkat Konsumen | rupiah/kg | M K
Jumlah Desa Rawan Pangan | desa | A C
Peta Ketahanan dan Kerentanan Pangan (FSVA) | peta | A D
""",
    ),
    "2.11.01": AgencyList(
        "lingkungan-hidup",
        "Pemantauan Kualitas Lingkungan Hidup",
        """
Indeks Kualitas Lingkungan Hidup | indeks | A K
Volume Timbulan Sampah menurut Jenis Sampah | ton/hari | A K | jenis-sampah
Persentase Sampah yang Tertangani | persen | A K
Jumlah Bank Sampah Aktif | unit | A C
Luas Ruang Terbuka Hijau Publik | hektare | A K
Data Hasil Pengawasan Ketaatan Usaha terhadap Persetujuan Lingkungan | perusahaan | S K | | L b
""",
    ),
    "2.12.01": AgencyList(
        "kependudukan",
        "Data Konsolidasi Bersih (DKB) SIAK Terpusat",
        """
Jumlah Penduduk menurut Jenis Kelamin | jiwa | S C | jenis-kelamin
Jumlah Penduduk menurut Kelompok Umur dan Jenis Kelamin | jiwa | S K | kelompok-umur jenis-kelamin
Jumlah Penduduk menurut Agama | jiwa | S C | agama
Jumlah Penduduk menurut Pendidikan yang Ditamatkan | jiwa | S K | pendidikan-ditamatkan
Jumlah Kepala Keluarga menurut Desa/Kelurahan | KK | S D
Kepadatan Penduduk menurut Kecamatan | jiwa/km² | A C
Laju Pertumbuhan Penduduk | persen | A K
Persentase Penduduk Wajib KTP yang Memiliki KTP Elektronik | persen | S C
Persentase Anak yang Memiliki Akta Kelahiran | persen | S C
Jumlah Kelahiran dan Kematian yang Tercatat | peristiwa | S K
Data Penduduk menurut Nama, NIK dan Alamat | jiwa | S D | | C j-adminduk
Data Kartu Keluarga menurut Nomor KK dan Anggota Keluarga | KK | S D | | C j-adminduk
Data Biometrik Perekaman KTP Elektronik | jiwa | S K | | C j-adminduk
""",
    ),
    "2.13.01": AgencyList(
        "pemberdayaan-desa",
        "Pendataan Profil Desa dan Indeks Desa",
        """
Jumlah Desa menurut Status Indeks Desa Membangun | desa | A K | status-idm
Indeks Desa Membangun (IDM) menurut Desa | indeks | A D
Jumlah Dana Desa yang Disalurkan | rupiah | S D | | | keuangan-daerah
Jumlah Badan Usaha Milik Desa (BUMDes) Aktif | unit | A C
Jumlah Perangkat Desa menurut Jenis Kelamin dan Pendidikan | orang | A C | jenis-kelamin pendidikan-ditamatkan
Persentase Desa yang Menyampaikan Laporan Pertanggungjawaban APBDes Tepat Waktu | persen | A K
Data Kepala Desa dan Perangkat Desa menurut Nama | orang | A D | | L h
""",
    ),
    "2.15.01": AgencyList(
        "perhubungan",
        "Pendataan Lalu Lintas dan Angkutan Jalan",
        """
Jumlah Kendaraan Bermotor Wajib Uji menurut Jenis Kendaraan | unit | A K | jenis-kendaraan
Jumlah Kendaraan yang Lulus Uji Berkala | unit | M K | jenis-kendaraan
Jumlah Kecelakaan Lalu Lintas | kejadian | Q K
Jumlah Penumpang Terminal Tawang Alun | penumpang | M K
Jumlah Penumpang Bandar Udara Notohadinegoro | penumpang | M K
Pendapatan Retribusi Parkir Tepi Jalan Umum | rupiah | M K
""",
    ),
    "2.16.01": AgencyList(
        "komunikasi-informatika",
        "Pengelolaan Data dan Statistik Sektoral",
        """
Jumlah Desa yang Terjangkau Sinyal Seluler 4G | desa | A C
Jumlah Titik Akses Internet Publik | titik | A C
Indeks Sistem Pemerintahan Berbasis Elektronik (SPBE) | indeks | A K
Jumlah Dataset yang Dipublikasikan di Portal Jember Satu Data | dataset | Q K
Jumlah Aduan Masyarakat melalui Kanal Pengaduan Daring | aduan | M K
Jumlah Permohonan Informasi Publik yang Dilayani PPID | permohonan | Q K
Persentase Perangkat Daerah yang Mengisi Data Statistik Sektoral Tepat Waktu | persen | A K
Data Insiden Keamanan Siber | insiden | M K | | C c
""",
    ),
    "2.17.01": AgencyList(
        "koperasi-umkm",
        "Pendataan Koperasi dan Usaha Mikro",
        """
Jumlah Koperasi Aktif | unit | A K
Jumlah Anggota Koperasi | orang | A K | jenis-kelamin
Volume Usaha Koperasi | rupiah | A K
Jumlah Usaha Mikro menurut Kecamatan | unit | A C
Data Pelaku Usaha Mikro menurut Nama, NIK dan Omzet | unit | A D | | L h3
""",
    ),
    "2.18.01": AgencyList(
        "penanaman-modal",
        "Online Single Submission (OSS) dan Pelayanan Perizinan",
        """
Realisasi Investasi Penanaman Modal Dalam Negeri dan Asing | rupiah | Q K
Jumlah Nomor Induk Berusaha (NIB) yang Diterbitkan menurut Skala Usaha | dokumen | M K | skala-usaha
Jumlah Perizinan yang Diterbitkan menurut Jenis Perizinan | dokumen | M K | jenis-perizinan
Indeks Kepuasan Masyarakat terhadap Pelayanan Perizinan | indeks | S K
Jumlah Proyek Penanaman Modal menurut Kecamatan | proyek | A C
Data Laporan Kegiatan Penanaman Modal (LKPM) menurut Perusahaan | perusahaan | Q K | | L b
Data Pemohon Perizinan menurut Nama dan NIK | orang | M K | | L h
""",
    ),
    "2.19.01": AgencyList(
        "pemuda-olahraga",
        "Pendataan Kepemudaan dan Keolahragaan",
        """
Jumlah Organisasi Kepemudaan | organisasi | A K
Jumlah Atlet Berprestasi menurut Cabang Olahraga | orang | A K | jenis-kelamin
Jumlah Medali pada Kejuaraan Olahraga Provinsi dan Nasional | medali | A K
Data Atlet Penerima Bonus Prestasi menurut Nama | orang | A K | | L h3
Jumlah Sarana dan Prasarana Olahraga | unit | A C
""",
    ),
    "3.26.01": AgencyList(
        "pariwisata",
        "Pendataan Kunjungan Wisata dan Usaha Pariwisata",
        """
Jumlah Kunjungan Wisatawan menurut Asal Wisatawan | kunjungan | M K | asal-wisatawan
Jumlah Daya Tarik Wisata menurut Kecamatan | lokasi | A C
Jumlah Hotel dan Kamar Hotel | unit | A K
Tingkat Penghunian Kamar Hotel | persen | M K
Jumlah Desa Wisata | desa | A K
Jumlah Cagar Budaya yang Ditetapkan | objek | A K | | | kebudayaan
Jumlah Penonton Jember Fashion Carnaval | orang | A K | asal-wisatawan
""",
    ),
    "2.23.01": AgencyList(
        "perpustakaan-kearsipan",
        "Pengelolaan Perpustakaan dan Kearsipan Daerah",
        """
Jumlah Pengunjung Perpustakaan Daerah | orang | M K
Jumlah Koleksi Buku Perpustakaan Daerah | eksemplar | A K
Tingkat Gemar Membaca Masyarakat | indeks | A K
Jumlah Perpustakaan Desa | unit | A C
Daftar Arsip Dinamis yang Dikecualikan | berkas | A K | | C i
""",
    ),
    "3.25.01": AgencyList(
        "perikanan",
        "Statistik Perikanan Kabupaten Jember",
        """
Produksi Perikanan menurut Subsektor | ton | A K | subsektor-perikanan
Produksi Perikanan Tangkap di Laut menurut Tempat Pelelangan Ikan | ton | M K
Produksi Perikanan Budidaya menurut Kecamatan | ton | A C
Jumlah Nelayan menurut Kecamatan | orang | A C
Jumlah Pembudidaya Ikan menurut Kecamatan | orang | A C
Nilai Produksi Perikanan menurut Subsektor | rupiah | A K | subsektor-perikanan
Angka Konsumsi Ikan per Kapita | kg/kapita/tahun | A K
Data Nelayan Penerima Bantuan Sarana Penangkapan menurut Nama | orang | A K | | L h3
Data Pembudidaya Ikan Penerima Bantuan Benih menurut Nama | orang | A K | | L h3
""",
    ),
    "3.27.01": AgencyList(
        "pertanian",
        "Statistik Pertanian (SP) Tanaman Pangan, Hortikultura dan Perkebunan",
        """
Luas Panen Padi menurut Kecamatan | hektare | M C
Produksi Padi menurut Kecamatan | ton | A C
Produktivitas Padi | kuintal/hektare | A C
Luas Panen Tanaman Pangan menurut Komoditas | hektare | A C | komoditas-pangan
Produksi Tanaman Pangan menurut Komoditas | ton | A C | komoditas-pangan
Produksi Hortikultura menurut Komoditas | ton | A C | komoditas-hortikultura
Luas Areal Perkebunan menurut Komoditas | hektare | A C | komoditas-perkebunan
Produksi Perkebunan menurut Komoditas | ton | A C | komoditas-perkebunan
Luas Lahan Sawah menurut Jenis Pengairan | hektare | A C
Jumlah Kelompok Tani dan Gabungan Kelompok Tani | kelompok | A C
Jumlah Penyuluh Pertanian Lapangan | orang | A K | jenis-kelamin
Nilai Tukar Petani | indeks | M K
Realisasi Penyaluran Pupuk Bersubsidi | ton | M C
Harga Gabah di Tingkat Petani | rupiah/kg | M K
Peta Lahan Sawah Dilindungi | peta | A D
Data Petani Penerima Pupuk Bersubsidi (e-RDKK) menurut Nama | orang | A D | | L h3
Data Kelompok Tani Penerima Bantuan Alat dan Mesin Pertanian | kelompok | A K | | L h3
""",
    ),
    "3.27.02": AgencyList(
        "peternakan",
        "Pendataan Populasi dan Produksi Peternakan",
        """
Populasi Ternak menurut Jenis Ternak | ekor | A C | jenis-ternak
Produksi Daging menurut Jenis Ternak | ton | A K | jenis-ternak
Produksi Telur | ton | A K
Produksi Susu Segar | liter | A K
Jumlah Pemotongan Ternak di Rumah Potong Hewan | ekor | M K | jenis-ternak
Jumlah Kasus Penyakit Hewan Menular Strategis | kasus | M C
Cakupan Vaksinasi Penyakit Mulut dan Kuku | persen | A K
Data Peternak Penerima Bantuan Ternak menurut Nama | orang | A K | | L h3
Data Ternak Terjangkit Penyakit Mulut dan Kuku menurut Pemilik | ekor | M D | | L h3
""",
    ),
    "3.30.01": AgencyList(
        "perdagangan",
        "Pendataan Industri, Pasar dan Harga Kebutuhan Pokok",
        """
Jumlah Industri Kecil dan Menengah menurut Kecamatan | unit | A C | skala-usaha | | industri
Jumlah Tenaga Kerja Sektor Industri | orang | A K | jenis-kelamin | | industri
Nilai Produksi Industri Kecil dan Menengah | rupiah | A K | | | industri
Jumlah Pasar Rakyat menurut Kecamatan | unit | A C
Harga Eceran Rata-rata Bahan Pokok Penting | rupiah/kg | M K
Nilai Ekspor menurut Komoditas | US$ | Q K | komoditas-perkebunan
Laju Inflasi Kabupaten Jember | persen | M K | | | perekonomian
Data Pemilik Kios Pasar Rakyat menurut Nama | orang | A K | | L h3
""",
    ),
    "1.02.02": AgencyList(
        "kesehatan",
        HOSPITAL_SIMRS,
        """
Jumlah Kunjungan Pasien Rawat Jalan | kunjungan | M K
Jumlah Pasien Rawat Inap | pasien | M K | jenis-kelamin
Angka Penggunaan Tempat Tidur (Bed Occupancy Rate) | persen | M K
Rata-rata Lama Hari Rawat (Average Length of Stay) | hari | M K
Jumlah Kasus Sepuluh Besar Penyakit Rawat Inap | kasus | A K
Indeks Kepuasan Masyarakat terhadap Pelayanan Rumah Sakit | indeks | S K
Data Pasien Rawat Inap menurut Diagnosis dan Alamat | pasien | M K | | L h2
Data Rekam Medis Pasien | pasien | M K | | C h2
""",
    ),
    "1.02.03": AgencyList(
        "kesehatan",
        HOSPITAL_SIMRS,
        """
Jumlah Kunjungan Pasien Rawat Jalan | kunjungan | M K
Angka Penggunaan Tempat Tidur (Bed Occupancy Rate) | persen | M K
Rata-rata Lama Hari Rawat (Average Length of Stay) | hari | M K
Jumlah Persalinan di Rumah Sakit | persalinan | M K
Data Pasien Rawat Inap menurut Diagnosis dan Alamat | pasien | M K | | L h2
""",
    ),
    "1.02.04": AgencyList(
        "kesehatan",
        HOSPITAL_SIMRS,
        """
Jumlah Kunjungan Pasien Rawat Jalan | kunjungan | M K
Jumlah Pelayanan Instalasi Gawat Darurat | kunjungan | M K
Data Pasien Rujukan menurut Nama dan Diagnosis | pasien | M K | | L h2
Angka Penggunaan Tempat Tidur (Bed Occupancy Rate) | persen | M K
Rata-rata Lama Hari Rawat (Average Length of Stay) | hari | M K
Data Pasien Rawat Inap menurut Diagnosis dan Alamat | pasien | M K | | L h2
""",
    ),
}

# A kecamatan office keeps one village-level list of its own district; the three kinds below
# take turns so that the district lists differ (as they do in practice).
DISTRICT_LIST = AgencyList(
    "pemerintahan",
    "Pendataan Profil Kecamatan dan Desa/Kelurahan",
    """
Jumlah Rukun Tetangga dan Rukun Warga di Kecamatan {name} menurut Desa/Kelurahan | unit | A D
Jumlah Penduduk Kecamatan {name} menurut Desa/Kelurahan dan Jenis Kelamin | jiwa | A D | jenis-kelamin | | kependudukan
Jumlah Sarana Peribadatan di Kecamatan {name} menurut Desa/Kelurahan | unit | A D | agama | | sosial
""",
)


def district_rows(district_name: str, index: int) -> list[ItemRow]:
    """The kecamatan office's row, named after its district (the index picks which kind)."""
    block = DISTRICT_LIST._replace(rows=DISTRICT_LIST.rows.replace("{name}", district_name))
    rows = parse_rows(block)
    return [rows[index % len(rows)]]
