#!/usr/bin/env python3
"""Generate Padu's bundled sample data: synthetic, deterministic, realistic.

- pipelines/sample-data/p3ke-lampung-tengah-2025.csv: a P3KE family-member export
  (`;`, UTF-8 with BOM, CRLF line ends, as Excel writes "CSV (semicolon)").
- pipelines/sample-data/dtks-lampung-tengah-2025.txt: a DTKS export (`|`, no BOM, LF,
  dates with ` 0:00:00`, Y/T flags), overlapping the P3KE families.

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
    for f in range(count):
        kec_code, kec, desas = rng.choice(REGIONS)
        desa_code, desa = rng.choice(desas)
        kk = kec_code.replace(".", "") + f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(10, 24):02d}{rng.randint(1, 9999):04d}"
        address = f"DUSUN {rng.choice(['I', 'II', 'III', 'IV'])} {rng.choice(['KRAJAN', 'SUKAMAJU', 'MEKARSARI', 'SIDOREJO'])}"
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 6):03d}"
        desil = rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]
        flags = dict(pkh=rng.random() < 0.35, bpnt=rng.random() < 0.45, pbi=rng.random() < 0.7)
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
                        kk=kk, address=address, rt=rt, rw=rw, desil=desil, members=members, **flags))
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
                         "Y" if fam["pkh"] else "T", "Y" if fam["bpnt"] else "T", "Y" if rng.random() < 0.7 else "T"])
    rows[12][1] = rows[12][1][:15]                    # a NIK with a digit missing
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("|".join(header) + "\n")
        for r in rows:
            f.write("|".join(r) + "\n")
    return len(rows)


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


if __name__ == "__main__":
    main()
