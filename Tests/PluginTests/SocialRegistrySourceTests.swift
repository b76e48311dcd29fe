import Foundation
import PaduCore
import PaduWarehouse
import SocialRegistryPlugin
import XCTest

/// The `social-registry` source on exports written the way offices' tools write them.
final class SocialRegistrySourceTests: XCTestCase {
    /// Everything one input yields.
    struct Read {
        var input: InputRef
        var batches: [Batch] = []
        var rejections: [Rejection] = []
        var bytesRead: Int64 = 0
        var fileSize: Int64 = 0

        var rowCount: Int { batches.reduce(0) { $0 + $1.count } }
        /// (batch, row) pairs in file order.
        var rows: [(batch: Batch, row: Int)] { batches.flatMap { b in (0..<b.count).map { (b, $0) } } }
        func value(_ field: String, row: Int) -> Value {
            let r = rows[row]
            return r.batch.value(field, at: r.row)
        }
        func rejection(atLine line: Int) -> Rejection? { rejections.first { $0.locator.row == line } }
    }

    private func makeSource(_ options: [String: OptionValue], file: StaticString = #filePath, line: UInt = #line) throws -> any SourceStage {
        let problems = SocialRegistrySource.descriptor.problems(with: options)
        XCTAssertEqual(problems, [], file: file, line: line)
        guard case .source(let stage) = try SocialRegistrySource.descriptor.make(PluginOptions(options)) else {
            throw WrongStageKind(message: "social-registry did not make a source stage")
        }
        return stage
    }

    private func read(_ fixture: String, _ options: [String: OptionValue]) throws -> Read {
        try read(path: Fixtures.path(fixture), options)
    }

    private func read(path: String, _ options: [String: OptionValue]) throws -> Read {
        let stage = try makeSource(options)
        let file = try InputFile.inspect(path: path)
        let input = InputRef(id: 7, sha256: file.sha256, path: file.path)
        let reader = try stage.open(input, file: file, context: stageContext())
        defer { reader.close() }
        var result = Read(input: input)
        result.fileSize = file.size
        while true {
            var rejections = Rejections()
            let batch = try reader.next(rejections: &rejections)
            result.rejections += rejections.items
            guard let batch else { break }
            XCTAssertEqual(batch.schema, SocialRegistrySource.schema)
            XCTAssertEqual(batch.input, input)
            XCTAssertNil(batch.sheet)
            result.batches.append(batch)
        }
        result.bytesRead = reader.bytesRead
        return result
    }

    private func openError(_ fixture: String, _ options: [String: OptionValue]) throws -> String? {
        let stage = try makeSource(options)
        let file = try InputFile.inspect(path: Fixtures.path(fixture))
        do {
            let reader = try stage.open(InputRef(id: 1, sha256: file.sha256, path: file.path), file: file, context: stageContext())
            reader.close()
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func date(_ y: Int, _ m: Int, _ d: Int) -> Value { .date(CivilDate(year: y, month: m, day: d)!) }

    // MARK: - P3KE: ';', UTF-8 with BOM, CRLF

    func testP3KEExportWithBOMAndCRLF() throws {
        let r = try read("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE")])
        XCTAssertEqual(r.rowCount, 8)
        // First row: every field typed and normalised.
        XCTAssertEqual(r.value("registry", row: 0), .string("P3KE"))
        XCTAssertEqual(r.value("registry_id", row: 0), .string("P3KE1802010000001"), "the BOM is not part of the first header")
        XCTAssertEqual(r.value("kode_desa", row: 0), .string("1802012001"))
        XCTAssertEqual(r.value("desa", row: 0), .string("SRI WAY LANGSEP"))
        XCTAssertEqual(r.value("no_kk", row: 0), .string("1802012003100001"))
        XCTAssertEqual(r.value("nik", row: 0), .string("1802011204800001"))
        XCTAssertEqual(r.value("nama", row: 0), .string("SUPARMAN"))
        XCTAssertEqual(r.value("jenis_kelamin", row: 0), .string("L"), "LAKI-LAKI is normalised to L")
        XCTAssertEqual(r.value("tanggal_lahir", row: 0), date(1980, 4, 12))
        XCTAssertEqual(r.value("hubungan_keluarga", row: 0), .string("KEPALA KELUARGA"))
        XCTAssertEqual(r.value("desil", row: 0), .int(1))
        XCTAssertEqual(r.value("pkh", row: 0), .bool(true))
        // Fields the file does not have are null, and no value carries the line ending.
        for field in ["tempat_lahir", "pekerjaan", "alamat", "rt", "rw", "kode_provinsi", "kode_kabupaten", "kode_kecamatan", "bpnt", "pbi_jkn", "blt"] {
            XCTAssertEqual(r.value(field, row: 0), .null, field)
        }
        XCTAssertEqual(r.value("jenis_kelamin", row: 1), .string("P"), "PEREMPUAN is normalised to P")
        XCTAssertEqual(r.value("tanggal_lahir", row: 1), date(1985, 6, 5))
        XCTAssertEqual(r.value("nik", row: 1), .string("1802014506850001"))
        XCTAssertEqual(r.value("desil", row: 4), .int(2))
        XCTAssertEqual(r.value("pkh", row: 4), .bool(false), "TIDAK")
        XCTAssertEqual(r.value("pkh", row: 7), .bool(true), "the last field of the last line has no CR left")
        XCTAssertEqual(r.value("nama", row: 7), .string("AHMAD FAUZI"))
    }

    func testP3KELocatorsArePhysicalLinesAndByteOffsets() throws {
        let r = try read("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE")])
        let starts = try Fixtures.lineStarts("p3ke-kalirejo-2025.csv")
        let lines = [2, 3, 4, 5, 6, 7, 9, 10]
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, lines)
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].byteOffset }, lines.map { starts[$0 - 1] })
        let locator = r.rows[6].batch.locator(at: r.rows[6].row, column: "NIK")
        XCTAssertEqual(locator.row, 9)
        XCTAssertEqual(locator.column, "NIK")
        XCTAssertEqual(locator.input, r.input)
        XCTAssertEqual(locator.description, Fixtures.path("p3ke-kalirejo-2025.csv") + ":9:NIK")
        XCTAssertEqual(r.bytesRead, r.fileSize, "the whole file was consumed")
    }

    func testBlankRowIsSkippedWithItsLine() throws {
        let r = try read("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE")])
        XCTAssertEqual(r.rejections.count, 1)
        let blank = try XCTUnwrap(r.rejections.first)
        XCTAssertEqual(blank.disposition, .skipped)
        XCTAssertEqual(blank.reason.code, "blank-row")
        XCTAssertEqual(blank.locator.row, 8)
        XCTAssertEqual(blank.locator.byteOffset, try Fixtures.lineStarts("p3ke-kalirejo-2025.csv")[7])
        XCTAssertTrue(blank.reason.message.contains("8"), blank.reason.message)
        XCTAssertEqual(r.rowCount + r.rejections.count, 9, "every record after the header is a row or a rejection")
    }

    func testBatchSizeSplitsTheInputWithoutLosingRows() throws {
        let r = try read("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE"), "batchSize": .int(3)])
        XCTAssertEqual(r.batches.map(\.count), [3, 3, 2])
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, [2, 3, 4, 5, 6, 7, 9, 10])
        XCTAssertEqual(r.rejections.map(\.locator.row), [8])
    }

    // MARK: - DTKS: '|', LF, dates with a time, Y/T flags

    func testDTKSPipeExport() throws {
        let r = try read("dtks-kalirejo-2025.txt", ["registry": .string("DTKS")])
        XCTAssertEqual(r.rowCount, 6)
        XCTAssertEqual(r.rejections.count, 0)
        XCTAssertEqual(r.value("registry", row: 0), .string("DTKS"))
        XCTAssertEqual(r.value("registry_id", row: 0), .string("180201000012345"))
        XCTAssertEqual(r.value("nik", row: 0), .string("1802011204800001"))
        XCTAssertEqual(r.value("no_kk", row: 0), .string("1802012003100001"))
        XCTAssertEqual(r.value("tanggal_lahir", row: 0), date(1980, 4, 12), "' 0:00:00' is dropped")
        XCTAssertEqual(r.value("desa", row: 0), .string("SRI WAY LANGSEP"), "DESA/KELUARAHAN, misspelt as in the source")
        XCTAssertEqual(r.value("pkh", row: 0), .bool(true), "Y")
        XCTAssertEqual(r.value("pkh", row: 2), .bool(false), "T")
        XCTAssertEqual(r.value("jenis_kelamin", row: 1), .string("P"))
        XCTAssertEqual(r.value("tanggal_lahir", row: 4), date(1988, 12, 21))
        XCTAssertEqual(r.value("desil", row: 0), .null, "DTKS has no desil column")
        let starts = try Fixtures.lineStarts("dtks-kalirejo-2025.txt")
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, [2, 3, 4, 5, 6, 7])
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].byteOffset }, (2...7).map { starts[$0 - 1] })
    }

    func testWindows1252ExportIsDecoded() throws {
        let r = try read("dtks-windows1252.txt", ["registry": .string("DTKS")])
        XCTAssertEqual(r.rowCount, 2)
        XCTAssertEqual(r.value("nama", row: 0), .string("ANDRÉ WIJAYA"))
        XCTAssertEqual(r.value("nama", row: 1), .string("NUR\u{2019}AINI"))
        XCTAssertEqual(r.value("desa", row: 1), .string("SRI MULYO"))
        let forced = try read("dtks-windows1252.txt", ["registry": .string("DTKS"), "encoding": .string("windows1252"), "delimiter": .string("|")])
        XCTAssertEqual(forced.value("nama", row: 0), .string("ANDRÉ WIJAYA"))
    }

    func testWindows1252ByteOffsetsCountRawBytes() throws {
        let r = try read("dtks-windows1252.txt", ["registry": .string("DTKS")])
        let starts = try Fixtures.lineStarts("dtks-windows1252.txt")
        // 'É' is one byte in the file and two once decoded: offsets are the file's.
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].byteOffset }, [starts[1], starts[2]])
        XCTAssertEqual(r.bytesRead, r.fileSize)
    }

    func testUTF16ExcelUnicodeTextExport() throws {
        // Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated, CRLF.
        let r = try read("registry-utf16.txt", ["registry": .string("P3KE")])
        XCTAssertEqual(r.rowCount, 2)
        XCTAssertEqual(r.rejections.count, 0)
        XCTAssertEqual(r.value("nik", row: 0), .string("1802011204800001"), "the BOM is not part of the first header")
        XCTAssertEqual(r.value("nama", row: 1), .string("SITI AMINAH"))
        XCTAssertEqual(r.value("kode_desa", row: 1), .string("1802012001"))
        XCTAssertEqual(r.value("pkh", row: 0), .bool(true), "1")
        XCTAssertEqual(r.value("pkh", row: 1), .bool(false), "0 (and no CR left)")
        // Offsets count raw bytes: the 2-byte BOM, then two bytes per character.
        let raw = try Fixtures.bytes("registry-utf16.txt")
        let units = stride(from: 2, to: raw.count - 1, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
        let text = String(decoding: units, as: UTF16.self)
        let lines = text.components(separatedBy: "\r\n")
        let line2 = Int64(2 + 2 * (lines[0].utf16.count + 2))
        let line3 = line2 + Int64(2 * (lines[1].utf16.count + 2))
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].byteOffset }, [line2, line3])
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, [2, 3])
    }

    /// Regression: the source strips a leading apostrophe (Excel's text marker) from every field whose
    /// name starts with "n" — meant for nik and no_kk, it also hits `nama`, so names written
    /// with a leading ain ('AISYAH, 'ABDULLAH) lose it. (SocialRegistrySource.swift, `convert`.)
    func testLeadingApostropheOfANameIsKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("dtks-apostrophe.txt")
        try """
            ID DTKS|NIK|NO KK|NAMA|JENIS KELAMIN|TGL LAHIR|DESA/KELUARAHAN|PKH
            180201000012390|'1802015004950007|'1802010807140007|'AISYAH|P|10/04/1995 0:00:00|SRI MULYO|T

            """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try read(path: path, ["registry": .string("DTKS")])
        XCTAssertEqual(r.value("nik", row: 0), .string("1802015004950007"), "identifiers lose Excel's marker")
        XCTAssertEqual(r.value("no_kk", row: 0), .string("1802010807140007"))
        XCTAssertEqual(r.value("nama", row: 0), .string("'AISYAH"), "a name keeps its apostrophe")
    }

    // MARK: - ',' with quotes

    func testQuotedFieldsWithDelimitersQuotesAndLineBreaks() throws {
        let r = try read("registry-quoted.csv", ["registry": .string("DTSEN")])
        XCTAssertEqual(r.rowCount, 3)
        XCTAssertEqual(r.rejections.count, 0)
        XCTAssertEqual(r.value("nama", row: 0), .string("SUTRISNO, S.PD"))
        XCTAssertEqual(r.value("alamat", row: 0), .string("JL. MAWAR NO. 5, DUSUN II"))
        XCTAssertEqual(r.value("rt", row: 0), .string("001"), "RT keeps its leading zeros")
        XCTAssertEqual(r.value("rw", row: 0), .string("002"))
        XCTAssertEqual(r.value("kode_desa", row: 0), .string("18.02.01.2001"), "KODE WILAYAH")
        XCTAssertEqual(r.value("desil", row: 0), .int(3))
        XCTAssertEqual(r.value("alamat", row: 1), .string("DUSUN III\nDEKAT MASJID AL-IKHLAS"))
        XCTAssertEqual(r.value("nama", row: 2), .string("WAYAN \"DE\" SUDARMA"))
        let starts = try Fixtures.lineStarts("registry-quoted.csv")
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, [2, 3, 5],
                       "the record with a line break keeps its starting line; the next one starts two lines later")
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].byteOffset }, [starts[1], starts[2], starts[4]])
    }

    // MARK: - Damaged rows

    func testDamagedRowsAreQuarantinedWithReasonAndColumn() throws {
        let r = try read("p3ke-damaged.csv", ["registry": .string("P3KE")])
        XCTAssertEqual(r.rows.map { $0.batch.origins[$0.row].row }, [2, 9, 11])
        XCTAssertEqual(r.rejections.map(\.locator.row), [3, 4, 5, 6, 7, 8, 10])
        XCTAssertEqual(r.rowCount + r.rejections.count, 10, "every record is a row or a rejection")

        func check(_ line: Int, _ disposition: Disposition, _ code: String, column: String?, mentions: [String] = [],
                   file: StaticString = #filePath, sourceLine: UInt = #line) {
            guard let rej = r.rejection(atLine: line) else { return XCTFail("no rejection at line \(line)", file: file, line: sourceLine) }
            XCTAssertEqual(rej.disposition, disposition, "line \(line)", file: file, line: sourceLine)
            XCTAssertEqual(rej.reason.code, code, "line \(line)", file: file, line: sourceLine)
            XCTAssertEqual(rej.locator.column, column, "line \(line)", file: file, line: sourceLine)
            XCTAssertEqual(rej.locator.input, r.input, file: file, line: sourceLine)
            XCTAssertNotNil(rej.locator.byteOffset, file: file, line: sourceLine)
            for text in mentions {
                XCTAssertTrue(rej.reason.message.contains(text), "line \(line): '\(rej.reason.message)' lacks '\(text)'", file: file, line: sourceLine)
            }
        }
        check(3, .quarantined, "wrong-field-count", column: nil, mentions: ["10 fields", "11"])
        check(4, .quarantined, "bad-date", column: "TANGGAL_LAHIR", mentions: ["31/02/2012", "dd/mm/yyyy"])
        check(5, .quarantined, "bad-flag", column: "PENERIMA_PKH", mentions: ["MUNGKIN", "YA/TIDAK"])
        check(6, .skipped, "blank-row", column: nil)
        check(7, .quarantined, "bad-sex", column: "JENIS_KELAMIN", mentions: ["'X'"])
        check(8, .quarantined, "bad-number", column: "DESIL_KESEJAHTERAAN", mentions: ["DUA"])
        check(10, .skipped, "blank-row", column: nil)

        // Quarantined rows keep their raw values under the file's headers, in file order.
        let wrongCount = try XCTUnwrap(r.rejection(atLine: 3))
        XCTAssertEqual(wrongCount.values.count, 10)
        XCTAssertEqual(wrongCount.values.first?.0, "ID_KELUARGA_P3KE")
        XCTAssertEqual(wrongCount.values.first?.1, "P3KE1802010000001")
        let badDate = try XCTUnwrap(r.rejection(atLine: 4))
        XCTAssertEqual(badDate.values.count, 11)
        XCTAssertTrue(badDate.values.contains { $0.0 == "TANGGAL_LAHIR" && $0.1 == "31/02/2012" })
        XCTAssertTrue(badDate.values.contains { $0.0 == "NIK" && $0.1 == "1802010109120002" })

        // Line 9: Excel's text marker, '-' for an empty desil, a trailing empty field.
        XCTAssertEqual(r.value("nik", row: 1), .string("1802014101900004"))
        XCTAssertEqual(r.value("desil", row: 1), .null)
        XCTAssertEqual(r.value("jenis_kelamin", row: 1), .string("P"))
        XCTAssertEqual(r.value("pkh", row: 1), .bool(true))
    }

    // MARK: - Headers and the columns option

    func testMissingNIKColumnNamesTheHeadersAndSuggestsColumns() throws {
        let message = try XCTUnwrap(try openError("no-nik-column.csv", ["registry": .string("DTKS")]))
        XCTAssertTrue(message.contains("no-nik-column.csv"), message)
        XCTAssertTrue(message.contains("no column for nik"), message)
        XCTAssertTrue(message.contains("ID DTKS, NAMA, NO KK, JENIS KELAMIN, TGL LAHIR"), message)
        XCTAssertTrue(message.contains("line 1"), message)
        XCTAssertTrue(message.contains("columns: [\"nik\": \"<header>\"]"), message)
    }

    func testWrongDelimiterShowsInTheMissingColumnError() throws {
        let message = try XCTUnwrap(try openError("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE"), "delimiter": .string("|")]))
        XCTAssertTrue(message.contains("delimiter '|'"), message)
        XCTAssertTrue(message.contains("ID_KELUARGA_P3KE;KODE_DESA"), "the one header found is shown: \(message)")
    }

    func testUnknownHeaderNeedsTheColumnsOption() throws {
        let message = try XCTUnwrap(try openError("nomor-induk.csv", ["registry": .string("DTKS")]))
        XCTAssertTrue(message.contains("NOMOR INDUK"), message)
        XCTAssertTrue(message.contains("columns:"), message)

        let r = try read("nomor-induk.csv", ["registry": .string("DTKS"), "columns": .map(["nik": .string("NOMOR INDUK")])])
        XCTAssertEqual(r.rowCount, 2)
        XCTAssertEqual(r.rejections.count, 0)
        XCTAssertEqual(r.value("nik", row: 0), .string("1802011204800001"))
        XCTAssertEqual(r.value("no_kk", row: 0), .string("1802012003100001"), "NOMOR KK through the vocabulary")
        XCTAssertEqual(r.value("jenis_kelamin", row: 1), .string("P"), "L/P through the vocabulary")
        XCTAssertEqual(r.value("tanggal_lahir", row: 1), date(1985, 6, 5), "dd-mm-yyyy")
        XCTAssertEqual(r.value("registry_id", row: 0), .null, "the NO column is not an id")
    }

    func testColumnsOptionMatchesHeadersLooselyAndOverridesTheVocabulary() throws {
        // Case, spaces and punctuation do not matter; an explicit mapping wins over the alias table.
        let r = try read("p3ke-kalirejo-2025.csv", ["registry": .string("P3KE"),
                                                    "columns": .map(["nik": .string("nik"), "tempat_lahir": .string("desa / kelurahan")])])
        XCTAssertEqual(r.value("nik", row: 0), .string("1802011204800001"))
        XCTAssertEqual(r.value("tempat_lahir", row: 0), .string("SRI WAY LANGSEP"))
    }

    func testColumnsOptionNamingAnAbsentHeaderFails() throws {
        let message = try XCTUnwrap(try openError("p3ke-kalirejo-2025.csv",
                                                  ["registry": .string("P3KE"), "columns": .map(["nik": .string("NIK ANGGOTA KELUARGA")])]))
        XCTAssertTrue(message.contains("nik → \"NIK ANGGOTA KELUARGA\""), message)
        XCTAssertTrue(message.contains("no such header"), message)
        XCTAssertTrue(message.contains("ID_KELUARGA_P3KE, KODE_DESA"), message)
    }

    // MARK: - Options

    func testOptionProblems() {
        let d = SocialRegistrySource.descriptor
        func problems(_ options: [String: OptionValue]) -> String { d.problems(with: options).joined(separator: "\n") }

        XCTAssertEqual(d.problems(with: ["registry": .string("P3KE")]), [])
        XCTAssertEqual(d.problems(with: ["registry": .string("DTKS"), "path": .string("inbox/*.txt"), "delimiter": .string("|"),
                                         "encoding": .string("windows1252"), "columns": .map(["nik": .string("NOMOR INDUK")]),
                                         "batchSize": .int(500)]), [])

        let unknown = problems(["registry": .string("P3KE"), "sheet": .string("Sheet1")])
        XCTAssertTrue(unknown.contains("has no option 'sheet'"), unknown)
        XCTAssertTrue(unknown.contains("registry, path, delimiter"), "lists the options: \(unknown)")

        let wrongType = problems(["registry": .string("P3KE"), "batchSize": .string("4096")])
        XCTAssertTrue(wrongType.contains("option 'batchSize'"), wrongType)
        XCTAssertTrue(wrongType.contains("expected Int"), wrongType)

        let notOneOf = problems(["registry": .string("BDT")])
        XCTAssertTrue(notOneOf.contains("\"BDT\" is not one of"), notOneOf)

        let badDelimiter = problems(["registry": .string("P3KE"), "delimiter": .string(":")])
        XCTAssertTrue(badDelimiter.contains("option 'delimiter'"), badDelimiter)

        let badMap = problems(["registry": .string("P3KE"), "columns": .map(["nik": .int(3)])])
        XCTAssertTrue(badMap.contains("expected a map of strings to strings"), badMap)

        let notMap = problems(["registry": .string("P3KE"), "columns": .list([.string("nik")])])
        XCTAssertTrue(notMap.contains("option 'columns'"), notMap)

        let missing = problems([:])
        XCTAssertTrue(missing.contains("needs option 'registry'"), missing)

        let unknownField = problems(["registry": .string("P3KE"), "columns": .map(["nomor_induk": .string("NOMOR INDUK"), "nik": .string("NIK")])])
        XCTAssertTrue(unknownField.contains("unknown field(s) nomor_induk"), unknownField)
        XCTAssertTrue(unknownField.contains("fields are: registry_id, nik"), unknownField)

        let registryField = problems(["registry": .string("P3KE"), "columns": .map(["registry": .string("SUMBER")])])
        XCTAssertTrue(registryField.contains("unknown field(s) registry"), "registry comes from the pipeline: \(registryField)")

        let zeroBatch = problems(["registry": .string("P3KE"), "batchSize": .int(0)])
        XCTAssertTrue(zeroBatch.contains("batchSize must be between 1 and 1000000"), zeroBatch)
    }

    func testDescriptorDescribesASource() {
        let d = SocialRegistrySource.descriptor
        XCTAssertEqual(d.name, "social-registry")
        XCTAssertEqual(d.kind, .source)
        XCTAssertEqual(d.outputSchema, SocialRegistrySource.schema)
        XCTAssertEqual(SocialRegistrySource.schema.names.first, "registry")
        XCTAssertEqual(d.options.first { $0.name == "registry" }?.required, true)
    }

    func testDefaultInputsExpandThePathOption() throws {
        let stage = try makeSource(["registry": .string("P3KE"), "path": .string("p3ke-*.csv")])
        XCTAssertEqual(try stage.defaultInputs(context: stageContext()),
                       ["p3ke-damaged.csv", "p3ke-kalirejo-2025.csv", "p3ke-missing-fields.csv", "p3ke-sink-checks.csv"].map(Fixtures.path))
        let noPath = try makeSource(["registry": .string("P3KE")])
        XCTAssertEqual(try noPath.defaultInputs(context: stageContext()), [])
    }

    func testEmptyFileIsAnInputError() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.path("empty.csv")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("\u{FEFF}\r\n\r\n".utf8)))
        let stage = try makeSource(["registry": .string("P3KE")])
        let file = try InputFile.inspect(path: path)
        XCTAssertThrowsError(try stage.open(InputRef(id: 1, sha256: file.sha256, path: path), file: file, context: stageContext())) { error in
            XCTAssertTrue("\(error)".contains("the file is empty"), "\(error)")
        }
    }
}

/// A raw P3KE workbook (title block, header on row 12) through the same source.
final class SocialRegistryWorkbookTests: XCTestCase {
    func testRawP3KEWorkbookLoadsBelowItsTitleBlock() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
        let result = try runPipeline(registryPipeline(name: "p3ke-xlsx", registry: "P3KE"),
                                     inputs: [Fixtures.path("registry/p3ke-raw.xlsx")], into: warehouse)
        assertBalanced(result)
        XCTAssertEqual(result.status, .succeeded, result.inputs.first?.message ?? "")
        XCTAssertEqual(result.counts, RowCounts(read: 10, loaded: 2, quarantined: 1, skipped: 7))
        XCTAssertEqual(try warehouse.rows("SELECT nik, name, sex, birth_date, source_row, source_sheet FROM person ORDER BY source_row"), [
            [.text("1802011204850001"), .text("SUTRISNO"), .text("L"), .text("1985-04-12"), .int(13), .text("Data P3KE")],
            [.text("1802015506880002"), .text("SITI AMINAH"), .text("P"), .text("1988-06-15"), .int(14), .text("Data P3KE")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT desil, pkh, registry_id FROM registry_status ORDER BY source_row"), [
            [.int(1), .int(1), .text("P3KE1802010001")], [.int(1), .int(1), .text("P3KE1802010001")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT code FROM region ORDER BY code"),
                       [[.text("18")], [.text("18.02")], [.text("18.02.01")], [.text("18.02.01.2001")]])
        XCTAssertEqual(try warehouse.rows("SELECT reason_code, row_number, column_name FROM quarantine WHERE disposition = 'quarantined'"),
                       [[.text("damaged-nik"), .int(15), .text("F15")]])
    }

    func testAWorkbookWithoutANIKColumnNamesTheHeadersFound() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let warehouse = try Warehouse(path: folder.path("warehouse.sqlite"))
        let result = try runPipeline(registryPipeline(name: "p3ke-xlsx", registry: "P3KE", sourceOptions: ["columns": .map(["nik": .string("NOMOR INDUK")])]),
                                     inputs: [Fixtures.path("registry/p3ke-raw.xlsx")], into: warehouse)
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("no column for nik"), result.inputs[0].message)
        XCTAssertTrue(result.inputs[0].message.contains("ID Keluarga P3KE"), result.inputs[0].message)
    }
}
