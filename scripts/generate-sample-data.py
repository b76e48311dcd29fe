#!/usr/bin/env python3
"""Generate Padu's bundled sample data: synthetic, deterministic, realistic.

- pipelines/sample-data/p3ke-lampung-tengah-2025.csv: a P3KE family-member export
  (`;`, UTF-8 with BOM, CRLF line ends, as Excel writes "CSV (semicolon)").
- pipelines/sample-data/dtks-lampung-tengah-2025.txt: a DTKS export (`|`, no BOM, LF,
  dates with ` 0:00:00`, Y/T flags), overlapping the P3KE families.
- pipelines/sample-data/csr-sumber-agro-lestari-2025.xlsx: a company's CSR report written with
  xlsxwriter (title block with merged cells, header on row 5, recipients with NIK as text and
  one damaged as a number, amounts as numbers and as text, real and text dates, a JUMLAH row,
  an activity sheet and a summary sheet).
- pipelines/sample-data/baznas-lampung-tengah-2025-07.csv: a Baznas distribution export
  (`;`, BOM, CRLF, asnaf and programs as operators type them, one `Amil` row).

Every person is invented. A few rows carry the damage real exports have (empty or
Excel-mangled NIK, impossible dates, a duplicated member, blank lines, a quoted address
with the delimiter and a line break) so that a run shows quarantine at work.

Usage: scripts/generate-sample-data.py [--families N] [--seed S] [--out DIR]
"""
import argparse
import os
import random

# (kecamatan code, kecamatan, [(desa code, desa)]) from the Kepmendagri 2025 list
# (see THIRD-PARTY-NOTICES.md).
REGIONS = [
    ("18.02.01", "Kalirejo", [("18.02.01.2003", "Kalirejo"), ("18.02.01.2007", "Kaliwungu"), ("18.02.01.2011", "Suko Sari")]),
    ("18.02.02", "Bangun Rejo", [("18.02.02.2001", "Purwodadi"), ("18.02.02.2005", "Bangun Rejo"), ("18.02.02.2009", "Suka Negara")]),
    ("18.02.03", "Padang Ratu", [("18.02.03.2003", "Bandar Sari"), ("18.02.03.2007", "Karang Tanjung")]),
    ("18.02.05", "Trimurjo", [("18.02.05.1007", "Simbar Waringin"), ("18.02.05.2011", "Pujo Kerto")]),
    ("18.02.12", "Seputih Surabaya", [("18.02.12.2004", "Gaya Baru VII"), ("18.02.12.2012", "Srimulya Jaya")]),
]
MALE = ["Sutrisno", "Wahyudi", "Slamet", "Agus Salim", "Joko Susilo", "Made Suarta", "Heru Prasetyo", "Ahmad Fauzi",
        "Bambang Riyadi", "Nyoman Sudarma", "Eko Purnomo", "Ketut Wirawan", "Supardi", "Rahmat Hidayat", "Budi Santoso"]
FEMALE = ["Siti Aminah", "Sri Wahyuni", "Sumarni", "Ni Made Ayu", "Rini Astuti", "Suparmi", "Dewi Lestari",
          "Nur Hasanah", "Tri Rahayu", "Wayan Sari", "Endang Susilowati", "Yuliana", "Kartini", "Ratna Sari"]
CHILD_M = ["Andi", "Rizky", "Fajar", "Dimas", "Bayu", "Arif", "Yoga", "Putra"]
CHILD_F = ["Putri", "Ayu", "Nabila", "Intan", "Salsa", "Dinda", "Anisa", "Fitri"]
JOBS_HEAD = ["PETANI/PEKEBUN", "BURUH HARIAN LEPAS", "BURUH TANI/PERKEBUNAN", "PEDAGANG", "NELAYAN/PERIKANAN", "WIRASWASTA"]


def nik(region_code, birth, female, serial):
    day = birth[0] + (40 if female else 0)
    return region_code.replace(".", "") + f"{day:02d}{birth[1]:02d}{birth[2] % 100:02d}{serial:04d}"


def random_birth(rng, start, end):
    y = rng.randint(start, end)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    return (d, m, y)


def families(rng, count):
    serial = 1
    out = []
    # A separate generator decides which desil-1 families no program reaches (the exclusion error
    # the offices look for), so the main sequence, and every other value, stays as it was.
    reach = random.Random(count * 7919 + 1)
    for f in range(count):
        kec_code, kec, desas = rng.choice(REGIONS)
        desa_code, desa = rng.choice(desas)
        kk = kec_code.replace(".", "") + f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(10, 24):02d}{rng.randint(1, 9999):04d}"
        address = f"DUSUN {rng.choice(['I', 'II', 'III', 'IV'])} {rng.choice(['KRAJAN', 'SUKAMAJU', 'MEKARSARI', 'SIDOREJO'])}"
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 6):03d}"
        desil = rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]
        flags = dict(pkh=rng.random() < 0.35, bpnt=rng.random() < 0.45, pbi=rng.random() < 0.7)
        unreached = desil == 1 and reach.random() < 0.3
        if unreached:
            flags = dict(pkh=False, bpnt=False, pbi=False)
        members = []
        head_birth = random_birth(rng, 1955, 1992)
        members.append(dict(name=rng.choice(MALE), female=False, birth=head_birth, rel="KEPALA KELUARGA", job=rng.choice(JOBS_HEAD)))
        if rng.random() < 0.85:
            members.append(dict(name=rng.choice(FEMALE), female=True, birth=random_birth(rng, head_birth[2] - 3, min(head_birth[2] + 8, 2000)),
                                rel="ISTRI", job="MENGURUS RUMAH TANGGA"))
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            female = rng.random() < 0.5
            members.append(dict(name=rng.choice(CHILD_F if female else CHILD_M) + " " + members[0]["name"].split()[0],
                                female=female, birth=random_birth(rng, max(head_birth[2] + 18, 1995), 2023),
                                rel="ANAK", job="PELAJAR/MAHASISWA" if rng.random() < 0.6 else "BELUM/TIDAK BEKERJA"))
        for m in members:
            m["nik"] = nik(kec_code, m["birth"], m["female"], serial % 9999 + 1)  # serials run 0001-9999
            serial += 1
        out.append(dict(id=f"P3KE{1802000000 + f * 7:010d}", kec_code=kec_code, kec=kec, desa_code=desa_code, desa=desa,
                        kk=kk, address=address, rt=rt, rw=rw, desil=desil, members=members, unreached=unreached, **flags))
    return out


def write_p3ke(path, fams, rng):
    header = ["ID_KELUARGA_P3KE", "KODE_PROVINSI", "PROVINSI", "KODE_KABUPATEN", "KABUPATEN", "KODE_KECAMATAN", "KECAMATAN",
              "KODE_DESA", "DESA/KELURAHAN", "ALAMAT", "RT", "RW", "NO_KK", "NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR",
              "HUB_KELUARGA", "PEKERJAAN", "DESIL_KESEJAHTERAAN", "PENERIMA_PKH", "PENERIMA_BPNT", "PENERIMA_PBI_JKN"]
    rows = []
    for fam in fams:
        for m in fam["members"]:
            d, mo, y = m["birth"]
            rows.append([fam["id"], "18", "LAMPUNG", "1802", "LAMPUNG TENGAH", fam["kec_code"].replace(".", ""), fam["kec"].upper(),
                         fam["desa_code"].replace(".", ""), fam["desa"].upper(), fam["address"], fam["rt"], fam["rw"], fam["kk"],
                         m["nik"], m["name"].upper(), "PEREMPUAN" if m["female"] else "LAKI-LAKI", f"{d:02d}/{mo:02d}/{y}",
                         m["rel"], m["job"], str(fam["desil"]), "YA" if fam["pkh"] else "TIDAK",
                         "YA" if fam["bpnt"] else "TIDAK", "YA" if fam["pbi"] else "TIDAK"])
    # The damage real exports carry.
    rows[5][13] = ""                                  # NIK missing
    rows[17][13] = "1.80201E+15"                      # NIK typed as a number in Excel
    rows[29][16] = "31/02/1987"                       # a date that does not exist
    rows[41][19] = "SANGAT MISKIN"                    # a desil that is not a number
    rows[53][9] = 'JL. LINTAS TENGAH; GG. MAWAR\r\nBELAKANG PASAR'  # delimiter and line break inside quotes
    rows.insert(66, list(rows[65]))                   # the same member twice
    rows[80][20] = "MUNGKIN"                          # not a flag

    def cell(v):
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ';"\r\n') else v

    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(header) + "\r\n")
        for i, r in enumerate(rows):
            if i in (120, 121):
                f.write(";" * (len(header) - 1) + "\r\n")  # blank rows Excel keeps
            f.write(";".join(cell(v) for v in r) + "\r\n")
    return len(rows)


def write_dtks(path, fams, rng):
    header = ["ID DTKS", "NIK", "NO KK", "NAMA", "JENIS KELAMIN", "TGL LAHIR", "TEMPAT LAHIR", "HUB KELUARGA", "ALAMAT",
              "DESA/KELUARAHAN", "KECAMATAN", "KABUPATEN/KOTA", "PROVINSI", "PKH", "BPNT", "PBI JKN"]
    rows = []
    chosen = [f for f in fams if rng.random() < 0.6]
    for k, fam in enumerate(chosen):
        for m in fam["members"]:
            d, mo, y = m["birth"]
            rows.append([f"18020{k:07d}", m["nik"], fam["kk"], m["name"].title(), "P" if m["female"] else "L",
                         f"{d:02d}/{mo:02d}/{y} 0:00:00", "LAMPUNG TENGAH", m["rel"].title(), fam["address"].title(),
                         fam["desa"], fam["kec"], "Kab. Lampung Tengah", "Lampung",
                         "Y" if fam["pkh"] else "T", "Y" if fam["bpnt"] else "T",
                         "Y" if rng.random() < 0.7 and not fam["unreached"] else "T"])
    rows[12][1] = rows[12][1][:15]                    # a NIK with a digit missing
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("|".join(header) + "\n")
        for r in rows:
            f.write("|".join(r) + "\n")
    return len(rows)


def write_csr_xlsx(path, fams, rng):
    import datetime as dt
    import xlsxwriter  # test/sample tooling only: pip install xlsxwriter
    wb = xlsxwriter.Workbook(path)
    wb.set_properties({"created": dt.datetime(2025, 8, 1)})
    title = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1, "text_wrap": True})
    rupiah = wb.add_format({"num_format": '"Rp"#,##0', "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    cell = wb.add_format({"border": 1})
    ws = wb.add_worksheet("Penerima Bantuan")
    ws.merge_range("A1:H1", "LAPORAN PENYALURAN BANTUAN TJSL PT SUMBER AGRO LESTARI", title)
    ws.merge_range("A2:H2", "KABUPATEN LAMPUNG TENGAH TAHUN 2025", title)
    headers = ["No", "NIK", "Nama Penerima", "Jenis Bantuan", "Nilai Bantuan (Rp)", "Tanggal Penyaluran", "Desa", "Kecamatan"]
    for c, h in enumerate(headers):
        ws.write_string(4, c, h, head)
    people = [(f, m) for f in fams for m in f["members"] if m["rel"] == "KEPALA KELUARGA" and not f["unreached"]]
    chosen = rng.sample(people, 40)
    r = 5
    total = 0
    for i, (fam, m) in enumerate(chosen):
        aid = rng.choice([("Paket sembako", 350000), ("Beasiswa", 1500000), ("Modal usaha", 2500000), ("Bedah rumah", 15000000)])
        ws.write_number(r, 0, i + 1, cell)
        if i == 7:
            ws.write_number(r, 1, float(m["nik"]) // 10 * 10, cell)  # typed as a number: damaged
        elif i in (11, 23):
            pass  # the company did not record the NIK: matched by name and desa for a steward to confirm
        else:
            ws.write_string(r, 1, m["nik"], cell)
        ws.write_string(r, 2, m["name"].title(), cell)
        ws.write_string(r, 3, aid[0], cell)
        if i % 5 == 3:
            ws.write_string(r, 4, "Rp " + f"{aid[1]:,}".replace(",", "."), cell)  # amount typed as text
        else:
            ws.write_number(r, 4, aid[1], rupiah)
        day = dt.datetime(2025, 7, 1 + i % 28)
        if i % 6 == 5:
            ws.write_string(r, 5, day.strftime("%d/%m/%Y"), cell)  # date typed as text
        else:
            ws.write_datetime(r, 5, day, date)
        ws.write_string(r, 6, fam["desa"], cell)
        ws.write_string(r, 7, fam["kec"], cell)
        total += aid[1]
        r += 1
    r += 1  # a blank row before the total
    ws.write_string(r, 2, "JUMLAH", head)
    ws.write_formula(r, 4, f"=SUM(E6:E{r - 1})", rupiah, total)
    act = wb.add_worksheet("Kegiatan")
    act.merge_range("A1:G1", "KEGIATAN TJSL PT SUMBER AGRO LESTARI 2025", title)
    for c, h in enumerate(["No", "Kegiatan", "Desa", "Kecamatan", "Volume", "Satuan", "Biaya (Rp)"]):
        act.write_string(2, c, h, head)
    rows = [("Sumur bor", "Sri Way Langsep", "Kalirejo", 2, "Unit", 25000000),
            ("Posyandu: alat timbang", "Kaliwungu", "Kalirejo", 12, "Set", 18000000),
            ("Pelatihan budidaya lele", "Purwodadi", "Bangun Rejo", 30, "Orang", 22500000)]
    for i, row in enumerate(rows):
        act.write_number(3 + i, 0, i + 1)
        for c, v in enumerate(row):
            (act.write_number if isinstance(v, int) else act.write_string)(3 + i, 1 + c, v)
    rekap = wb.add_worksheet("Rekap")
    rekap.write_string(0, 0, "Uraian")
    rekap.write_string(0, 1, "Nilai")
    rekap.write_string(1, 0, "Jumlah penerima")
    rekap.write_number(1, 1, len(chosen))
    rekap.write_string(2, 0, "Total bantuan")
    rekap.write_number(2, 1, total)
    wb.close()
    return len(chosen)


def write_baznas(path, fams, rng):
    people = [(f, m) for f in fams for m in f["members"] if m["rel"] in ("KEPALA KELUARGA", "ISTRI") and not f["unreached"]]
    chosen = rng.sample(people, 30)
    asnaf = ["Fakir", "fakir", "Miskin", "MISKIN", "Gharim", "Fi Sabilillah", "Ibnu Sabil", "Muallaf"]
    programs = [("Indonesia Makmur", "Modal usaha mustahik"), ("Sehat", "Bantuan biaya berobat"),
                ("PROGRAM INDONESIA CERDAS", "Beasiswa"), ("Indonesia Peduli", "Bantuan sembako"), ("Taqwa", "Bantuan guru ngaji")]
    lines = ["LAPORAN PENYALURAN ZAKAT BAZNAS KABUPATEN LAMPUNG TENGAH;;;;;;;;;",
             "BULAN JULI 2025;;;;;;;;;", ";;;;;;;;;",
             "NO;NAMA MUSTAHIK;NIK;ASNAF;PROGRAM;JENIS BANTUAN;JUMLAH (RP);TANGGAL;DESA;KECAMATAN"]
    total = 0
    for i, (fam, m) in enumerate(chosen):
        prog = rng.choice(programs)
        amount = rng.choice([300000, 500000, 750000, 1000000, 1500000])
        total += amount
        shown = f"{amount:,}".replace(",", ".") + (",00" if i % 2 else "")
        name, nik_text = m["name"].title(), m["nik"]
        if i == 4:  # a mustahik in no registry (an inclusion error to check)
            name, nik_text = "Rahmat Hidayat", nik(fam["kec_code"], (9, 9, 1991), False, 9990)
        lines.append(f"{i + 1};{name};{nik_text};{rng.choice(asnaf)};{prog[0]};{prog[1]};{shown};"
                     f"{1 + i % 28:02d}/07/2025;{fam['desa']};{fam['kec']}")
    lines.append(f"{len(chosen) + 1};Operasional Amil;;Amil;Indonesia Peduli;Operasional;2.000.000;31/07/2025;;Kalirejo")
    lines.append(";;;;;;;;;")
    lines.append(";JUMLAH;;;;;" + f"{total + 2000000:,}".replace(",", ".") + ",00;;;")
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return len(chosen) + 1


def write_crosswalk(path):
    """BPS (2020 numbering) to Kemendagri 2025 codes for the kabupaten/kota of Lampung: BPS and
    Kemendagri number them differently (BPS 1805 is Kemendagri 18.02, Lampung Tengah)."""
    pairs = [("1800", "18", "Lampung"), ("1801", "18.04", "Lampung Barat"), ("1802", "18.06", "Tanggamus"),
             ("1803", "18.01", "Lampung Selatan"), ("1804", "18.07", "Lampung Timur"), ("1805", "18.02", "Lampung Tengah"),
             ("1806", "18.03", "Lampung Utara"), ("1807", "18.08", "Way Kanan"), ("1808", "18.05", "Tulang Bawang"),
             ("1809", "18.09", "Pesawaran"), ("1810", "18.10", "Pringsewu"), ("1811", "18.11", "Mesuji"),
             ("1812", "18.12", "Tulang Bawang Barat"), ("1813", "18.13", "Pesisir Barat"),
             ("1871", "18.71", "Kota Bandar Lampung"), ("1872", "18.72", "Kota Metro")]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("Kode BPS;Kode Kemendagri;Nama\r\n")
        for bps, dagri, name in pairs:
            f.write(f"{bps};{dagri};{name}\r\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--families", type=int, default=140)
    ap.add_argument("--seed", type=int, default=1802)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "pipelines", "sample-data"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    fams = families(rng, args.families)
    os.makedirs(args.out, exist_ok=True)
    n1 = write_p3ke(os.path.join(args.out, "p3ke-lampung-tengah-2025.csv"), fams, rng)
    n2 = write_dtks(os.path.join(args.out, "dtks-lampung-tengah-2025.txt"), fams, rng)
    print(f"P3KE: {n1} member rows, DTKS: {n2} member rows in {args.out}")
    if args.families <= 1000:  # the aid samples go with the small bundled set
        n3 = write_csr_xlsx(os.path.join(args.out, "csr-sumber-agro-lestari-2025.xlsx"), fams, rng)
        n4 = write_baznas(os.path.join(args.out, "baznas-lampung-tengah-2025-07.csv"), fams, rng)
        print(f"CSR: {n3} recipients, Baznas: {n4} rows")
        write_crosswalk(os.path.join(args.out, "crosswalk-bps-kemendagri-lampung.csv"))


if __name__ == "__main__":
    main()
