#!/usr/bin/env python3
"""Creates the XLSX and ZIP test fixtures of PaduFormatsTests.

Test tooling only (never needed to build or run Padu):

    pip install xlsxwriter openpyxl
    python3 scripts/make-xlsx-fixtures.py            # writes Tests/PaduFormatsTests/Fixtures/xlsx/
    python3 scripts/make-xlsx-fixtures.py --big DIR  # also writes DIR/big-200k.xlsx (not committed)

The fixtures are committed, so the tests never need Python. Real writers are used where possible:
xlsxwriter (shared strings, dates, merged cells, formulas, 1904 dates, rich text), openpyxl (inline
strings) and, when `soffice` is installed, LibreOffice (a second writer: `csr-libreoffice.xlsx`; it is
kept as committed when LibreOffice is absent). Hostile files (truncated, renamed .xls,
password-protected, zip bomb, ZIP64, path traversal, CRC mismatch, ...) are crafted byte by byte.
"""

import argparse
import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import openpyxl
import xlsxwriter
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "PaduFormatsTests", "Fixtures", "xlsx")

# Fixed timestamps keep the files byte-for-byte reproducible.
CREATED = dt.datetime(2025, 7, 14, 8, 0, 0)


def path(name):
    return os.path.join(OUT, name)


# ---------------------------------------------------------------------------------------------------
# Real writers


def make_csr():
    """A typical social-registry (CSR) sheet, as offices send them."""
    wb = xlsxwriter.Workbook(path("csr.xlsx"))
    wb.set_properties({"created": CREATED})
    title = wb.add_format({"bold": True, "align": "center"})
    header = wb.add_format({"bold": True, "border": 1})
    border = wb.add_format({"border": 1})
    rupiah = wb.add_format({"num_format": '"Rp"#,##0'})  # custom, not a date
    red = wb.add_format({"num_format": "[Red]#,##0.00"})  # custom, not a date
    builtin_date = wb.add_format({"num_format": 14})  # built-in m/d/yyyy
    slash_date = wb.add_format({"num_format": "dd/mm/yyyy"})
    long_date = wb.add_format({"num_format": "d mmmm yyyy"})
    locale_date = wb.add_format({"num_format": "[$-421]dd mmmm yyyy"})  # Indonesian locale prefix
    date_time = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    ws = wb.add_worksheet("Penerima Bantuan")
    ws.merge_range("A1:G1", "DAFTAR PENERIMA BANTUAN LANGSUNG TUNAI (BLT) DESA", title)
    ws.merge_range("A2:G2", "Desa Sukamaju, Kecamatan Ngaglik, Kabupaten Sleman", title)
    ws.merge_range("A3:G3", "Tahun Anggaran 2025", title)
    # Row 4 is left out entirely (a sparse row).
    for col, name in enumerate(["No", "NIK", "Nama", "Nominal", "Tanggal Salur", "Keterangan", "Terverifikasi"]):
        ws.write_string(4, col, name, header)
    # Row 6: NIK as text, amount as number, date with a built-in date format.
    ws.write_number(5, 0, 1)
    ws.write_string(5, 1, "3578081234567890")
    ws.write_string(5, 2, "Siti Aminah")
    ws.write_number(5, 3, 1500000, rupiah)
    ws.write_datetime(5, 4, dt.datetime(2025, 7, 14), builtin_date)
    ws.write_string(5, 5, "Tahap 1")
    ws.write_boolean(5, 6, True)
    # Row 7: NIK damaged by Excel (typed as a number: 16th digit lost), amount as text, dd/mm/yyyy date.
    ws.write_number(6, 0, 2)
    ws.write_number(6, 1, 3578081234567891.0 // 10 * 10)
    ws.write_string(6, 2, "Budi Santoso")
    ws.write_string(6, 3, "Rp 1.500.000")
    ws.write_datetime(6, 4, dt.datetime(2025, 7, 15), slash_date)
    ws.write_string(6, 5, "NIK tersimpan sebagai angka")
    ws.write_boolean(6, 6, False)
    # Row 8: amount as Indonesian decimal text, "d mmmm yyyy" date.
    ws.write_number(7, 0, 3)
    ws.write_string(7, 1, "3404011505800002")
    ws.write_string(7, 2, "Wartini")
    ws.write_string(7, 3, "1.500.000,00")
    ws.write_datetime(7, 4, dt.datetime(2025, 7, 16), long_date)
    # Row 9: amount with ",-", date as text.
    ws.write_number(8, 0, 4)
    ws.write_string(8, 1, "3404014102750003")
    ws.write_string(8, 2, "Sugeng Riyadi")
    ws.write_string(8, 3, "1.500.000,-")
    ws.write_string(8, 4, "14/07/2025")
    # Row 10: blank but formatted (cells present without values).
    for col in range(7):
        ws.write_blank(9, col, None, border)
    # Row 11: decimal amount, date with an Indonesian locale prefix; row 12: a date and time.
    ws.write_number(10, 0, 5)
    ws.write_string(10, 1, "3404010101010001")
    ws.write_string(10, 2, "Rina Marlina")
    ws.write_number(10, 3, 1234567.891, red)
    ws.write_datetime(10, 4, dt.datetime(2025, 7, 17), locale_date)
    ws.write_datetime(11, 4, dt.datetime(2025, 7, 14, 13, 30), date_time)
    # Row 14 (row 13 absent): totals with formulas (a number, an error value).
    ws.write_string(13, 2, "JUMLAH")
    ws.write_formula(13, 3, "=SUM(D6:D12)", rupiah, 2734567.891)
    ws.write_formula(13, 4, "=NA()", None, "#N/A")
    ws.write_formula(13, 5, '="Total "&COUNT(A6:A12)&" penerima"', None, "Total 5 penerima")

    rekap = wb.add_worksheet("Rekap")
    rekap.write_string(0, 0, "Uraian")
    rekap.write_string(0, 1, "Nilai")
    rekap.write_string(1, 0, "Jumlah penerima")
    rekap.write_formula(1, 1, "=COUNT('Penerima Bantuan'!A6:A12)", None, 5)
    rekap.write_string(2, 0, "Total nominal")
    rekap.write_formula(2, 1, "='Penerima Bantuan'!D14", rupiah, 2734567.891)
    wb.close()


def make_openpyxl_inline():
    """openpyxl writes every string as an inline string (t="inlineStr"), rich text as runs."""
    wb = openpyxl.Workbook()
    wb.properties.created = CREATED
    wb.properties.modified = CREATED
    ws = wb.active
    ws.title = "Data"
    ws.append(["NIK", "Nama", "Nominal", "Tanggal", "Aktif"])
    ws.append(["3578081234567890", "Siti Aminah", 1500000, dt.datetime(2025, 7, 14), True])
    ws.append(["3404011505800002", CellRichText(["Bu", TextBlock(InlineFont(b=True), "di"), " Santoso"]), 0.1, None, False])
    ws["D2"].number_format = "dd/mm/yyyy"
    ws["A4"] = "  spasi  "
    ws["B4"] = 12.5
    wb.save(path("openpyxl-inline.xlsx"))
    normalize_zip_times(path("openpyxl-inline.xlsx"))


def make_1904():
    wb = xlsxwriter.Workbook(path("date1904.xlsx"), {"date_1904": True})
    wb.set_properties({"created": CREATED})
    ws = wb.add_worksheet("Tanggal")
    ws.write_string(0, 0, "Tanggal")
    ws.write_datetime(1, 0, dt.datetime(2025, 7, 14), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write_datetime(2, 0, dt.datetime(1904, 1, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    wb.close()


def make_rich_strings():
    wb = xlsxwriter.Workbook(path("rich-strings.xlsx"))
    wb.set_properties({"created": CREATED})
    bold = wb.add_format({"bold": True})
    italic = wb.add_format({"italic": True})
    ws = wb.add_worksheet("Teks")
    ws.write_rich_string(0, 0, "Nama ", bold, "lengkap", " ", italic, "penerima")
    ws.write_string(1, 0, "  spasi depan dan belakang  ")
    ws.write_string(2, 0, "baris satu\nbaris dua")
    ws.write_string(3, 0, "kontrol\x01karakter")
    ws.write_string(4, 0, "literal _x000D_ tetap")
    ws.write_string(5, 0, " ")
    ws.write_string(6, 0, "Nama ")  # a plain string equal to a rich one's first run
    wb.close()


def make_libreoffice():
    """Round-trips csr.xlsx through LibreOffice Calc (a second real writer)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found: keeping the committed csr-libreoffice.xlsx", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "csr-libreoffice-source.xlsx")
        shutil.copy(path("csr.xlsx"), source)
        profile = "file://" + os.path.join(work, "profile")
        subprocess.run(
            [soffice, "--headless", "-env:UserInstallation=" + profile, "--convert-to",
             "xlsx:Calc MS Excel 2007 XML", "--outdir", os.path.join(work, "out"), source],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300,
        )
        shutil.copy(os.path.join(work, "out", "csr-libreoffice-source.xlsx"), path("csr-libreoffice.xlsx"))


def normalize_zip_times(file):
    """Rewrites a zip with fixed timestamps so that regenerating gives identical bytes."""
    with zipfile.ZipFile(file) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 7, 14, 8, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)


# ---------------------------------------------------------------------------------------------------
# Hand-written workbook: writer quirks in one place


CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/chartsheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/>
</Relationships>"""

# Prefixed SpreadsheetML (x:), as some .NET writers produce; an absolute and a "../" relative target.
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr/>
<x:sheets>
<x:sheet name="Data Mentah" sheetId="7" r:id="rIdA"/>
<x:sheet name="Tersembunyi" sheetId="2" state="hidden" r:id="rIdB"/>
<x:sheet name="Grafik" sheetId="3" r:id="rIdC"/>
</x:sheets>
</x:workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdA" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rIdB" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../xl/worksheets/./sheet2.xml"/>
<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/>
<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.invalid/" TargetMode="External"/>
</Relationships>"""

# Phonetic runs (rPh) are not part of the text; _xHHHH_ escapes are decoded.
SHARED = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>Kode</t></si>
<si><r><rPr><b/></rPr><t>Sleman</t></r><r><t xml:space="preserve"> Barat</t></r><rPh sb="0" eb="1"><t>FONETIK</t></rPh><phoneticPr fontId="1"/></si>
<si><t>a_x000D_b_x005F_x0041_</t></si>
</sst>"""

# Style 1: custom Indonesian date; 2: elapsed time; 3: quoted "days" (not a date); 4: built-in 22.
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="[$-421]dd\\ mmmm\\ yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="0&quot; days&quot;"/></numFmts>
<fonts count="1"><font><sz val="11"/></font></fonts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="22"/></cellXfs>
</styleSheet>"""

# Rows and cells without r; a sparse jump to row 10; inline rich text; t="e", "b", "d", "str".
SHEET1 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:E10"/>
<x:sheetViews><x:sheetView workbookViewId="0"/></x:sheetViews>
<x:sheetData>
<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>
<x:row><x:c><x:v>00123</x:v></x:c><x:c s="1"><x:v>45852</x:v></x:c><x:c s="2"><x:v>1.5</x:v></x:c><x:c s="3"><x:v>7</x:v></x:c><x:c s="4"><x:v>45852.75</x:v></x:c></x:row>
<x:row r="10"><x:c r="B10" t="inlineStr"><x:is><x:r><x:t>Ka</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>bupaten</x:t></x:r></x:is></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="d"><x:v>2025-07-14T00:00:00</x:v></x:c><x:c t="str"><x:f>A1&amp;"!"</x:f><x:v>Kode!</x:v></x:c></x:row>
<x:row r="11"/>
</x:sheetData>
<x:mergeCells count="1"><x:mergeCell ref="B10:C11"/></x:mergeCells>
</x:worksheet>"""

SHEET2 = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>"""

CHART = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>"""


def make_handcrafted():
    write_zip(path("handcrafted.xlsx"), [
        ("[Content_Types].xml", CT),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", SHARED),
        ("xl/styles.xml", STYLES),
        ("xl/worksheets/sheet1.xml", SHEET1),
        ("xl/worksheets/sheet2.xml", SHEET2),
        ("xl/chartsheets/sheet1.xml", CHART),
    ])


def write_zip(file, items, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(file, "w", method) as archive:
        for name, text in items:
            info = zipfile.ZipInfo(name, date_time=(2025, 7, 14, 8, 0, 0))
            info.compress_type = method
            archive.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def minimal_workbook(sheet_xml):
    """The parts of a one-sheet workbook around the given sheet XML."""
    return [
        ("[Content_Types].xml", CT),
        ("_rels/.rels", ROOT_RELS.replace("/xl/workbook.xml", "xl/workbook.xml")),
        ("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""),
        ("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"""),
        ("xl/worksheets/sheet1.xml", sheet_xml),
    ]


# ---------------------------------------------------------------------------------------------------
# Hostile and unusual files


def make_hostile():
    # A download cut short: the central directory at the end is missing.
    with open(path("csr.xlsx"), "rb") as source:
        data = source.read()
    with open(path("truncated.xlsx"), "wb") as target:
        target.write(data[: len(data) * 6 // 10])

    # An old binary Excel file renamed to .xlsx: OLE2 signature followed by junk.
    with open(path("renamed-xls.xlsx"), "wb") as target:
        target.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes((i * 37 + 11) % 256 for i in range(4088)))

    # A workbook with a password to open: an OLE2 file whose directory holds EncryptedPackage.
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHH", header, 0x18, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0)  # directory in sector 0
    directory = bytearray(512)
    for slot, name in enumerate(["Root Entry", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"]):
        encoded = (name + "\0").encode("utf-16-le")
        directory[slot * 128: slot * 128 + len(encoded)] = encoded
        struct.pack_into("<H", directory, slot * 128 + 0x40, len(encoded))
    with open(path("password-protected.xlsx"), "wb") as target:
        target.write(bytes(header) + bytes(directory))

    # Not a zip at all (a CSV saved with the wrong extension).
    with open(path("not-a-zip.xlsx"), "wb") as target:
        target.write(b"NIK;Nama\n3578081234567890;Siti Aminah\n")

    # A Word document named .xlsx.
    write_zip(path("word-document.xlsx"), [
        ("[Content_Types].xml", """<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""),
        ("_rels/.rels", ROOT_RELS.replace("/xl/workbook.xml", "word/document.xml")),
        ("word/document.xml", "<document/>"),
    ])

    # A zip bomb: a valid-looking workbook whose sheet inflates from ~50 KB to 50 MiB (~1000:1).
    bomb = os.path.join(OUT, "bomb.xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in minimal_workbook("")[:-1]:
            info = zipfile.ZipInfo(name, date_time=(2025, 7, 14, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(2025, 7, 14, 8, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = b"<row/>" * (1 << 16)
            for _ in range((50 << 20) // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")

    # A workbook whose sheet contains an external entity (XXE): must be refused, never resolved.
    write_zip(path("xxe.xlsx"), minimal_workbook(
        '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'))

    # Damaged XML inside a sheet (an unclosed tag on line 3).
    write_zip(path("malformed-sheet.xlsx"), minimal_workbook(
        '<?xml version="1.0"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\n'
        '<row r="1"><c r="A1"><v>1</v></c></row>\n<row r="2"><c r="A2"><v>2</v></row>\n</sheetData></worksheet>'))


def make_zips():
    """Zip container cases for ZipArchiveTests."""
    text = ("Padu " * 2000).encode()  # compressible
    with zipfile.ZipFile(path("zip-basic.zip"), "w") as archive:
        for name, data, method in [
            ("stored.txt", b"disimpan apa adanya\n", zipfile.ZIP_STORED),
            ("folder/deflated.txt", text, zipfile.ZIP_DEFLATED),
            ("empty.txt", b"", zipfile.ZIP_DEFLATED),
            ("folder/", b"", zipfile.ZIP_STORED),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2025, 7, 14, 8, 0, 0))
            info.compress_type = method
            archive.writestr(info, data)
        archive.comment = b"komentar arsip"

    # Unsafe names next to a safe one.
    write_zip(path("zip-traversal.zip"), [
        ("ok.txt", "aman"), ("../../evil.txt", "jahat"), ("/etc/absolute.txt", "jahat"), ("a/../../b.txt", "jahat"),
    ])

    # bzip2 (method 12): valid zip, unsupported method.
    write_zip(path("zip-bzip2.zip"), [("data.txt", "bzip2 " * 100)], method=zipfile.ZIP_BZIP2)

    # The remaining cases are crafted by hand.
    deflated = raw_deflate(text)
    build_zip(path("zip-crc-mismatch.zip"), [entry("data.txt", deflated, len(text), zlib.crc32(text) ^ 0xFFFF, 8)])
    build_zip(path("zip-encrypted.zip"), [entry("secret.txt", b"\x00" * 24, 12, 0, 8, flags=1)])
    # A deflate entry whose header claims 100 bytes but which inflates to 20 MiB (headers lie).
    zeros = raw_deflate(b"\x00" * (20 << 20))
    build_zip(path("zip-lying-size.zip"), [entry("small.txt", zeros, 100, 0, 8)])
    # ZIP64: sizes and offsets in ZIP64 extra fields, ZIP64 end of central directory + locator.
    build_zip(path("zip64.zip"), [
        entry("stored.txt", b"zip64 stored\n", 13, zlib.crc32(b"zip64 stored\n"), 0),
        entry("deflated.txt", deflated, len(text), zlib.crc32(text), 8),
    ], zip64=True)


def raw_deflate(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def entry(name, payload, size, crc, method, flags=0):
    return {"name": name.encode(), "payload": payload, "size": size, "crc": crc, "method": method, "flags": flags}


def build_zip(file, entries, zip64=False):
    """Writes a zip by hand, optionally with every size and offset in ZIP64 fields."""
    out = bytearray()
    central = bytearray()
    for item in entries:
        offset = len(out)
        compressed = len(item["payload"])
        if zip64:
            local_extra = struct.pack("<HHQQ", 1, 16, item["size"], compressed)
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, item["flags"], item["method"], 0, 0, item["crc"],
                               0xFFFFFFFF, 0xFFFFFFFF, len(item["name"]), len(local_extra))
            out += item["name"] + local_extra
        else:
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, item["flags"], item["method"], 0, 0, item["crc"],
                               compressed, item["size"], len(item["name"]), 0)
            out += item["name"]
        out += item["payload"]
        if zip64:
            extra = struct.pack("<HHQQQ", 1, 24, item["size"], compressed, offset)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, item["flags"], item["method"], 0, 0,
                                   item["crc"], 0xFFFFFFFF, 0xFFFFFFFF, len(item["name"]), len(extra), 0, 0, 0, 0,
                                   0xFFFFFFFF)
            central += item["name"] + extra
        else:
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, item["flags"], item["method"], 0, 0,
                                   item["crc"], compressed, item["size"], len(item["name"]), 0, 0, 0, 0, 0, offset)
            central += item["name"]
    directory_offset = len(out)
    out += central
    if zip64:
        record_offset = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central),
                           directory_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, record_offset, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), directory_offset, 0)
    with open(file, "wb") as target:
        target.write(out)


def make_big(directory, rows=200_000):
    """A 200 000-row CSR-like sheet for the benchmark (constant_memory: inline strings, flat memory)."""
    file = os.path.join(directory, "big-200k.xlsx")
    wb = xlsxwriter.Workbook(file, {"constant_memory": True})
    ws = wb.add_worksheet("Penerima Bantuan")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["No", "NIK", "Nama", "Nominal", "Tanggal Salur", "Desa", "Keterangan", "Terverifikasi"])
    for i in range(1, rows + 1):
        ws.write_number(i, 0, i)
        ws.write_string(i, 1, "3404%012d" % i)
        ws.write_string(i, 2, "Penerima %d" % i)
        ws.write_number(i, 3, 1500000 + (i % 7) * 250000)
        ws.write_number(i, 4, 45852 + i % 365, date)
        ws.write_string(i, 5, "Desa %d" % (i % 80))
        ws.write_string(i, 6, "Tahap %d" % (i % 4 + 1))
        ws.write_boolean(i, 7, i % 3 == 0)
    wb.close()
    print(file)


def make_p3ke_raw():
    """A raw P3KE workbook as the regions receive it: a title block, the header on row 12, data from row 13."""
    out = os.path.join(HERE, "..", "Tests", "PluginTests", "Fixtures", "registry")
    os.makedirs(out, exist_ok=True)
    wb = xlsxwriter.Workbook(os.path.join(out, "p3ke-raw.xlsx"))
    wb.set_properties({"created": CREATED})
    bold = wb.add_format({"bold": True})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Data P3KE")
    ws.merge_range("A1:J1", "DATA PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)", bold)
    ws.write_string(2, 0, "Provinsi")
    ws.write_string(2, 2, ": LAMPUNG")
    ws.write_string(3, 0, "Kabupaten/Kota")
    ws.write_string(3, 2, ": LAMPUNG TENGAH")
    ws.write_string(4, 0, "Kecamatan")
    ws.write_string(4, 2, ": KALIREJO")
    ws.write_string(6, 0, "Sumber: Kemenko PMK, 2024")
    ws.write_string(9, 0, "Dicetak: 14/07/2025")
    headers = ["No", "ID Keluarga P3KE", "Kode Desa", "Desa/Kelurahan", "No KK", "NIK", "Nama", "Jenis Kelamin",
               "Tanggal Lahir", "Desil Kesejahteraan", "Penerima PKH"]
    for c, h in enumerate(headers):
        ws.write_string(11, c, h, bold)
    rows = [
        ("P3KE1802010001", "1802012001", "SRI WAY LANGSEP", "1802010204180001", "1802011204850001", "SUTRISNO", "LAKI-LAKI", dt.datetime(1985, 4, 12), 1, "YA"),
        ("P3KE1802010001", "1802012001", "SRI WAY LANGSEP", "1802010204180001", "1802015506880002", "SITI AMINAH", "PEREMPUAN", dt.datetime(1988, 6, 15), 1, "YA"),
        ("P3KE1802010002", "1802012003", "KALIREJO", "1802010305190002", None, "WAHYUDI", "LAKI-LAKI", "03/05/1979", 2, "TIDAK"),
    ]
    for i, r in enumerate(rows):
        row = 12 + i
        ws.write_number(row, 0, i + 1)
        ws.write_string(row, 1, r[0])
        ws.write_string(row, 2, r[1])
        ws.write_string(row, 3, r[2])
        ws.write_string(row, 4, r[3])
        if r[4] is None:
            ws.write_number(row, 5, 1802011005790000.0)  # a NIK typed as a number: damaged
        else:
            ws.write_string(row, 5, r[4])
        ws.write_string(row, 6, r[5])
        ws.write_string(row, 7, r[6])
        if isinstance(r[7], str):
            ws.write_string(row, 8, r[7])
        else:
            ws.write_datetime(row, 8, r[7], date)
        ws.write_number(row, 9, r[8])
        ws.write_string(row, 10, r[9])
    wb.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", metavar="DIR", help="also write DIR/big-200k.xlsx (not committed)")
    parser.add_argument("--no-libreoffice", action="store_true", help="keep the committed csr-libreoffice.xlsx")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    make_csr()
    make_openpyxl_inline()
    make_1904()
    make_rich_strings()
    make_handcrafted()
    make_hostile()
    make_zips()
    make_p3ke_raw()
    if not args.no_libreoffice:
        make_libreoffice()
    if args.big:
        make_big(args.big)


if __name__ == "__main__":
    main()
