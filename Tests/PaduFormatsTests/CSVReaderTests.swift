import Foundation
import XCTest

@testable import PaduFormats

final class CSVReaderTests: XCTestCase {

    // MARK: - Helpers

    /// Writes `bytes` to a new file in a per-test temporary folder and returns its path.
    private func write(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("padu-csv-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let folderPath = folder.path
        addTeardownBlock {
            try? FileManager.default.removeItem(atPath: folderPath)
        }
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func write(_ text: String, name: String = "input.csv") throws -> String {
        try write(Array(text.utf8), name: name)
    }

    private func readAll(_ reader: CSVReader) throws -> [CSVRecord] {
        var records: [CSVRecord] = []
        while let record = try reader.next() {
            records.append(record)
        }
        XCTAssertNil(try reader.next(), "next() keeps returning nil at the end")
        return records
    }

    private func readAll(
        _ path: String,
        options: CSVOptions = CSVOptions(),
        chunkSize: Int = CSVParser.defaultChunkSize
    ) throws -> [CSVRecord] {
        let reader = try CSVReader(path: path, options: options, chunkSize: chunkSize)
        defer { reader.close() }
        return try readAll(reader)
    }

    private func utf16LE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    private func utf16BE(_ text: String) -> [UInt8] {
        text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
    }

    private func windows1252(_ text: String) -> [UInt8] {
        let special: [UInt32: UInt8] = [
            0x20AC: 0x80, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2013: 0x96, 0x2014: 0x97,
        ]
        return text.unicodeScalars.map { scalar in
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) {
                return UInt8(scalar.value)
            }
            return special[scalar.value]!
        }
    }

    private let semicolon = UInt8(ascii: ";")
    private let comma = UInt8(ascii: ",")
    private let pipe = UInt8(ascii: "|")
    private let tab = UInt8(ascii: "\t")

    // MARK: - Formats

    func testSemicolonWithBOMAndCRLF() throws {
        let header = "Nama;NIK;Desa\r\n"
        let first = "Siti Aminah;3201012345670001;Sri Way Langsep\r\n"
        let second = "Budi Santoso;3201012345670002;Kalirejo\r\n"
        let path = try write([0xEF, 0xBB, 0xBF] + Array((header + first + second).utf8))
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.encoding, .utf8)
        XCTAssertTrue(reader.hadBOM)
        XCTAssertEqual(reader.delimiter, semicolon)
        let records = try readAll(reader)
        XCTAssertEqual(records.map(\.fields), [
            ["Nama", "NIK", "Desa"],
            ["Siti Aminah", "3201012345670001", "Sri Way Langsep"],
            ["Budi Santoso", "3201012345670002", "Kalirejo"],
        ])
        XCTAssertEqual(records.map(\.line), [1, 2, 3])
        XCTAssertEqual(records.map(\.endLine), [1, 2, 3])
        XCTAssertEqual(records.map(\.byteOffset), [
            3,
            Int64(3 + header.utf8.count),
            Int64(3 + header.utf8.count + first.utf8.count),
        ])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
        XCTAssertEqual(reader.bytesRead, reader.fileSize)
        XCTAssertEqual(reader.fileSize, Int64(3 + (header + first + second).utf8.count))
    }

    func testPipeSeparatedDTKSExport() throws {
        let text = """
            ID DTKS|NIK|NAMA|DESA/KELUARAHAN
            3201010001000001|3201014507850001|HJ. NUR HALIMAH, S.PD|SRI WAY LANGSEP
            3201010001000002|3201011203900002|I KETUT SUDARSANA|KALIREJO

            """
        let reader = try CSVReader(path: try write(text))
        XCTAssertEqual(reader.delimiter, pipe)
        XCTAssertFalse(reader.hadBOM)
        let records = try readAll(reader)
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[0].fields, ["ID DTKS", "NIK", "NAMA", "DESA/KELUARAHAN"])
        XCTAssertEqual(records[1].fields, ["3201010001000001", "3201014507850001", "HJ. NUR HALIMAH, S.PD", "SRI WAY LANGSEP"])
        XCTAssertEqual(records[2].fields[3], "KALIREJO")
    }

    func testCommaWithQuotedDelimitersAndEscapedQuotes() throws {
        let text = "nama,alamat,catatan\n\"Aminah, Siti\",\"Jl. \"\"Merdeka\"\" 5\",biasa\n\"\",x,\"a,b\"\n"
        let reader = try CSVReader(path: try write(text))
        XCTAssertEqual(reader.delimiter, comma)
        let records = try readAll(reader)
        XCTAssertEqual(records.map(\.fields), [
            ["nama", "alamat", "catatan"],
            ["Aminah, Siti", "Jl. \"Merdeka\" 5", "biasa"],
            ["", "x", "a,b"],
        ])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
    }

    func testQuoteInsideUnquotedFieldIsLiteral() throws {
        let records = try readAll(try write("a,b\n5\" disk,x\n"), options: CSVOptions(delimiter: comma))
        XCTAssertEqual(records[1].fields, ["5\" disk", "x"])
        XCTAssertNil(records[1].problem)
    }

    func testEmbeddedNewlinesKeepExactLinesAndOffsets() throws {
        let header = "id;catatan;desa\r\n"
        let multi = "1;\"baris satu\r\nbaris dua\nbaris tiga\";Sukamaju\r\n"
        let last = "2;ok;Kalirejo\r\n"
        let records = try readAll(try write(header + multi + last))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].fields, ["1", "baris satu\r\nbaris dua\nbaris tiga", "Sukamaju"])
        XCTAssertEqual(records[1].line, 2)
        XCTAssertEqual(records[1].endLine, 4)
        XCTAssertEqual(records[1].byteOffset, Int64(header.utf8.count))
        XCTAssertEqual(records[2].fields, ["2", "ok", "Kalirejo"])
        XCTAssertEqual(records[2].line, 5)
        XCTAssertEqual(records[2].endLine, 5)
        XCTAssertEqual(records[2].byteOffset, Int64(header.utf8.count + multi.utf8.count))
    }

    func testLoneCRLineEndings() throws {
        let records = try readAll(try write("a,b\r1,2\r\r3,\"x\ry\"\r4,5"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"], [""], ["3", "x\ry"], ["4", "5"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4, 6])
        XCTAssertEqual(records.map(\.endLine), [1, 2, 3, 5, 6])
        XCTAssertEqual(records.map(\.byteOffset), [0, 4, 8, 9, 17])
    }

    func testMixedLineEndings() throws {
        let records = try readAll(try write("a;b\r\nc;d\ne;f\rg;h"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4])
        XCTAssertEqual(records.map(\.byteOffset), [0, 5, 9, 13])
    }

    func testUTF16LittleEndianTabSeparatedWithBOM() throws {
        let header = "Nama Penerima\tDesa\n"
        let first = "Siti Aminah\tSri Way Langsep\n"
        let second = "Ni Luh Putu Ayu 😀\tDésa Mekar Sari\n"
        let third = "Budi\tKalirejo\n"
        let path = try write([0xFF, 0xFE] + utf16LE(header + first + second + third))
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.encoding, .utf16LE)
        XCTAssertTrue(reader.hadBOM)
        XCTAssertEqual(reader.delimiter, tab)
        let records = try readAll(reader)
        XCTAssertEqual(records.map(\.fields), [
            ["Nama Penerima", "Desa"],
            ["Siti Aminah", "Sri Way Langsep"],
            ["Ni Luh Putu Ayu 😀", "Désa Mekar Sari"],
            ["Budi", "Kalirejo"],
        ])
        XCTAssertEqual(records.map(\.byteOffset), [
            2,
            Int64(2 + 2 * header.utf16.count),
            Int64(2 + 2 * (header + first).utf16.count),
            Int64(2 + 2 * (header + first + second).utf16.count),
        ])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
        XCTAssertEqual(reader.bytesRead, reader.fileSize)
    }

    func testUTF16BigEndianWithBOMAndCRLF() throws {
        let path = try write([0xFE, 0xFF] + utf16BE("Nama;Desa\r\nSiti Aminah;Sri Way Langsep\r\n"))
        let reader = try CSVReader(path: path)
        XCTAssertEqual(reader.encoding, .utf16BE)
        XCTAssertEqual(reader.delimiter, semicolon)
        let records = try readAll(reader)
        XCTAssertEqual(records.map(\.fields), [["Nama", "Desa"], ["Siti Aminah", "Sri Way Langsep"]])
        XCTAssertEqual(records.map(\.byteOffset), [2, 24])
    }

    func testUTF16UnpairedSurrogateIsReported() throws {
        var bytes: [UInt8] = [0xFF, 0xFE] + utf16LE("a\tb\n")
        bytes += [0x00, 0xD8] + utf16LE("x\tc\nd\te\n")
        let records = try readAll(try write(bytes))
        XCTAssertEqual(records.count, 3)
        XCTAssertEqual(records[1].fields, ["\u{FFFD}x", "c"])
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .invalidEncoding)
        XCTAssertEqual(problem.line, 2)
        XCTAssertEqual(problem.column, 1)
        XCTAssertEqual(problem.message, "line 2: invalid UTF-16 (unpaired surrogate) at byte 10 in column 1; the character was replaced with U+FFFD")
        XCTAssertEqual(records[2].fields, ["d", "e"])
        XCTAssertEqual(records[2].byteOffset, 20)
        XCTAssertNil(records[2].problem)
    }

    func testUTF16OddLengthIsFatal() throws {
        let path = try write([0xFF, 0xFE] + utf16LE("a\tb\nc\td\n") + [0x41])
        let reader = try CSVReader(path: path)
        XCTAssertEqual(try reader.next()?.fields, ["a", "b"])
        XCTAssertThrowsError(try readAll(reader)) { error in
            let csvError = error as? CSVError
            XCTAssertEqual(csvError?.path, path)
            XCTAssertTrue(csvError?.message.contains("odd number of bytes") ?? false, "\(error)")
        }
    }

    func testWindows1252IsDetectedAndDecoded() throws {
        let header = windows1252("Nama;Keterangan\r\n")
        let first = windows1252("José;Ibu’s “rumah” € 5 – ok\r\n")
        let second = windows1252("Ani;biasa\r\n")
        XCTAssertEqual(first[3], 0xE9)
        XCTAssertTrue(first.contains(0x92))
        let reader = try CSVReader(path: try write(header + first + second))
        XCTAssertEqual(reader.encoding, .windows1252)
        XCTAssertFalse(reader.hadBOM)
        XCTAssertEqual(reader.delimiter, semicolon)
        let records = try readAll(reader)
        XCTAssertEqual(records.map(\.fields), [
            ["Nama", "Keterangan"],
            ["José", "Ibu’s “rumah” € 5 – ok"],
            ["Ani", "biasa"],
        ])
        XCTAssertEqual(records.map(\.byteOffset), [0, Int64(header.count), Int64(header.count + first.count)])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
    }

    func testSmallFileWithInvalidUTF8IsReadAsWindows1252() throws {
        let reader = try CSVReader(path: try write(Array("a;b\nJos".utf8) + [0xE9] + Array(";x\n".utf8)))
        XCTAssertEqual(reader.encoding, .windows1252)
        XCTAssertEqual(try readAll(reader).map(\.fields), [["a", "b"], ["José", "x"]])
    }

    func testWindows1252UndefinedBytesBecomeC1Controls() throws {
        let records = try readAll(try write([0x61, 0x81, 0x3B, 0x9D, 0x0A]), options: CSVOptions(encoding: .windows1252))
        XCTAssertEqual(records.map(\.fields), [["a\u{81}", "\u{9D}"]])
    }

    func testForcedEncodingAndDelimiterOverrideDetection() throws {
        let path = try write("a;b,c\nJosé;x,y\n")
        let records = try readAll(path, options: CSVOptions(delimiter: comma, encoding: .windows1252))
        XCTAssertEqual(records.map(\.fields), [["a;b", "c"], ["JosÃ©;x", "y"]])
        let reader = try CSVReader(path: path, options: CSVOptions(encoding: .utf8))
        XCTAssertEqual(reader.encoding, .utf8)
        XCTAssertEqual(reader.delimiter, semicolon)
    }

    // MARK: - Damaged records

    func testInvalidUTF8AfterFirst64KiBIsReportedOnItsRecord() throws {
        var bytes: [UInt8] = Array("NIK;NAMA;DESA\n".utf8)
        var badOffset = 0
        let badLine = 1500
        for line in 2...2000 {
            if line == badLine {
                bytes += Array("3201000000001500;Jos".utf8)
                badOffset = bytes.count
                bytes += [0xE9]
                bytes += Array(";Désa Sukamaju\n".utf8)
            } else {
                bytes += Array("32010000000\(10_000 + line);SITI AMINAH \(line);Désa Sukamaju\n".utf8)
            }
        }
        XCTAssertGreaterThan(badOffset, 64 << 10)
        let reader = try CSVReader(path: try write(bytes))
        XCTAssertEqual(reader.encoding, .utf8)
        let records = try readAll(reader)
        XCTAssertEqual(records.count, 2000)
        let damaged = records.filter { $0.problem != nil }
        XCTAssertEqual(damaged.count, 1)
        let record = try XCTUnwrap(damaged.first)
        XCTAssertEqual(record.line, badLine)
        XCTAssertEqual(record.fields, ["3201000000001500", "Jos\u{FFFD}", "Désa Sukamaju"])
        let problem = try XCTUnwrap(record.problem)
        XCTAssertEqual(problem.kind, .invalidEncoding)
        XCTAssertEqual(problem.line, badLine)
        XCTAssertEqual(problem.column, 2)
        XCTAssertEqual(
            problem.message,
            "line 1500: invalid UTF-8 at byte \(badOffset) in column 2; save the file as UTF-8 or set encoding: .windows1252"
        )
        XCTAssertEqual(problem.description, problem.message)
        XCTAssertEqual(records.last?.fields.last, "Désa Sukamaju")
    }

    func testInvalidUTF8InsideMultilineFieldNamesItsPhysicalLine() throws {
        let bytes = Array("a,b\n1,\"x\ny".utf8) + [0xC3] + Array("\"\n".utf8)
        let records = try readAll(try write(bytes), options: CSVOptions(encoding: .utf8))
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .invalidEncoding)
        XCTAssertEqual(problem.line, 3)
        XCTAssertTrue(problem.message.hasPrefix("line 3: invalid UTF-8 at byte 10 in column 2"), problem.message)
        XCTAssertEqual(records[1].fields, ["1", "x\ny\u{FFFD}"])
    }

    func testNULBytesAreReportedAndRemoved() throws {
        let records = try readAll(try write(Array("a;b\nx".utf8) + [0] + Array("y;\"z".utf8) + [0] + Array("\"\nc;d\n".utf8)))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["xy", "z"], ["c", "d"]])
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .nulByte)
        XCTAssertEqual(problem.line, 2)
        XCTAssertEqual(problem.column, 1)
        XCTAssertTrue(problem.message.hasPrefix("line 2: NUL byte in column 1 at byte 5;"), problem.message)
        XCTAssertNil(records[2].problem)
    }

    func testProblemThatCutsRecordShortOutranksEarlierOne() throws {
        let records = try readAll(try write(Array("a,b\nx".utf8) + [0] + Array("y,\"open\n".utf8)))
        XCTAssertEqual(records[1].fields, ["xy", "open\n"])
        XCTAssertEqual(records[1].problem?.kind, .unterminatedQuote)
    }

    func testUnterminatedQuoteAtEndOfFile() throws {
        let records = try readAll(try write("id,nama\n1,\"Siti\n2,Budi\n"))
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[1].fields, ["1", "Siti\n2,Budi\n"])
        XCTAssertEqual(records[1].line, 2)
        XCTAssertEqual(records[1].endLine, 3)
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .unterminatedQuote)
        XCTAssertEqual(problem.line, 2)
        XCTAssertEqual(problem.column, 2)
        XCTAssertEqual(
            problem.message,
            "line 2: quoted field in column 2 is never closed (opened at line 2); the rest of the file was read as one field"
        )
    }

    func testUnterminatedQuotePastRecordLimitResynchronises() throws {
        var text = "id;nama;desa\n1;\"Siti Aminah;Sukamaju\n"
        for line in 3...40 {
            text += "\(line);Nama \(line);Desa \(line)\n"
        }
        let options = CSVOptions(maxFieldBytes: 1 << 20, maxRecordBytes: 200)
        for chunkSize in [1, 2, 3, 7, 64, CSVParser.defaultChunkSize] {
            let records = try readAll(try write(text), options: options, chunkSize: chunkSize)
            XCTAssertEqual(records.count, 40, "chunk \(chunkSize)")
            XCTAssertEqual(records[1].fields, ["1"])
            XCTAssertEqual(records[1].line, 2)
            XCTAssertEqual(records[1].endLine, 2)
            let problem = try XCTUnwrap(records[1].problem)
            XCTAssertEqual(problem.kind, .unterminatedQuote)
            XCTAssertEqual(problem.line, 2)
            XCTAssertEqual(problem.column, 2)
            XCTAssertEqual(
                problem.message,
                "line 2: quoted field in column 2 is never closed (opened at line 2); "
                    + "it was still open after 200 bytes, so reading resumed at line 3"
            )
            XCTAssertEqual(records[2].fields, ["3", "Nama 3", "Desa 3"])
            XCTAssertEqual(records[2].line, 3)
            XCTAssertEqual(records[39].fields, ["40", "Nama 40", "Desa 40"])
            XCTAssertEqual(records[39].line, 40)
            XCTAssertTrue(records[2...].allSatisfy { $0.problem == nil })
        }
    }

    func testUnterminatedQuoteOverFieldLimitAtEndOfFileResynchronises() throws {
        let text = "id;nama\n1;\"Siti\n2;Budi\n3;Dewi\n"
        let options = CSVOptions(maxFieldBytes: 8)
        let records = try readAll(try write(text), options: options)
        XCTAssertEqual(records.map(\.fields), [["id", "nama"], ["1"], ["2", "Budi"], ["3", "Dewi"]])
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .unterminatedQuote)
        XCTAssertEqual(
            problem.message,
            "line 2: quoted field in column 2 is never closed (opened at line 2); "
                + "it was still open at the end of the file, so reading resumed at line 3"
        )
        XCTAssertEqual(records[2].line, 3)
        XCTAssertEqual(records[3].line, 4)
    }

    func testTextAfterClosingQuoteKeepsLenientValue() throws {
        let records = try readAll(try write("\"abc\"def,x\n\"a\"\"b\"c\"d,y\nok,\"q\"\n"))
        XCTAssertEqual(records.map(\.fields), [["abcdef", "x"], ["a\"bc\"d", "y"], ["ok", "q"]])
        let problem = try XCTUnwrap(records[0].problem)
        XCTAssertEqual(problem.kind, .textAfterClosingQuote)
        XCTAssertEqual(problem.line, 1)
        XCTAssertEqual(problem.column, 1)
        XCTAssertEqual(problem.message, "line 1: column 1 has text after its closing quote; the quote marks were dropped and the text kept")
        XCTAssertEqual(records[1].problem?.kind, .textAfterClosingQuote)
        XCTAssertNil(records[2].problem)
    }

    func testFieldTooLarge() throws {
        let text = "a,b\n12345678901,x,y\n1,\"aaaaaaaaaaaa\nbbb\",c\n1234567890,\"1234567890\"\nok,fine\n"
        let records = try readAll(try write(text), options: CSVOptions(maxFieldBytes: 10))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], [], ["1"], ["1234567890", "1234567890"], ["ok", "fine"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 5, 6])
        XCTAssertEqual(records[2].endLine, 4)
        let first = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(first.kind, .fieldTooLarge)
        XCTAssertEqual(first.column, 1)
        XCTAssertEqual(first.message, "line 2: column 1 is larger than the limit of 10 bytes; the rest of the record was skipped")
        XCTAssertEqual(records[2].problem?.kind, .fieldTooLarge)
        XCTAssertEqual(records[2].problem?.column, 2)
        XCTAssertNil(records[3].problem)
        XCTAssertNil(records[4].problem)

        for chunkSize in [1, 2, 4, CSVParser.defaultChunkSize] {
            let atEnd = try readAll(try write("a,\"abcdef\""), options: CSVOptions(maxFieldBytes: 3), chunkSize: chunkSize)
            XCTAssertEqual(atEnd.map(\.fields), [["a"]])
            XCTAssertEqual(atEnd.first?.problem?.kind, .fieldTooLarge)
            XCTAssertEqual(atEnd.first?.problem?.column, 2)
        }
    }

    func testRecordTooLarge() throws {
        let text = "a;b\n0123456789;0123456789;0123456789\nc;d\n"
        let records = try readAll(try write(text), options: CSVOptions(maxRecordBytes: 20))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["0123456789"], ["c", "d"]])
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .recordTooLarge)
        XCTAssertEqual(problem.line, 2)
        XCTAssertNil(problem.column)
        XCTAssertEqual(problem.message, "line 2: the record is larger than the limit of 20 bytes; the rest of the record was skipped")
        XCTAssertEqual(records[2].line, 3)
        XCTAssertNil(records[2].problem)
    }

    func testRecordLimitIsExact() throws {
        let records = try readAll(try write("0123456789;012345678\n"), options: CSVOptions(maxRecordBytes: 20))
        XCTAssertEqual(records.map(\.fields), [["0123456789", "012345678"]])
        XCTAssertNil(records[0].problem)
    }

    func testTooManyFields() throws {
        let text = "a,b,c\n1,2,3,4,5\nx,y,z\n"
        let records = try readAll(try write(text), options: CSVOptions(maxFields: 3))
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c"], ["1", "2", "3"], ["x", "y", "z"]])
        let problem = try XCTUnwrap(records[1].problem)
        XCTAssertEqual(problem.kind, .tooManyFields)
        XCTAssertEqual(problem.column, 4)
        XCTAssertEqual(problem.message, "line 2: the record has more than 3 fields; only the first 3 were kept")
        XCTAssertNil(records[0].problem)
        XCTAssertNil(records[2].problem)
    }

    func testSkippedRecordEndsAtTerminatorOutsideQuotes() throws {
        let text = "1,2,3,\"4\n5\",6\nx,y\n"
        let records = try readAll(try write(text), options: CSVOptions(maxFields: 2))
        XCTAssertEqual(records.map(\.fields), [["1", "2"], ["x", "y"]])
        XCTAssertEqual(records.map(\.line), [1, 3])
        XCTAssertEqual(records[0].endLine, 2)
    }

    func testNeverClosedQuoteInSkippedPartOfRecordResynchronises() throws {
        var text = "1,2,3,\"x\n"
        for line in 2...20 {
            text += "\(line),b\n"
        }
        for chunkSize in [1, 5, CSVParser.defaultChunkSize] {
            let records = try readAll(try write(text), options: CSVOptions(maxRecordBytes: 50, maxFields: 2), chunkSize: chunkSize)
            XCTAssertEqual(records.count, 20)
            XCTAssertEqual(records[0].fields, ["1", "2"])
            XCTAssertEqual(records[0].problem?.kind, .tooManyFields)
            XCTAssertEqual(records[0].endLine, 1)
            XCTAssertEqual(records[1].fields, ["2", "b"])
            XCTAssertEqual(records[1].line, 2)
            XCTAssertEqual(records[19].fields, ["20", "b"])
        }
    }

    func testNeverClosedQuoteWithoutLineBreakResumesAtNextLine() throws {
        // The quote opens on the last characters of a line whose line break comes after the record limit.
        let text = "a;b\n1;\"" + String(repeating: "x", count: 100) + "\n2;c\n"
        let records = try readAll(try write(text), options: CSVOptions(maxRecordBytes: 50))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1"], ["2", "c"]])
        XCTAssertEqual(records[1].problem?.kind, .unterminatedQuote)
        XCTAssertEqual(records[2].line, 3)
    }

    // MARK: - Edge cases

    func testEmptyFile() throws {
        let reader = try CSVReader(path: try write([]))
        XCTAssertEqual(reader.delimiter, comma)
        XCTAssertEqual(reader.encoding, .utf8)
        XCTAssertFalse(reader.hadBOM)
        XCTAssertEqual(reader.fileSize, 0)
        XCTAssertNil(try reader.next())
    }

    func testBOMOnlyFile() throws {
        let reader = try CSVReader(path: try write([0xEF, 0xBB, 0xBF]))
        XCTAssertTrue(reader.hadBOM)
        XCTAssertNil(try reader.next())
    }

    func testHeaderOnlyFile() throws {
        for text in ["ID DTKS|NIK|NAMA\n", "ID DTKS|NIK|NAMA\r\n", "ID DTKS|NIK|NAMA"] {
            let records = try readAll(try write(text))
            XCTAssertEqual(records.map(\.fields), [["ID DTKS", "NIK", "NAMA"]], text.debugDescription)
            XCTAssertEqual(records[0].endLine, 1)
        }
    }

    func testNoFinalNewline() throws {
        let records = try readAll(try write("a;b\r\n1;\"2\""))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(records[1].line, 2)
        XCTAssertEqual(records[1].endLine, 2)
        XCTAssertNil(records[1].problem)
    }

    func testBlankLinesAreRecordsWithOneEmptyField() throws {
        let records = try readAll(try write("a;b\n\n1;2\n\n"))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], [""], ["1", "2"], [""]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4])
    }

    func testTrailingDelimiterMakesEmptyLastField() throws {
        XCTAssertEqual(try readAll(try write("a,b,\n")).map(\.fields), [["a", "b", ""]])
        XCTAssertEqual(try readAll(try write("a,b,")).map(\.fields), [["a", "b", ""]])
        XCTAssertEqual(try readAll(try write("\"\",\"\"\n")).map(\.fields), [["", ""]])
    }

    func testMissingFileThrows() {
        XCTAssertThrowsError(try CSVReader(path: "/nonexistent/padu/dtks.csv")) { error in
            let csvError = error as? CSVError
            XCTAssertEqual(csvError?.path, "/nonexistent/padu/dtks.csv")
            XCTAssertTrue(csvError?.message.hasPrefix("cannot open the file:") ?? false)
            XCTAssertTrue(csvError?.description.hasPrefix("/nonexistent/padu/dtks.csv: cannot open") ?? false)
        }
    }

    func testFolderThrows() throws {
        let folder = (try write("x")).split(separator: "/").dropLast().joined(separator: "/")
        XCTAssertThrowsError(try CSVReader(path: "/" + folder)) { error in
            XCTAssertEqual((error as? CSVError)?.message, "this is a folder, not a file")
        }
    }

    func testUnusableDelimiterThrows() throws {
        let path = try write("a,b\n")
        XCTAssertThrowsError(try CSVReader(path: path, options: CSVOptions(delimiter: UInt8(ascii: "\""))))
        XCTAssertThrowsError(try CSVReader(path: path, options: CSVOptions(delimiter: UInt8(ascii: "\n"))))
    }

    func testCloseEndsReading() throws {
        let reader = try CSVReader(path: try write("a\nb\n"))
        XCTAssertEqual(try reader.next()?.fields, ["a"])
        reader.close()
        XCTAssertNil(try reader.next())
        reader.close()
    }

    // MARK: - Delimiter detection

    func testSniffDelimiter() {
        func sniff(_ text: String) -> Character {
            Character(UnicodeScalar(CSVReader.sniffDelimiter(sample: Array(text.utf8))))
        }
        XCTAssertEqual(sniff("a;b;c\n1;2;3\n"), ";")
        XCTAssertEqual(sniff("a|b|c\n1|2|3\n"), "|")
        XCTAssertEqual(sniff("a\tb\n1\t2\n"), "\t")
        XCTAssertEqual(sniff("a,b\n1,2\n"), ",")
        XCTAssertEqual(sniff("nama\nsiti\n"), ",")
        XCTAssertEqual(sniff(""), ",")
        // Ties prefer ; then | then tab then ,
        XCTAssertEqual(sniff("a;b,c\n1;2,3\n"), ";")
        XCTAssertEqual(sniff("a|b,c\n1|2,3\n"), "|")
        XCTAssertEqual(sniff("a\tb,c\n1\t2,3\n"), "\t")
        // Delimiters inside quotes do not count, quoted line breaks do not end lines.
        XCTAssertEqual(sniff("\"a;b;c\",d\n\"e;f\ng;h\",i\n"), ",")
        // Consistency beats frequency.
        XCTAssertEqual(sniff("a,b;c,d,e\n1,2;3\n4,5;6\n7,8,9,0;x\n"), ";")
        // An unterminated last line is ignored: it may be cut off.
        XCTAssertEqual(sniff("a;b\n1;2\n3,4,5,6,7"), ";")
    }

    func testSniffingUsesOnlyCompleteLinesOfLargeFiles() throws {
        var text = "ID DTKS|NIK|NAMA|ALAMAT\n"
        for line in 0..<5000 {
            text += "\(line)|3201|SITI, AMINAH|JL. A, B, C\n"
        }
        let reader = try CSVReader(path: try write(text))
        XCTAssertEqual(reader.delimiter, pipe)
    }

    // MARK: - Chunk boundaries

    private func assertSameRecordsForAllChunkSizes(
        _ bytes: [UInt8],
        options: CSVOptions = CSVOptions(),
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> [CSVRecord] {
        let path = try write(bytes)
        let expected = try readAll(path, options: options)
        for chunkSize in Array(1...17) + [31, 64, 100, 1000] {
            let records = try readAll(path, options: options, chunkSize: chunkSize)
            XCTAssertEqual(records.count, expected.count, "chunk size \(chunkSize)", file: file, line: line)
            for (index, (got, want)) in zip(records, expected).enumerated() where got != want {
                XCTFail("chunk size \(chunkSize), record \(index): \(got) != \(want)", file: file, line: line)
            }
        }
        return expected
    }

    private let trickyText =
        "nama;catatan;kota\r\n"
        + "\"Siti \"\"Ani\"\" Aminah\";\"baris 1\r\nbaris 2\rbaris 3\";Bandar Lampung\r\n"
        + "Désa é ü;€ ‘x’ 😀 \u{10FFFF};Yogyakarta\r"
        + "\r\n"
        + "\"abc\"def;x\u{0}y;z\n"
        + "\"\";\"\";\n"
        + "a;\"b;c\";\"d\r\n\"\r\n"
        + "last;row;no-newline"

    private let trickyFields: [[String]] = [
        ["nama", "catatan", "kota"],
        ["Siti \"Ani\" Aminah", "baris 1\r\nbaris 2\rbaris 3", "Bandar Lampung"],
        ["Désa é ü", "€ ‘x’ 😀 \u{10FFFF}", "Yogyakarta"],
        [""],
        ["abcdef", "xy", "z"],
        ["", "", ""],
        ["a", "b;c", "d\r\n"],
        ["last", "row", "no-newline"],
    ]

    func testChunkBoundariesUTF8() throws {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(trickyText.utf8)
        let records = try assertSameRecordsForAllChunkSizes(bytes)
        XCTAssertEqual(records.map(\.fields), trickyFields)
        XCTAssertEqual(records.map(\.line), [1, 2, 5, 6, 7, 8, 9, 11])
        XCTAssertEqual(records.map(\.endLine), [1, 4, 5, 6, 7, 8, 10, 11])
        XCTAssertEqual(records.map { $0.problem?.kind }, [nil, nil, nil, nil, .textAfterClosingQuote, nil, nil, nil])
        XCTAssertEqual(records[0].byteOffset, 3)
        let headerLength = "nama;catatan;kota\r\n".utf8.count
        XCTAssertEqual(records[1].byteOffset, Int64(3 + headerLength))
        let lastStart = trickyText.utf8.count - "last;row;no-newline".utf8.count
        XCTAssertEqual(records.last?.byteOffset, Int64(3 + lastStart))
    }

    func testChunkBoundariesUTF8WithInvalidByte() throws {
        let bytes = Array("a;b\r\nJos".utf8) + [0xE9] + Array(";Désa\r\n€;😀\r\n".utf8)
        let records = try assertSameRecordsForAllChunkSizes(bytes, options: CSVOptions(encoding: .utf8))
        XCTAssertEqual(records.map(\.fields), [["a", "b"], ["Jos\u{FFFD}", "Désa"], ["€", "😀"]])
        XCTAssertEqual(records[1].problem?.kind, .invalidEncoding)
        XCTAssertEqual(records[1].problem?.column, 1)
        XCTAssertTrue(records[1].problem?.message.contains("at byte 8") ?? false)
    }

    func testChunkBoundariesUTF16() throws {
        let little = try assertSameRecordsForAllChunkSizes([0xFF, 0xFE] + utf16LE(trickyText))
        XCTAssertEqual(little.map(\.fields), trickyFields)
        XCTAssertEqual(little.last?.byteOffset, Int64(2 + 2 * (trickyText.utf16.count - "last;row;no-newline".utf16.count)))
        let big = try assertSameRecordsForAllChunkSizes([0xFE, 0xFF] + utf16BE(trickyText))
        XCTAssertEqual(big.map(\.fields), trickyFields)
        XCTAssertEqual(big.map(\.byteOffset), little.map(\.byteOffset))
        XCTAssertEqual(big.map(\.line), little.map(\.line))
    }

    func testChunkBoundariesWindows1252() throws {
        let text = trickyText.replacingOccurrences(of: " 😀 \u{10FFFF}", with: "")
        let records = try assertSameRecordsForAllChunkSizes(windows1252(text), options: CSVOptions(encoding: .windows1252))
        var fields = trickyFields
        fields[2][1] = "€ ‘x’"
        XCTAssertEqual(records.map(\.fields), fields)
        XCTAssertEqual(records.last?.byteOffset, Int64(windows1252(text).count - "last;row;no-newline".count))
    }

    func testChunkBoundariesWithLimitsAndDamage() throws {
        let text = "a,b\n12345678901,x,y\n1,\"aaaaaaaaaaaa\r\nbbb\",c\n1,2,3,4\n\"q\"r,\"s\"\nok,\"never closed\nx,y\n"
        let records = try assertSameRecordsForAllChunkSizes(
            Array(text.utf8),
            options: CSVOptions(maxFieldBytes: 10, maxRecordBytes: 30, maxFields: 3)
        )
        XCTAssertEqual(records.map { $0.problem?.kind }, [
            nil, .fieldTooLarge, .fieldTooLarge, .tooManyFields, .textAfterClosingQuote, .unterminatedQuote, nil,
        ])
        XCTAssertEqual(records.map(\.fields), [["a", "b"], [], ["1"], ["1", "2", "3"], ["qr", "s"], ["ok"], ["x", "y"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 5, 6, 7, 8])
    }

    /// Random damaged input must give the same records whatever the chunk size.
    func testRandomInputIsIndependentOfChunkSize() throws {
        var random = SplitMix64(seed: 20_240_115)
        let alphabet: [[UInt8]] = [
            [0x61], [0x62], [0x2C], [0x3B], [0x22], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0],
            [0xC3, 0xA9], [0xFF], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80], [0xC3],
        ]
        let encodings: [CSVEncoding] = [.utf8, .windows1252, .utf16LE]
        for iteration in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<200, using: &random) {
                bytes += alphabet.randomElement(using: &random)!
            }
            let encoding = encodings[iteration % encodings.count]
            if encoding == .utf16LE {
                bytes = [0xFF, 0xFE] + utf16LE(String(decoding: bytes, as: UTF8.self))
                if iteration % 7 == 0 {
                    bytes += [0x00, 0xD8]
                }
            }
            let path = try write(bytes, name: "random-\(iteration).csv")
            let options = CSVOptions(
                delimiter: iteration % 2 == 0 ? comma : nil,
                encoding: encoding,
                maxFieldBytes: Int.random(in: 1...60, using: &random),
                maxRecordBytes: Int.random(in: 1...150, using: &random),
                maxFields: Int.random(in: 1...20, using: &random)
            )
            let expected = try readAll(path, options: options)
            for chunkSize in [1, 2, 3, 5, 13] {
                let records = try readAll(path, options: options, chunkSize: chunkSize)
                XCTAssertEqual(records, expected, "input \(bytes), chunk size \(chunkSize), options \(options)")
            }
            for (previous, record) in zip(expected, expected.dropFirst()) {
                XCTAssertLessThan(previous.byteOffset, record.byteOffset)
                XCTAssertLessThan(previous.endLine, record.line)
                XCTAssertLessThanOrEqual(record.line, record.endLine)
            }
        }
    }

    /// Random well-formed files, written the way spreadsheet programs quote fields, read back unchanged.
    func testRandomWellFormedFilesRoundTrip() throws {
        var random = SplitMix64(seed: 62_011)
        let pieces = ["a", "Siti", " ", ",", ";", "\"", "\r", "\n", "\r\n", "é", "€", "’", "|", "\t", "x"]
        let delimiters: [Unicode.Scalar] = [";", ",", "|", "\t"]
        let endings = ["\r\n", "\n", "\r"]
        let encodings: [CSVEncoding] = [.utf8, .utf16LE, .utf16BE, .windows1252]
        for iteration in 0..<400 {
            let delimiter = delimiters[iteration % delimiters.count]
            let columns = Int.random(in: 1...5, using: &random)
            var rows: [[String]] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                var row: [String] = []
                for _ in 0..<columns {
                    var field = ""
                    for _ in 0..<Int.random(in: 0...6, using: &random) {
                        field += pieces.randomElement(using: &random)!
                    }
                    row.append(field)
                }
                rows.append(row == [""] ? ["z"] : row)
            }
            let ending = endings[iteration % endings.count]
            var text = rows.map { row in
                row.map { field in
                    let needsQuotes = field.unicodeScalars.contains { "\"\r\n".unicodeScalars.contains($0) || $0 == delimiter }
                    return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: String(delimiter)) + ending
            }.joined()
            if iteration % 5 == 0 {
                text.removeLast(ending.count)
            }
            let encoding = encodings[(iteration / 4) % encodings.count]
            let bytes: [UInt8]
            switch encoding {
            case .utf8: bytes = Array(text.utf8)
            case .utf16LE: bytes = [0xFF, 0xFE] + utf16LE(text)
            case .utf16BE: bytes = [0xFE, 0xFF] + utf16BE(text)
            case .windows1252: bytes = windows1252(text)
            }
            let path = try write(bytes, name: "round-trip-\(iteration).csv")
            let options = CSVOptions(delimiter: UInt8(ascii: delimiter), encoding: encoding)
            let records = try readAll(path, options: options, chunkSize: Int.random(in: 1...40, using: &random))
            XCTAssertEqual(records.map(\.fields), rows, "file \(text.debugDescription) in \(encoding)")
            XCTAssertTrue(records.allSatisfy { $0.problem == nil })
        }
    }

    // MARK: - Volume

    func testStreamsLargeFileWithConstantMemory() throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(6 << 20)
        bytes += Array("NO;NAMA;DESA;CATATAN\r\n".utf8)
        for line in 1...200_000 {
            bytes += Array("\(line);SITI AMINAH \(line);SRI WAY LANGSEP;\"catatan; ke-\(line)\"\r\n".utf8)
        }
        let path = try write(bytes)
        let reader = try CSVReader(path: path)
        defer { reader.close() }
        var count = 0
        var last: CSVRecord?
        var maxCapacity = 0
        while let record = try reader.next() {
            count += 1
            last = record
            maxCapacity = max(maxCapacity, reader.bufferCapacity)
        }
        XCTAssertEqual(count, 200_001)
        XCTAssertEqual(last?.fields, ["200000", "SITI AMINAH 200000", "SRI WAY LANGSEP", "catatan; ke-200000"])
        XCTAssertEqual(last?.line, 200_001)
        XCTAssertNil(last?.problem)
        XCTAssertEqual(reader.bytesRead, Int64(bytes.count))
        XCTAssertLessThanOrEqual(maxCapacity, 2 * CSVParser.defaultChunkSize + 4096)
        XCTAssertGreaterThan(bytes.count, 8 * maxCapacity)
    }
}

/// A small deterministic random number generator, so that random tests always see the same input.
private struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
