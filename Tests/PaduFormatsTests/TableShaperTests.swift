import XCTest
import PaduCore
import PaduFormats

/// Sheets as a reader would hand them over: cells as text, nil for empty.
private func row(_ cells: String?...) -> [String?] { cells }

final class TableShaperTests: XCTestCase {
    private func reasons(_ table: ShapedTable) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: table.rows.map { r -> (Int, String) in
            switch r {
            case .record: return (r.rowNumber, "record")
            case .skipped(let s): return (r.rowNumber, s.reason.rawValue)
            }
        })
    }

    // MARK: - A CSR list per person, with a title block

    private let csrSheet: [[String?]] = [
        row("LAPORAN PENYALURAN BANTUAN CSR"),
        row("PT SUMBER AGRO LESTARI"),
        row("KABUPATEN LAMPUNG TENGAH TAHUN 2025"),
        row(),
        row("No", "NIK", "Nama Penerima", "Alamat", "Desa", "Kecamatan", "Jenis Bantuan", "Jumlah (Rp)", "Tgl Penyaluran", "Keterangan", "Paraf"),
        row("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
        row("1", "1802014107850001", "Siti Aminah", "Dusun I", "Sri Way Langsep", "Kalirejo", "Sembako", "Rp 1.500.000", "14/07/2025", nil, "ttd"),
        row("2", "'1802011203800002", " Budi Santoso ", "Dusun II", "Sri Way Langsep", "Kalirejo", "Sembako", "1.500.000,-", "14 Juli 2025", "Lansia"),
        row(nil, nil, "  ", nil),
        row("3", "1802015506900003", "Wayan Sudarma", "Dusun III", "Kalirejo", "Kalirejo", "Modal Usaha", "2.000.000", "45852"),
        row("JUMLAH", nil, nil, nil, nil, nil, nil, "5.000.000", nil),
        row(nil, nil, nil, nil, nil, nil, nil, nil, "Kalirejo, 15 Juli 2025"),
    ]

    func testCSRSheetWithTitleBlockNumberingRowAndTotals() throws {
        let table = try TableShaper.shape(csrSheet, vocabulary: .assistance)
        let header = table.header
        XCTAssertEqual(header.rowNumbers, [5])
        XCTAssertEqual(header.titleBlock.map(\.rowNumber), [1, 2, 3])
        XCTAssertEqual(header.titleBlock[1].texts, ["PT SUMBER AGRO LESTARI"])
        XCTAssertEqual(header.organizationNames, ["PT SUMBER AGRO LESTARI"])
        XCTAssertEqual(header.mapping.columns, ["nik": 1, "nama": 2, "alamat": 3, "desa": 4, "kecamatan": 5, "jenis_bantuan": 6,
                                                "nilai": 7, "tanggal": 8, "keterangan": 9])
        XCTAssertEqual(Set(header.mapping.unusedHeaders), ["No", "Paraf"])
        XCTAssertEqual(reasons(table), [1: "title-block", 2: "title-block", 3: "title-block", 4: "title-block", 5: "header",
                                        6: "column-numbers", 7: "record", 8: "record", 9: "blank-row", 10: "record",
                                        11: "totals-row", 12: "record"])
        XCTAssertEqual(table.rows.count, csrSheet.count, "every row is accounted for")
        let records = table.records
        XCTAssertEqual(records[0].fields, ["nik": "1802014107850001", "nama": "Siti Aminah", "alamat": "Dusun I",
                                           "desa": "Sri Way Langsep", "kecamatan": "Kalirejo", "jenis_bantuan": "Sembako",
                                           "nilai": "Rp 1.500.000", "tanggal": "14/07/2025"])
        XCTAssertEqual(records[0].unmapped, ["No": "1", "Paraf": "ttd"])
        XCTAssertEqual(records[1].fields["nama"], "Budi Santoso", "cells are trimmed")
        XCTAssertEqual(records[1].fields["nik"], "'1802011203800002", "kept as written; IdentifierText reads it")
        XCTAssertEqual(records[2].rowNumber, 10)
        let totals = table.skipped.first { $0.reason == .totalsRow }!
        XCTAssertEqual(totals.detail, "label 'JUMLAH' in column A")
        // The signature line under the table is not a totals row; it stays visible (no NIK, no name).
        XCTAssertEqual(records[3].fields, ["tanggal": "Kalirejo, 15 Juli 2025"])
    }

    func testJumlahIsAHeaderInTheHeaderRowAndATotalsLabelBelowIt() throws {
        let table = try TableShaper.shape([
            row("NIK", "Nama", "Jumlah"),
            row("1802014107850001", "Siti", "500.000"),
            row("Jumlah", nil, "500.000"),
        ], vocabulary: .assistance)
        XCTAssertEqual(table.header.mapping.columns["nilai"], 2)
        XCTAssertEqual(reasons(table), [1: "header", 2: "record", 3: "totals-row"])
    }

    func testTotalsLabels() throws {
        let labels = ["JUMLAH", "Jumlah", "jumlah :", "TOTAL", "Total:", "GRAND TOTAL", "Grand Total :", "SUB TOTAL", "Sub-Total",
                      "SUBTOTAL", "JUMLAH TOTAL", "TOTAL KESELURUHAN", "Total  Keseluruhan", "JUMLAH KESELURUHAN"]
        for label in labels {
            for position in 0..<3 {
                var totals: [String?] = [nil, nil, nil, nil, "9.000.000"]
                totals[position] = label
                let table = try TableShaper.shape([
                    row("No", "NIK", "Nama", "Desa", "Nilai"),
                    row("1", "1802014107850001", "Siti", "Kalirejo", "4.000.000"),
                    row("2", "1802011203800002", "Budi", "Kalirejo", "4.000.000"),
                    totals,
                ], vocabulary: .assistance)
                XCTAssertEqual(reasons(table)[4], "totals-row", "\(label) in column \(position)")
            }
        }
        // A number in column A does not hide the label in column B.
        let numbered = try TableShaper.shape([
            row("No", "NIK", "Nama", "Nilai"),
            row("1", "1802014107850001", "Siti", "4.000.000"),
            row("2", "Total", nil, "4.000.000"),
        ], vocabulary: .assistance)
        XCTAssertEqual(reasons(numbered)[3], "totals-row")
        // Not totals: the first text cell is a name; the label is beyond the first 3 columns; a longer phrase.
        let notTotals = try TableShaper.shape([
            row("No", "NIK", "Nama", "Keterangan", "Nilai"),
            row("1", "1802014107850001", "Siti", "Jumlah", "4.000.000"),
            row(nil, nil, nil, "TOTAL", "4.000.000"),
            row("Jumlah Penerima Bantuan Tahun Ini", nil, nil, nil, "4.000.000"),
            row("3", "1802011203800002", "Total Wijaya", nil, "1.000.000"),
        ], vocabulary: .assistance)
        XCTAssertEqual(reasons(notTotals), [1: "header", 2: "record", 3: "record", 4: "record", 5: "record"])
    }

    // MARK: - Baznas export with a two-row merged header, page breaks and subtotals

    private let baznasSheet: [[String?]] = [
        row("DATA PENYALURAN ZAKAT BAZNAS KABUPATEN LEBONG"),
        row("PERIODE JANUARI - JUNI 2025"),
        row(),
        row("No", "Nama Mustahik", "NIK", "Asnaf", "Bantuan", nil, nil, "Lokasi", nil),
        row(nil, nil, nil, nil, "Jenis", "Nilai (Rp)", "Tanggal", "Desa", "Kecamatan"),
        row("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"),
        row("1", "Siti Aminah", "1707014107850001", "Fakir", "Uang Tunai", "Rp 500.000", "14-Agu-2025", "Tes", "Lebong Atas"),
        row("2", "Ahmad", "1707011203800002", "Miskin", "Sembako", "Rp 250.000", "14-Agu-2025", "Tes", "Lebong Atas"),
        row(nil, nil, nil, nil, nil, "Rp 750.000", nil, nil, nil),
        row("No", "Nama Mustahik", "NIK", "Asnaf", "Bantuan", nil, nil, "Lokasi", nil),
        row(nil, nil, nil, nil, "Jenis", "Nilai (Rp)", "Tanggal", "Desa", "Kecamatan"),
        row("3", "Wati", "1707015506900003", "Gharimin", "Uang Tunai", "Rp 1.000.000", "14-Des-2025", "Kota Donok", "Lebong Sakti"),
        row("4", "Yusuf", "1707010101700004", "Fisabilillah", "Beasiswa", "Rp 1.250.000", "15-Des-2025", "Kota Donok", "Lebong Sakti"),
        row("SUB TOTAL", nil, nil, nil, nil, "Rp 2.250.000", nil, nil, nil),
        row("GRAND TOTAL :", nil, nil, nil, nil, "Rp 3.000.000", nil, nil, nil),
    ]

    private func baznasMerges(including repeated: Bool) -> [MergedRange] {
        var refs = ["A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:I4"]
        if repeated { refs += ["A10:A11", "B10:B11", "C10:C11", "D10:D11", "E10:G10", "H10:I10"] }
        return refs.map { MergedRange(reference: $0)! }
    }

    func testTwoRowMergedHeader() throws {
        for merges in [baznasMerges(including: true), baznasMerges(including: false), []] {
            let table = try TableShaper.shape(baznasSheet, vocabulary: .assistance, options: .init(mergedRanges: merges))
            let header = table.header
            XCTAssertEqual(header.rowNumbers, [4, 5], "merges: \(merges.count)")
            XCTAssertEqual(header.labels, ["No", "Nama Mustahik", "NIK", "Asnaf", "Jenis Bantuan", "Nilai (Rp)", "Tanggal",
                                           "Lokasi Desa", "Kecamatan"], "merges: \(merges.count)")
            XCTAssertEqual(header.mapping.columns, ["nama": 1, "nik": 2, "asnaf": 3, "jenis_bantuan": 4, "nilai": 5, "tanggal": 6,
                                                    "desa": 7, "kecamatan": 8])
            XCTAssertEqual(header.organizationNames, ["BAZNAS KABUPATEN LEBONG"])
            XCTAssertEqual(header.titleBlock.map(\.rowNumber), [1, 2])
            XCTAssertEqual(reasons(table), [1: "title-block", 2: "title-block", 3: "title-block", 4: "header", 5: "header",
                                            6: "column-numbers", 7: "record", 8: "record", 9: "totals-row",
                                            10: "repeated-header", 11: "repeated-header", 12: "record", 13: "record",
                                            14: "totals-row", 15: "totals-row"], "merges: \(merges.count)")
            XCTAssertEqual(table.records.first?.fields["jenis_bantuan"], "Uang Tunai")
            XCTAssertEqual(table.records.first?.fields["tanggal"], "14-Agu-2025")
        }
    }

    func testCombinedUpperLowerLabelIsTriedBeforeTheLowerOne() throws {
        // "Bantuan" over "Nilai (Rp)" → "Bantuan Nilai (Rp)" is tried, then "Nilai (Rp) Bantuan", then "Nilai (Rp)".
        let custom = ColumnVocabulary(["nik": ["NIK"], "nama": ["Nama"], "nilai_bantuan": ["Bantuan Nilai (Rp)"],
                                       "nilai": ["Nilai (Rp)"], "tanggal": ["Tanggal"]])
        let table = try TableShaper.shape([
            row("NIK", "Nama", "Bantuan", nil),
            row(nil, nil, "Nilai (Rp)", "Tanggal"),
            row("1707014107850001", "Siti", "500.000", "14/08/2025"),
        ], vocabulary: custom, options: .init(mergedRanges: [MergedRange(reference: "C1:D1")!]))
        XCTAssertEqual(table.header.labels, ["NIK", "Nama", "Bantuan Nilai (Rp)", "Tanggal"])
        XCTAssertEqual(table.header.mapping.columns["nilai_bantuan"], 2)
        XCTAssertEqual(table.records.first?.fields["nilai_bantuan"], "500.000")
    }

    func testATitleRowAboveASingleHeaderIsNotGluedOnAsAGroupRow() throws {
        let table = try TableShaper.shape([
            row("DAFTAR PENERIMA BANTUAN"),
            row("NIK", "Nama", "Nilai"),
            row("1707014107850001", "Siti", "500.000"),
        ], vocabulary: .assistance, options: .init(mergedRanges: [MergedRange(reference: "A1:C1")!]))
        XCTAssertEqual(table.header.rowNumbers, [2])
        XCTAssertEqual(table.header.labels, ["NIK", "Nama", "Nilai"])
    }

    func testAUnitRowUnderTheHeaderJoinsIt() throws {
        let table = try TableShaper.shape([
            row("No", "NIK", "Nama", "Nilai", "Volume"),
            row(nil, nil, nil, "(Rp)", "(paket)"),
            row("1", "1707014107850001", "Siti", "500.000", "2"),
        ], vocabulary: .assistance)
        XCTAssertEqual(table.header.rowNumbers, [1, 2])
        XCTAssertEqual(table.header.labels, ["No", "NIK", "Nama", "Nilai (Rp)", "Volume"])
        XCTAssertEqual(table.header.mapping.columns["nilai"], 3)
        XCTAssertEqual(table.header.mapping.columns["volume"], 4)
        XCTAssertEqual(table.header.mapping.unusedHeaders, ["No"])
        // A group label merged across columns is not used alone: both sub-columns would claim it.
        let grouped = try TableShaper.shape([
            row("NIK", "Nama", "Nilai", nil),
            row(nil, nil, "Tunai", "Barang"),
            row("1707014107850001", "Siti", "500.000", "250.000"),
        ], vocabulary: .assistance, options: .init(mergedRanges: [MergedRange(reference: "C1:D1")!]))
        XCTAssertEqual(grouped.header.rowNumbers, [1, 2])
        XCTAssertEqual(grouped.header.labels, ["NIK", "Nama", "Nilai Tunai", "Nilai Barang"])
        XCTAssertNil(grouped.header.mapping.columns["nilai"])
        XCTAssertEqual(grouped.records.first?.unmapped, ["Nilai Tunai": "500.000", "Nilai Barang": "250.000"])
        // A section row under the header is not a unit row: it stays below the header.
        let sectioned = try TableShaper.shape([
            row("No", "NIK", "Nama", "Nilai"),
            row("I. DESA TES"),
            row("1", "1707014107850001", "Siti", "500.000"),
        ], vocabulary: .assistance)
        XCTAssertEqual(sectioned.header.rowNumbers, [1])
        XCTAssertEqual(sectioned.records.map(\.rowNumber), [2, 3])
    }

    // MARK: - Activity lists without NIK: totals by sums

    private let activitySheet: [[String?]] = [
        row("REALISASI PROGRAM TJSL PT. BUKIT ASAM TBK TAHUN 2025"),
        row(),
        row("No", "Program/Kegiatan", "Desa", "Kecamatan", "Volume", "Satuan", "Realisasi (Rp)"),
        row("1", "Bedah rumah", "Sri Way Langsep", "Kalirejo", "2", "unit", "50.000.000"),
        row("2", "Paket sembako", "Kalirejo", "Kalirejo", "100", "paket", "25.000.000,00"),
        row("3", "Beasiswa", "Kalirejo", "Kalirejo", "10", "orang", "30.000.000"),
        row(nil, nil, nil, nil, "112", nil, "105.000.000"),
        row("4", "Paket sembako", "Bina Karya", "Putra Rumbia", "100", "paket", "25.000.000"),
        row("5", "Paket sembako", "Bina Karya", "Putra Rumbia", "100", "paket", "25.000.000"),
        row(nil, "Total Putra Rumbia", nil, nil, "200", nil, "50.000.000"),
        row(nil, nil, nil, nil, "312", nil, "155.000.000"),
        row(nil, nil, nil, nil, "5", nil, "7.500.000"),
    ]

    func testTotalsBySumsOnAnActivitySheet() throws {
        let table = try TableShaper.shape(activitySheet, vocabulary: .assistance)
        XCTAssertEqual(table.header.mapping.columns, ["kegiatan": 1, "desa": 2, "kecamatan": 3, "volume": 4, "satuan": 5, "nilai": 6])
        XCTAssertEqual(table.header.organizationNames, ["PT. BUKIT ASAM TBK"])
        XCTAssertEqual(reasons(table), [1: "title-block", 2: "title-block", 3: "header", 4: "record", 5: "record", 6: "record",
                                        7: "totals-row", 8: "record", 9: "record", 10: "totals-row", 11: "totals-row",
                                        12: "record"])
        let sums = table.skipped.filter { $0.reason == .totalsRow }.map(\.detail)
        XCTAssertEqual(sums[0], "no identifying cell, and every number is a column sum of the 3 data rows above (volume: '112')")
        XCTAssertEqual(sums[1], "no identifying cell, and every number is a column sum of the 2 data rows above (volume: '200')")
        XCTAssertEqual(sums[2], "no identifying cell, and every number is a column sum of the 5 data rows above (volume: '312')")
        // A duplicate activity row (same numbers as the one above) stays a record: it has text cells.
        XCTAssertEqual(table.records.map(\.rowNumber), [4, 5, 6, 8, 9, 12])
    }

    func testSumsAreComparedInBothNumberStylesAndExactly() throws {
        let table = try TableShaper.shape([
            row("Kegiatan", "Desa", "Volume", "Nilai"),
            row("Sembako", "Tes", "1.5", "1500000"),
            row("Sembako", "Tes", "2.25", "Rp 2.500.000"),
            row(nil, nil, "3.75", "4.000.000,00"),
            row("Sembako", "Tes", "1,500", "1,500"),
            row("Sembako", "Tes", "1,500", "2,500"),
            row(nil, nil, "3,000", "4,000"),
        ], vocabulary: .assistance)
        XCTAssertEqual(reasons(table), [1: "header", 2: "record", 3: "record", 4: "totals-row", 5: "record", 6: "record",
                                        7: "totals-row"])
    }

    func testSumsRuleNeedsTwoRowsAndNoIdentifyingCells() throws {
        let table = try TableShaper.shape([
            row("NIK", "Nama", "Nilai"),
            row("1707014107850001", "Siti", "500.000"),
            row(nil, nil, "500.000"),                       // one row above: could be a duplicate, kept
            row("1707011203800002", nil, "1.000.000"),      // equals the sum but has a NIK
            row(nil, "Ahmad", "2.000.000"),                 // equals the sum but has a name
            row(nil, nil, "0"),                              // zero never proves a total
        ], vocabulary: .assistance)
        XCTAssertEqual(reasons(table), [1: "header", 2: "record", 3: "record", 4: "record", 5: "record", 6: "record"])
    }

    // MARK: - No header

    func testNoHeaderNamesTheRowsLookedAt() {
        let sheet: [[String?]] = [
            row("DAFTAR PENERIMA BANTUAN"),
            row("Nama", "Umur", "Tanda Tangan"),
            row("Siti", "45", "ttd"),
            row("Budi", "50", "ttd"),
        ]
        XCTAssertThrowsError(try TableShaper.shape(sheet, vocabulary: .assistance, firstRowNumber: 3)) { error in
            let e = error as! TableShapeError
            XCTAssertEqual(e.rowsLookedAt, 3...6)
            XCTAssertEqual(e.bestCandidate?.rowNumber, 4)
            XCTAssertEqual(e.bestCandidate?.fields, ["nama"])
            XCTAssertTrue(e.message.hasPrefix("no header row found in rows 3–6; the best candidate, row 4, names 1 known column "
                                              + "(nama ← 'Nama'); a header needs at least 2 cells naming known columns (alamat, asnaf,"),
                          e.message)
            XCTAssertTrue(e.message.hasSuffix("map the sheet's own column names explicitly if it uses others"), e.message)
        }
        XCTAssertThrowsError(try TableShaper.shape([], vocabulary: .assistance)) { error in
            let e = error as! TableShapeError
            XCTAssertNil(e.rowsLookedAt)
            XCTAssertTrue(e.message.hasPrefix("no header row found in the sheet (it has no rows)"), e.message)
        }
        XCTAssertThrowsError(try TableShaper.shape([row(), row("1", "2")], vocabulary: .assistance)) { error in
            XCTAssertTrue((error as! TableShapeError).message.hasPrefix("no header row found in rows 1–2; none of them names a known column"))
        }
    }

    func testHeaderBeyondTheSearchRowsIsNotFound() {
        let sheet: [[String?]] = Array(repeating: row("catatan"), count: 5) + [row("NIK", "Nama", "Nilai")]
        XCTAssertThrowsError(try TableShaper.shape(sheet, vocabulary: .assistance, options: .init(headerSearchRows: 5))) { error in
            XCTAssertEqual((error as! TableShapeError).rowsLookedAt, 1...5)
        }
        XCTAssertNoThrow(try TableShaper.shape(sheet, vocabulary: .assistance, options: .init(headerSearchRows: 6)))
    }

    func testNumbersAndDatesCountAgainstAHeader() throws {
        // Row 2 maps "Desa" and "Kecamatan" by accident, but its numbers make it a data row.
        let table = try TableShaper.shape([
            row("Kegiatan", "Lokasi", "Wilayah", "Nilai", "Tanggal"),
            row("Sembako", "Desa", "Kecamatan", "1.500.000", "14/07/2025"),
        ], vocabulary: .assistance)
        XCTAssertEqual(table.header.rowNumbers, [1])
    }

    func testExplicitMappingCountsTowardTheHeader() throws {
        let sheet: [[String?]] = [
            row("Nomor Induk ART", "Penerima Manfaat Zakat", "Besar Zakat"),
            row("1707014107850001", "Siti", "500.000"),
        ]
        XCTAssertThrowsError(try TableShaper.shape(sheet, vocabulary: .assistance))
        let table = try TableShaper.shape(sheet, vocabulary: .assistance,
                                          options: .init(explicit: ["nik": "Nomor Induk ART", "nama": "Penerima Manfaat Zakat"]))
        XCTAssertEqual(table.header.mapping.columns, ["nik": 0, "nama": 1])
        XCTAssertEqual(table.records.first?.unmapped, ["Besar Zakat": "500.000"])
    }

    // MARK: - Streaming, merged data cells, odd shapes

    func testStreamingHoldsBackOnlyTheHeaderSearchRows() throws {
        var shaper = TableShaper(vocabulary: .assistance, options: .init(headerSearchRows: 4))
        var emitted: [Int] = []
        let sheet: [[String?]] = [row("Judul"), row("NIK", "Nama", "Nilai"), row("1707014107850001", "Siti", "1"),
                                  row(), row("1707011203800002", "Budi", "2"), row("1707015506900003", "Wati", "3")]
        for (i, cells) in sheet.enumerated() {
            let out = try shaper.push(cells, rowNumber: 100 + i)
            if i < 3 { XCTAssertTrue(out.isEmpty); XCTAssertNil(shaper.header) }
            if i == 3 { XCTAssertEqual(out.map(\.rowNumber), [100, 101, 102, 103]); XCTAssertEqual(shaper.header?.rowNumbers, [101]) }
            if i > 3 { XCTAssertEqual(out.map(\.rowNumber), [100 + i]) }
            emitted += out.map(\.rowNumber)
        }
        XCTAssertEqual(try shaper.finish(), [])
        XCTAssertEqual(emitted, Array(100...105))
    }

    func testRowNumbersMayHaveGaps() throws {
        // XLSX readers skip absent rows; the caller's numbers are kept.
        var shaper = TableShaper(vocabulary: .assistance)
        var out: [ShapedRow] = []
        for (n, cells) in [(3, row("NIK", "Nama")), (7, row("1707014107850001", "Siti")), (12, row("1707011203800002", "Budi"))] {
            out += try shaper.push(cells, rowNumber: n)
        }
        out += try shaper.finish()
        XCTAssertEqual(out.map(\.rowNumber), [3, 7, 12])
    }

    func testMergedDataCellsAreFilledOnlyForChosenFields() throws {
        let sheet: [[String?]] = [
            row("NIK", "Nama", "Desa", "Nilai"),
            row("1707014107850001", "Siti", "Tes", "1.500.000"),
            row("1707011203800002", "Budi", nil, nil),
            row("1707015506900003", "Wati", nil, nil),
            row(),
        ]
        let merges = [MergedRange(reference: "C2:C5")!, MergedRange(reference: "D2:D5")!]
        let plain = try TableShaper.shape(sheet, vocabulary: .assistance, options: .init(mergedRanges: merges))
        XCTAssertNil(plain.records[1].fields["desa"])
        let filled = try TableShaper.shape(sheet, vocabulary: .assistance, options: .init(mergedRanges: merges, fillMergedFields: ["desa"]))
        XCTAssertEqual(filled.records.map { $0.fields["desa"] }, ["Tes", "Tes", "Tes"])
        XCTAssertEqual(filled.records.map(\.filledFromMerge), [[], ["desa"], ["desa"]])
        XCTAssertEqual(filled.records.map { $0.fields["nilai"] }, ["1.500.000", nil, nil], "a merged amount is one amount")
        XCTAssertEqual(filled.skipped.map(\.reason), [.header, .blankRow], "a blank row inside a merge stays blank")
    }

    func testUnlabelledAndDuplicateColumnsKeepTheirCells() throws {
        let table = try TableShaper.shape([
            row("NIK", "Nama", "Catatan", nil, "Catatan"),
            row("1707014107850001", "Siti", "a", "b", "c", "d"),
        ], vocabulary: .assistance)
        // "Catatan" is a keterangan alias: the first one maps, the second is unused.
        XCTAssertEqual(table.records[0].fields["keterangan"], "a")
        XCTAssertEqual(table.records[0].unmapped, ["column D": "b", "Catatan": "c", "column F": "d"])
    }

    func testMergedRangeReferences() {
        XCTAssertEqual(MergedRange(reference: "E5:G5"), MergedRange(rows: 5...5, columns: 4...6))
        XCTAssertEqual(MergedRange(reference: "$A$4:$A$5"), MergedRange(rows: 4...5, columns: 0...0))
        XCTAssertEqual(MergedRange(reference: "AA10:AB12"), MergedRange(rows: 10...12, columns: 26...27))
        XCTAssertEqual(MergedRange(reference: "G5:E5"), MergedRange(rows: 5...5, columns: 4...6))
        for bad in ["E5", "E:G", "5:7", "E0:G1", "", "E5:G5:H5", "ABCD1:A1"] { XCTAssertNil(MergedRange(reference: bad), bad) }
        XCTAssertEqual([0, 25, 26, 27, 701, 702].map(MergedRange.columnLetters), ["A", "Z", "AA", "AB", "ZZ", "AAA"])
    }

    func testOrganizationNamesInTitles() throws {
        let cases: [(String, [String])] = [
            ("DAFTAR PENERIMA BANTUAN CSR PT SUMBER AGRO LESTARI TAHUN 2025", ["PT SUMBER AGRO LESTARI"]),
            ("Laporan TJSL PT. Sumber Agro Lestari, Kabupaten Lampung Tengah", ["PT. Sumber Agro Lestari"]),
            ("CSR CV Maju Jaya Kecamatan Kalirejo", ["CV Maju Jaya"]),
            ("BAZNAS Kabupaten Musi Banyuasin Tahun 2025", ["BAZNAS Kabupaten Musi Banyuasin"]),
            ("Yayasan Peduli Lebong - Periode Juli", ["Yayasan Peduli Lebong"]),
            ("REKAP PENERIMA BANTUAN 2025", []),
        ]
        for (title, names) in cases {
            let table = try TableShaper.shape([row(title), row("NIK", "Nama"), row("1707014107850001", "Siti")], vocabulary: .assistance)
            XCTAssertEqual(table.header.organizationNames, names, title)
        }
    }

    func testRegistryVocabularyWorksToo() throws {
        // Raw P3KE Excel: a title block and data from row 13.
        var sheet: [[String?]] = [row("DATA P3KE"), row("Provinsi: LAMPUNG")] + Array(repeating: row(), count: 9)
        sheet.append(row("ID Keluarga P3KE", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan", "Desil Kesejahteraan",
                         "Nama Kepala Keluarga", "NIK", "No KK"))
        sheet.append(row("P3KE-001", "LAMPUNG", "LAMPUNG TENGAH", "KALIREJO", "SRI WAY LANGSEP", "1", "SITI", "1802014107850001",
                         "1802010101000001"))
        let table = try TableShaper.shape(sheet, vocabulary: .registry)
        XCTAssertEqual(table.header.rowNumbers, [12])
        XCTAssertEqual(table.records.map(\.rowNumber), [13])
        XCTAssertEqual(table.records[0].fields["desil"], "1")
    }
}
