#!/usr/bin/env python3
"""Writes the consolidation scenario: a small piece of Kabupaten Lampung Tengah whose overlaps,
exclusions, inclusion errors, coverage and graduations are known by construction.

Output: Tests/ScenarioTests/Fixtures/scenario/data/ (committed). Test tooling only:
`pip install xlsxwriter`. Deterministic: running it again writes the same files.

The story (checked row by row in Tests/ScenarioTests/ScenarioTests.swift):

  H1 Budi Santoso & Siti Aminah, Sri Way Langsep (Kalirejo): desil 1 in P3KE 2024 and 2025 and
     in DTSEN 2025 (BPNT, PBI-JKN flags); CSR sembako to Budi, Baznas Indonesia Sehat to Siti
     -> overlap 2025 for food (Kemensos + PT Sumber Agro Lestari) and health (BPJS + Baznas).
  H2 Sutrisno, Wayakrui (Kalirejo): desil 1, no aid -> exclusion. A child's NIK has day 32 ->
     quarantined by validate-nik (nik-bad-date) in the 2025 export.
  H3 I Wayan Sudarta, Kalirejo (Kalirejo): desil 1 in 2024, 3 in 2025 -> graduation improved;
     Baznas scholarship to his daughter.
  H4 Ahmad Fauzi, Purwodadi (Bangun Rejo): desil 2 in 2024, 1 in 2025 -> fell back; no aid ->
     exclusion.
  H5 Suparmi, Sido Dadi (Bangun Rejo): desil 1; a CSR sembako row names "Ibu Suparmi" without a
     NIK -> possible match (name + desa, 80); until a steward confirms it, H5 is excluded and the
     CSR row is an unidentified inclusion.
  P6 Dewi Lestari, Watu Agung (Kalirejo): in no registry; Baznas cash -> inclusion not-in-registry.
  H7 Hendra Wijaya, Sido Rejo (Bangun Rejo): DTSEN desil 8; CSR cash -> inclusion high-desil.
  Joko Susilo, Cimarias (Bangun Rejo): CSR sembako without NIK, nobody of that name ->
     inclusion unidentified.
  A CSR activity (sumur bor, Cimarias) -> coverage only.
"""
import datetime as dt
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "ScenarioTests", "Fixtures", "scenario", "data")

# (kk, nik, name, sex, birth dd/mm/yyyy, relationship, kecamatan, desa)
H1 = [("1802010101150001", "1802011203800001", "BUDI SANTOSO", "L", "12/03/1980", "KEPALA KELUARGA", "KALIREJO", "SRI WAY LANGSEP"),
      ("1802010101150001", "1802014507830002", "SITI AMINAH", "P", "05/07/1983", "ISTRI", "KALIREJO", "SRI WAY LANGSEP")]
H2 = [("1802010202160002", "1802010101750003", "SUTRISNO", "L", "01/01/1975", "KEPALA KELUARGA", "KALIREJO", "WAYAKRUI")]
H2_BAD = ("1802010202160002", "1802013213100010", "RINA", "P", "13/10/2010", "ANAK", "KALIREJO", "WAYAKRUI")
H3 = [("1802010303170003", "1802012010700004", "I WAYAN SUDARTA", "L", "20/10/1970", "KEPALA KELUARGA", "KALIREJO", "KALIREJO"),
      ("1802010303170003", "1802015503080005", "NI PUTU AYU", "P", "15/03/2008", "ANAK", "KALIREJO", "KALIREJO")]
H4 = [("1802020404180004", "1802020707850006", "AHMAD FAUZI", "L", "07/07/1985", "KEPALA KELUARGA", "BANGUN REJO", "PURWODADI")]
H5 = [("1802020505190005", "1802025010600007", "SUPARMI", "P", "10/10/1960", "KEPALA KELUARGA", "BANGUN REJO", "SIDO DADI")]
H7 = ("1802020707200007", "1802021505780009", "HENDRA WIJAYA", "L", "15/05/1978", "KEPALA KELUARGA", "18.02.02.2003")


def p3ke(path, rows):
    header = "ID KELUARGA P3KE;NIK;NO KK;NAMA;JENIS KELAMIN;TANGGAL LAHIR;HUBUNGAN KELUARGA;PROVINSI;KABUPATEN/KOTA;KECAMATAN;DESA/KELURAHAN;DESIL KESEJAHTERAAN"
    lines = [header]
    for i, (kk, nik, name, sex, birth, rel, kec, desa, desil) in enumerate(rows):
        lines.append(f"P3KE-{kk[-4:]};{nik};{kk};{name};{sex};{birth};{rel};LAMPUNG;LAMPUNG TENGAH;{kec};{desa};{desil}")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # Excel's "CSV UTF-8": BOM, ;, CRLF
        f.write("\r\n".join(lines) + "\r\n")


def with_desil(members, desil):
    return [m + (desil,) for m in members]


def dtsen(path):
    header = "ID DTSEN|NIK|NOKK|NAMA|JK|TGL LAHIR|SHDK|KODE WILAYAH|DESIL NASIONAL|BPNT|PBI JKN|PKH"
    lines = [header]
    for kk, nik, name, sex, birth, rel, _kec, _desa in H1:
        lines.append(f"DT-{nik[-4:]}|{nik}|{kk}|{name}|{sex}|{birth}|{rel}|1802012001|1|YA|YA|TIDAK")
    kk, nik, name, sex, birth, rel, code = H7
    lines.append(f"DT-{nik[-4:]}|{nik}|{kk}|{name}|{sex}|{birth}|{rel}|{code.replace('.', '')}|8|TIDAK|TIDAK|TIDAK")
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


def csr(path):
    import xlsxwriter  # test tooling only
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"created": dt.datetime(2025, 8, 1)})
    title = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1})
    rupiah = wb.add_format({"num_format": '"Rp"#,##0', "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    ws = wb.add_worksheet("Penerima")
    ws.merge_range("A1:H1", "LAPORAN PENYALURAN BANTUAN TJSL PT SUMBER AGRO LESTARI", title)
    ws.merge_range("A2:H2", "KABUPATEN LAMPUNG TENGAH TAHUN 2025", title)
    for c, h in enumerate(["No", "NIK", "Nama Penerima", "Jenis Bantuan", "Nilai Bantuan (Rp)", "Tanggal Penyaluran", "Desa", "Kecamatan"]):
        ws.write_string(3, c, h, head)
    rows = [
        ("1802011203800001", "Budi Santoso", "Paket Sembako", 350000, dt.datetime(2025, 7, 14), "Sri Way Langsep", "Kalirejo"),
        ("", "Ibu Suparmi", "Paket Sembako", 350000, dt.datetime(2025, 7, 14), "Sido Dadi", "Bangun Rejo"),
        ("1802021505780009", "Hendra Wijaya", "Bantuan Tunai", "Rp 1.000.000", dt.datetime(2025, 7, 15), "Sido Rejo", "Bangun Rejo"),
        ("", "Joko Susilo", "Paket Sembako", 350000, "16/07/2025", "Cimarias", "Bangun Rejo"),
    ]
    r = 4
    for i, (nik, name, aid, amount, when, desa, kec) in enumerate(rows):
        ws.write_number(r, 0, i + 1)
        if nik:
            ws.write_string(r, 1, nik)
        ws.write_string(r, 2, name)
        ws.write_string(r, 3, aid)
        (ws.write_number(r, 4, amount, rupiah) if isinstance(amount, int) else ws.write_string(r, 4, amount))
        (ws.write_datetime(r, 5, when, date) if isinstance(when, dt.datetime) else ws.write_string(r, 5, when))
        ws.write_string(r, 6, desa)
        ws.write_string(r, 7, kec)
        r += 1
    ws.write_string(r, 2, "JUMLAH", head)
    ws.write_formula(r, 4, f"=SUM(E5:E{r})", rupiah, 2050000)
    act = wb.add_worksheet("Kegiatan")
    act.merge_range("A1:G1", "KEGIATAN TJSL PT SUMBER AGRO LESTARI 2025", title)
    for c, h in enumerate(["No", "Kegiatan", "Desa", "Kecamatan", "Volume", "Satuan", "Biaya (Rp)", "Tanggal"]):
        act.write_string(2, c, h, head)
    act.write_number(3, 0, 1)
    for c, v in enumerate(["Pembangunan sumur bor", "Cimarias", "Bangun Rejo", 1, "Unit", 25000000]):
        (act.write_number if isinstance(v, int) else act.write_string)(3, 1 + c, v)
    act.write_datetime(3, 7, dt.datetime(2025, 8, 20), date)
    wb.close()


def baznas(path):
    lines = ["LAPORAN PENYALURAN ZAKAT BAZNAS KABUPATEN LAMPUNG TENGAH;;;;;;;;;",
             "TAHUN 2025;;;;;;;;;", ";;;;;;;;;",
             "NO;NAMA MUSTAHIK;NIK;ASNAF;PROGRAM;JENIS BANTUAN;JUMLAH (RP);TANGGAL;DESA;KECAMATAN",
             "1;Siti Aminah;1802014507830002;Fakir;Indonesia Sehat;Bantuan biaya berobat;750.000,00;02/08/2025;Sri Way Langsep;Kalirejo",
             "2;Ni Putu Ayu;1802015503080005;Fisabilillah;Indonesia Cerdas;Beasiswa;1.000.000,00;05/03/2025;Kalirejo;Kalirejo",
             "3;Dewi Lestari;1802014304900008;Miskin;Indonesia Peduli;Uang tunai;500.000,00;10/06/2025;Watu Agung;Kalirejo",
             ";;;;;;;;;",
             ";JUMLAH;;;;;2.250.000,00;;;"]
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")


def bps(path):
    doc = {
        "status": "OK", "data-availability": "available", "last_update": "2025-01-15 10:00:00",
        "var": [{"val": 621, "label": "Persentase Penduduk Miskin (P0)", "unit": "Persen", "subj": "Kemiskinan", "def": "", "decimal": 2, "note": ""}],
        "turvar": [{"val": 0, "label": "Tidak ada"}],
        "labelvervar": "Kabupaten/Kota",
        "vervar": [{"val": 1805, "label": "Lampung Tengah"}, {"val": 1802, "label": "Tanggamus"}],
        "tahun": [{"val": 123, "label": "2023"}, {"val": 124, "label": "2024"}],
        "turtahun": [{"val": 0, "label": "Tahun"}],
        "datacontent": {"180562101230": 10.84, "180562101240": 10.32, "180262101230": 10.87, "180262101240": 10.4},
        "related": [],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def crosswalk(path):
    lines = ["Kode BPS,Kode Kemendagri,Nama", "1805,18.02,Lampung Tengah", "1802,1806,Tanggamus", "1805010,18.02.01,Kalirejo"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


def catalog(path):
    lines = ["kode;nama;jenis_penyedia;penyedia;kebutuhan;alias",
             "CSR-SAL-SEMBAKO;Paket Sembako Peduli;CSR;PT Sumber Agro Lestari;pangan;Paket Sembako|Sembako Peduli",
             "CSR-SAL-TUNAI;Bantuan Tunai Dhuafa;CSR;PT Sumber Agro Lestari;tunai;Bantuan Tunai"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    p3ke(os.path.join(OUT, "p3ke-lamteng-2024-06.csv"),
         with_desil(H1, 1) + with_desil(H2, 1) + with_desil(H3, 1) + with_desil(H4, 2) + with_desil(H5, 1))
    p3ke(os.path.join(OUT, "p3ke-lamteng-2025-06.csv"),
         with_desil(H1, 1) + with_desil(H2 + [H2_BAD], 1) + with_desil(H3, 3) + with_desil(H4, 1) + with_desil(H5, 1))
    dtsen(os.path.join(OUT, "dtsen-lamteng-2025-09.txt"))
    csr(os.path.join(OUT, "csr-sumber-agro-lestari-2025.xlsx"))
    baznas(os.path.join(OUT, "baznas-lamteng-2025.csv"))
    bps(os.path.join(OUT, "bps-p0-lampung-2023-2024.json"))
    crosswalk(os.path.join(OUT, "crosswalk-bps-kemendagri.csv"))
    catalog(os.path.join(OUT, "program-catalog.csv"))


if __name__ == "__main__":
    main()
