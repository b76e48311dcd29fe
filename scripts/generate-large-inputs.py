#!/usr/bin/env python3
"""Large, deterministic inputs for measuring Padu's memory and speed (not committed).

- <out>/csr-200k.xlsx: a CSR workbook of 200,000 recipient rows below a title block, written by
  xlsxwriter in constant-memory mode (NIK as text, amounts as numbers and as text, dates).
- <out>/p3ke-1m.csv: a P3KE export of about 1,000,000 family members (`;`, BOM, CRLF), made
  by generate-sample-data.py.

Usage: scripts/generate-large-inputs.py [--out DIR] [--rows N]   (pip install xlsxwriter)
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys


def write_csr(path, rows, seed):
    import xlsxwriter
    rng = random.Random(seed)
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    rupiah = wb.add_format({"num_format": '"Rp"#,##0'})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Penerima Bantuan")
    ws.write_string(0, 0, "LAPORAN PENYALURAN BANTUAN TJSL PT SUMBER AGRO LESTARI")
    ws.write_string(1, 0, "PROVINSI LAMPUNG TAHUN 2025")
    for c, h in enumerate(["No", "NIK", "Nama Penerima", "Jenis Bantuan", "Nilai Bantuan (Rp)", "Tanggal Penyaluran", "Desa", "Kecamatan"]):
        ws.write_string(3, c, h)
    names = ["Siti Aminah", "Sutrisno", "Wahyudi", "Sri Wahyuni", "Made Suarta", "Nur Hasanah", "Agus Salim", "Dewi Lestari"]
    desa = [("Sri Way Langsep", "Kalirejo"), ("Kaliwungu", "Kalirejo"), ("Purwodadi", "Bangun Rejo"), ("Pujo Kerto", "Trimurjo")]
    for i in range(rows):
        r = 4 + i
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, f"180201{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99)}{i % 9999 + 1:04d}")
        ws.write_string(r, 2, rng.choice(names))
        ws.write_string(r, 3, rng.choice(["Paket sembako", "Beasiswa", "Modal usaha"]))
        amount = rng.choice([350000, 1500000, 2500000])
        if i % 10 == 3:
            ws.write_string(r, 4, "Rp " + f"{amount:,}".replace(",", "."))
        else:
            ws.write_number(r, 4, amount, rupiah)
        ws.write_datetime(r, 5, dt.datetime(2025, 1 + i % 12, 1 + i % 28), date)
        d = desa[i % len(desa)]
        ws.write_string(r, 6, d[0])
        ws.write_string(r, 7, d[1])
    wb.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="bench-data")
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_csr(os.path.join(args.out, "csr-200k.xlsx"), args.rows, 1802)
    here = os.path.dirname(os.path.abspath(__file__))
    tmp = os.path.join(args.out, "p3ke-tmp")
    subprocess.run([sys.executable, os.path.join(here, "generate-sample-data.py"), "--families", "300000", "--out", tmp], check=True)
    os.replace(os.path.join(tmp, "p3ke-lampung-tengah-2025.csv"), os.path.join(args.out, "p3ke-1m.csv"))
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)
    print(f"wrote {args.out}/csr-200k.xlsx and {args.out}/p3ke-1m.csv")


if __name__ == "__main__":
    main()
