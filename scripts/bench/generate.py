#!/usr/bin/env python3
"""Deterministic benchmark inputs for `make bench` (synthetic; every person is invented).

Writes into --out (default .build/bench-data), for a scale S (rows multiplied by S):
  registry-<n>.csv  P3KE family members: `;`, UTF-8 BOM, CRLF, 18 columns, dd/mm/yyyy dates,
                    real desa of Kabupaten Lampung Tengah (18.02); about 2% damaged NIKs
                    (wrong length, Excel E-notation, serial 0000, placeholder, impossible date)
  csr-<n>.xlsx      a CSR workbook (xlsxwriter, constant_memory): a title block, header on row 4,
                    NIK as numeric cells (csr-<n>-niktext.xlsx with --csr-nik text), amounts as
                    text ("Rp 1.500.000"), real dates
  baznas-<n>.csv    a Baznas `;` export: title block, amounts as `1.500.000,00`, dd/mm/yyyy
  sdmx-<n>mb.xml    an SDMX-ML 2.1 GenericData message: poverty indicators by desa of Lampung,
                    classification, sex and year (series-wise, dimensionAtObservation TIME_PERIOD)

A file is rewritten only when it is missing or its stamp (a hash of this script, the region
list and the parameters) differs. `manifest-<n>.json` lists the files and their row counts.
Needs xlsxwriter for the workbook (the benchmark installs it in .build/bench-venv).

Usage: generate.py [--out DIR] [--scale S] [--rows N] [--only registry,csr,baznas,sdmx] [--csr-nik text]
  --rows N sets the registry and Baznas rows at scale 1 (default 1,000,000); the CSR workbook
  has N/5 rows and the SDMX message about N*50 bytes.
"""
import argparse
import datetime as dt
import hashlib
import json
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REGION_TSV = os.path.join(ROOT, "Sources", "PaduReference", "Resources", "wilayah-kepmendagri-2025.tsv")
KINDS = ["registry", "csr", "baznas", "sdmx"]

MALE = ["SUTRISNO", "WAHYUDI", "SLAMET", "AGUS SALIM", "JOKO SUSILO", "MADE SUARTA", "HERU PRASETYO", "AHMAD FAUZI",
        "BAMBANG RIYADI", "NYOMAN SUDARMA", "EKO PURNOMO", "KETUT WIRAWAN", "SUPARDI", "RAHMAT HIDAYAT", "BUDI SANTOSO"]
FEMALE = ["SITI AMINAH", "SRI WAHYUNI", "SUMARNI", "NI MADE AYU", "RINI ASTUTI", "SUPARMI", "DEWI LESTARI",
          "NUR HASANAH", "TRI RAHAYU", "WAYAN SARI", "ENDANG SUSILOWATI", "YULIANA", "KARTINI", "RATNA SARI"]
CHILD_M = ["ANDI", "RIZKY", "FAJAR", "DIMAS", "BAYU", "ARIF", "YOGA", "PUTRA"]
CHILD_F = ["PUTRI", "AYU", "NABILA", "INTAN", "SALSA", "DINDA", "ANISA", "FITRI"]
JOBS = ["PETANI/PEKEBUN", "BURUH HARIAN LEPAS", "BURUH TANI/PERKEBUNAN", "PEDAGANG", "NELAYAN/PERIKANAN", "WIRASWASTA"]
DAMAGE = ["length", "e-notation", "serial-0000", "placeholder", "impossible-date"]


def label(n):
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def load_regions():
    """(kecamatan code, kecamatan, [(desa code, desa)]) of 18.02, and every desa of Lampung (18)."""
    names, lampung = {}, []
    with open(REGION_TSV, encoding="utf-8") as f:
        for line in f:
            code, _, name = line.rstrip("\n").partition("\t")
            names[code] = name
            if code.startswith("18.") and code.count(".") == 3:
                lampung.append((code, name))
    kecs = {}
    for code, name in lampung:
        if code.startswith("18.02."):
            kecs.setdefault(code[:8], []).append((code, name))
    lteng = [(k, names[k], desas) for k, desas in sorted(kecs.items())]
    return lteng, lampung


class People:
    """Invented people of Lampung Tengah with NIKs valid per Dukcapil's rules and unique."""

    def __init__(self, rng, regions):
        self.rng, self.regions = rng, regions
        self.serials = {}  # (kecamatan digits, ddmmyy) -> last serial used

    def nik(self, kec, birth, female):
        d, m, y = birth
        head = kec.replace(".", "") + f"{d + (40 if female else 0):02d}{m:02d}{y % 100:02d}"
        serial = self.serials.get(head, 0) + 1
        self.serials[head] = serial
        return head + f"{serial:04d}"

    def birth(self, start, end):
        r = self.rng
        return (r.randint(1, 28), r.randint(1, 12), r.randint(start, end))

    def place(self):
        kec, kec_name, desas = self.rng.choice(self.regions)
        desa, desa_name = self.rng.choice(desas)
        return kec, kec_name, desa, desa_name

    def damage(self, nik, i):
        kind = DAMAGE[i % len(DAMAGE)]
        if kind == "length":
            return nik[:15]
        if kind == "e-notation":
            return f"{float(nik):.5E}".replace("E+0", "E+")  # 1.80212E+15, as Excel shows it
        if kind == "serial-0000":
            return nik[:12] + "0000"
        if kind == "placeholder":
            return "0000000000000000"
        return nik[:8] + "13" + nik[10:]  # month 13


def write_registry(path, rows, seed, regions):
    rng = random.Random(seed)
    people = People(rng, regions)
    header = ["ID_KELUARGA_P3KE", "KODE_KECAMATAN", "KECAMATAN", "KODE_DESA", "DESA/KELURAHAN", "ALAMAT", "RT", "RW",
              "NO_KK", "NIK", "NAMA", "JENIS_KELAMIN", "TANGGAL_LAHIR", "HUB_KELUARGA", "PEKERJAAN",
              "DESIL_KESEJAHTERAAN", "PENERIMA_PKH", "PENERIMA_BPNT"]
    kk_serials = {}
    written = damaged = fam = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(";".join(header) + "\r\n")
        while written < rows:
            fam += 1
            kec, kec_name, desa, desa_name = people.place()
            issue = (rng.randint(1, 28), rng.randint(1, 12), rng.randint(2010, 2024))
            kk_head = kec.replace(".", "") + f"{issue[0]:02d}{issue[1]:02d}{issue[2] % 100:02d}"
            kk_serials[kk_head] = kk_serials.get(kk_head, 0) + 1
            kk = kk_head + f"{kk_serials[kk_head]:04d}"
            common = [f"P3KE{1802000000 + fam:010d}", kec.replace(".", ""), kec_name.upper(), desa.replace(".", ""),
                      desa_name.upper(), f"DUSUN {rng.choice(['I', 'II', 'III', 'IV'])} {rng.choice(['KRAJAN', 'SUKAMAJU', 'MEKARSARI', 'SIDOREJO'])}",
                      f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 6):03d}", kk]
            tail = [str(rng.choices([1, 2, 3, 4], weights=[35, 30, 20, 15])[0]),
                    "YA" if rng.random() < 0.35 else "TIDAK", "YA" if rng.random() < 0.45 else "TIDAK"]
            head_birth = people.birth(1950, 1992)
            head = rng.choice(MALE)
            members = [(head, False, head_birth, "KEPALA KELUARGA", rng.choice(JOBS))]
            if rng.random() < 0.85:
                members.append((rng.choice(FEMALE), True, people.birth(head_birth[2] - 3, min(head_birth[2] + 8, 2000)),
                                "ISTRI", "MENGURUS RUMAH TANGGA"))
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                female = rng.random() < 0.5
                members.append((rng.choice(CHILD_F if female else CHILD_M) + " " + head.split()[0], female,
                                people.birth(max(head_birth[2] + 18, 1995), 2023), "ANAK",
                                "PELAJAR/MAHASISWA" if rng.random() < 0.6 else "BELUM/TIDAK BEKERJA"))
            for name, female, birth, rel, job in members:
                if written == rows:
                    break
                nik = people.nik(kec, birth, female)
                if rng.random() < 0.02:
                    nik = people.damage(nik, damaged)
                    damaged += 1
                row = common + [nik, name, "PEREMPUAN" if female else "LAKI-LAKI",
                                f"{birth[0]:02d}/{birth[1]:02d}/{birth[2]}", rel, job] + tail
                f.write(";".join(row) + "\r\n")
                written += 1
    return {"rows": written, "damaged_nik": damaged}


def write_baznas(path, rows, seed, regions):
    rng = random.Random(seed)
    people = People(rng, regions)
    asnaf = ["Fakir", "fakir", "Miskin", "MISKIN", "Gharim", "Fi Sabilillah", "Ibnu Sabil", "Muallaf"]
    programs = [("Indonesia Makmur", "Modal usaha mustahik"), ("Sehat", "Bantuan biaya berobat"),
                ("PROGRAM INDONESIA CERDAS", "Beasiswa"), ("Indonesia Peduli", "Bantuan sembako"),
                ("Taqwa", "Bantuan guru ngaji")]
    amounts = [f"{a:,}".replace(",", ".") + ",00" for a in (300000, 500000, 750000, 1000000, 1500000, 2500000)]
    damaged = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write("LAPORAN PENYALURAN ZAKAT BAZNAS KABUPATEN LAMPUNG TENGAH;;;;;;;;;\r\n"
                "TAHUN 2025;;;;;;;;;\r\n;;;;;;;;;\r\n"
                "NO;NAMA MUSTAHIK;NIK;ASNAF;PROGRAM;JENIS BANTUAN;JUMLAH (RP);TANGGAL;DESA;KECAMATAN\r\n")
        for i in range(rows):
            _, kec_name, _, desa_name = place = people.place()
            female = rng.random() < 0.4
            nik = people.nik(place[0], people.birth(1950, 2000), female)
            if rng.random() < 0.02:
                nik = people.damage(nik, damaged)
                damaged += 1
            prog = rng.choice(programs)
            f.write(f"{i + 1};{rng.choice(FEMALE if female else MALE).title()};{nik};{rng.choice(asnaf)};{prog[0]};"
                    f"{prog[1]};{rng.choice(amounts)};{1 + i % 28:02d}/{1 + i // 28 % 12:02d}/2025;{desa_name};{kec_name}\r\n")
    return {"rows": rows, "damaged_nik": damaged}


def write_csr(path, rows, seed, regions, nik_as="number"):
    import xlsxwriter  # benchmark tooling only (in .build/bench-venv), never a Padu dependency
    rng = random.Random(seed)
    people = People(rng, regions)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    wb.set_properties({"created": dt.datetime(2025, 8, 1)})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Penerima Bantuan")
    ws.write_string(0, 0, "LAPORAN PENYALURAN BANTUAN TJSL PT SUMBER AGRO LESTARI")
    ws.write_string(1, 0, "KABUPATEN LAMPUNG TENGAH TAHUN 2025")
    for c, h in enumerate(["No", "NIK", "Nama Penerima", "Jenis Bantuan", "Nilai Bantuan (Rp)", "Tanggal Penyaluran",
                           "Desa", "Kecamatan"]):
        ws.write_string(3, c, h)
    aids = [("Paket sembako", "Rp 350.000"), ("Beasiswa", "Rp 1.500.000"), ("Modal usaha", "Rp 2.500.000"),
            ("Bedah rumah", "Rp 15.000.000")]
    for i in range(rows):
        r = 4 + i
        _, kec_name, _, desa_name = place = people.place()
        female = rng.random() < 0.4
        nik = people.nik(place[0], people.birth(1950, 2000), female)
        aid = rng.choice(aids)
        ws.write_number(r, 0, i + 1)
        if nik_as == "number":
            ws.write_number(r, 1, int(nik))  # a number cell: exact, since 18xx... < 2^53
        else:
            ws.write_string(r, 1, nik)
        ws.write_string(r, 2, rng.choice(FEMALE if female else MALE).title())
        ws.write_string(r, 3, aid[0])
        ws.write_string(r, 4, aid[1])
        ws.write_datetime(r, 5, dt.datetime(2025, 1 + i % 12, 1 + i % 28), date)
        ws.write_string(r, 6, desa_name)
        ws.write_string(r, 7, kec_name)
    wb.close()
    return {"rows": rows}


SDMX_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
                     xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
                     xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <message:Header>
    <message:ID>KEMISKINAN_DESA_LAMPUNG</message:ID>
    <message:Test>true</message:Test>
    <message:Prepared>2025-07-01T10:00:00+07:00</message:Prepared>
    <message:Sender id="BPS"/>
    <message:Structure structureID="DSD_KEMISKINAN" dimensionAtObservation="TIME_PERIOD">
      <common:Structure>
        <URN>urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=BPS:DSD_KEMISKINAN(1.0)</URN>
      </common:Structure>
    </message:Structure>
  </message:Header>
  <message:DataSet structureRef="DSD_KEMISKINAN" action="Replace">
"""
INDICATORS = [("P0", "PC"), ("P1", "IDX"), ("P2", "IDX"), ("GK", "IDR_PER_CAPITA_MONTH"), ("JPM", "PERSONS"),
              ("TPT", "PC")]


def write_sdmx(path, target_bytes, seed, lampung):
    rng = random.Random(seed)
    size = obs = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        size += f.write(SDMX_HEAD)
        for sex in ("T", "L", "P"):
            for klas in ("TOTAL", "PERKOTAAN", "PERDESAAN"):
                for ind, unit in INDICATORS:
                    for code, _ in lampung:
                        if size >= target_bytes:
                            break
                        parts = [f"""    <generic:Series>
      <generic:SeriesKey>
        <generic:Value id="FREQ" value="A"/>
        <generic:Value id="REF_AREA" value="{code.replace('.', '')}"/>
        <generic:Value id="INDICATOR" value="{ind}"/>
        <generic:Value id="KLASIFIKASI" value="{klas}"/>
        <generic:Value id="JENIS_KELAMIN" value="{sex}"/>
      </generic:SeriesKey>
      <generic:Attributes>
        <generic:Value id="UNIT_MEASURE" value="{unit}"/>
      </generic:Attributes>
"""]
                        for year in range(2011, 2025):
                            value = rng.randint(0, 2_000_000) if unit in ("PERSONS", "IDR_PER_CAPITA_MONTH") else round(rng.uniform(0, 30), 2)
                            parts.append(f"""      <generic:Obs>
        <generic:ObsDimension value="{year}"/>
        <generic:ObsValue value="{value}"/>
      </generic:Obs>
""")
                            obs += 1
                        parts.append("    </generic:Series>\n")
                        size += f.write("".join(parts))
        f.write("  </message:DataSet>\n</message:GenericData>\n")
    return {"rows": obs}


def stamp_of(kind, params):
    h = hashlib.sha256()
    for p in (__file__, REGION_TSV):
        with open(p, "rb") as f:
            h.update(f.read())
    h.update(json.dumps([kind, params], sort_keys=True).encode())
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, ".build", "bench-data"))
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--only", default=",".join(KINDS))
    ap.add_argument("--csr-nik", choices=["number", "text"], default="number",
                    help="write the CSR NIKs as numeric cells (default) or as text cells")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lteng, lampung = load_regions()
    n = args.rows * args.scale
    plan = {
        "registry": (f"registry-{label(n)}.csv", lambda p: write_registry(p, n, 18021, lteng)),
        "csr": (f"csr-{label(n // 5)}{'' if args.csr_nik == 'number' else '-niktext'}.xlsx",
                lambda p: write_csr(p, n // 5, 18022, lteng, args.csr_nik)),
        "baznas": (f"baznas-{label(n)}.csv", lambda p: write_baznas(p, n, 18023, lteng)),
        "sdmx": (f"sdmx-{max(1, n * 50 // 1_000_000)}mb.xml", lambda p: write_sdmx(p, n * 50, 18024, lampung)),
    }
    manifest_path = os.path.join(args.out, f"manifest-{label(n)}.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    for kind in [k for k in KINDS if k in args.only.split(",")]:
        name, write = plan[kind]
        path = os.path.join(args.out, name)
        stamp = stamp_of(kind, {"rows": n, "csr_nik": args.csr_nik} if kind == "csr" else {"rows": n})
        entry = manifest.get(kind)
        if entry and entry.get("file") != name:
            entry = None
        if entry and entry.get("stamp") == stamp and os.path.exists(path):
            print(f"generate: {name} is up to date")
            continue
        print(f"generate: writing {name} ...", flush=True)
        info = write(path + ".tmp")
        os.replace(path + ".tmp", path)
        manifest[kind] = dict(file=name, stamp=stamp, bytes=os.path.getsize(path), **info)
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)
    print(manifest_path)


if __name__ == "__main__":
    main()
