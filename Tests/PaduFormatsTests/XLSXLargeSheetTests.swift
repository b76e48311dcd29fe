import CZlib
import Foundation
import XCTest

@testable import PaduFormats

/// Streams a generated 200 000-row sheet (about 45 MB of XML, deflated). The workbook is written by
/// a small zip writer below in a second or two, so the test needs neither Python nor a committed
/// large file. Throughput and memory are measured with the `xlsx-bench` executable, not here.
final class XLSXLargeSheetTests: XCTestCase {
    static let dataRows = 200_000

    func testStreams200kRows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("padu-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("besar.xlsx").path
        try Self.writeLargeWorkbook(path: path, rows: Self.dataRows)

        let workbook = try XLSXWorkbook(path: path)
        XCTAssertEqual(workbook.sharedStringCount, 1006)
        let reader = try workbook.sheet(named: "Penerima")
        var count = 0
        var previous = 0
        var last: XLSXRow?
        var dates = 0
        while let row = try reader.nextRow() {
            count += 1
            XCTAssertGreaterThan(row.number, previous)
            previous = row.number
            if case .date? = row.cell(column: 5)?.value { dates += 1 }
            last = row
        }
        XCTAssertEqual(count, Self.dataRows + 1)
        XCTAssertEqual(dates, Self.dataRows)
        let final = try XCTUnwrap(last)
        XCTAssertEqual(final.number, Self.dataRows + 1)
        XCTAssertEqual(final.cells.map(\.reference), (1...6).map { "\(XLSXCellReference.columnLetters($0))\(Self.dataRows + 1)" })
        XCTAssertEqual(
            final.cells.map(\.value),
            [
                .number("200000"), .text("Desa 0"), .text("3404000000200000"), .number("1500000.5"),
                .date(serial: "\(45852 + Self.dataRows % 365)"), .bool(true),
            ]
        )
        XCTAssertEqual(try workbook.mergedRanges(workbook.sheetInfo(named: "Penerima")).map(\.description), ["A1:B1"])
    }

    static func writeLargeWorkbook(path: String, rows: Int) throws {
        let writer = try TestZipWriter(path: path)
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try writer.add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>
            """)
        try writer.add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        try writer.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(main)" xmlns:r="\(relationships)">\
            <sheets><sheet name="Penerima" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try writer.add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(relationships)/sharedStrings" Target="sharedStrings.xml"/>\
            <Relationship Id="rId3" Type="\(relationships)/styles" Target="styles.xml"/></Relationships>
            """)
        try writer.add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="\(main)">\
            <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>\
            <cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>
            """)
        let headers = ["No", "Desa", "NIK", "Nominal", "Tanggal", "Aktif"]
        var strings = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"\(main)\" uniqueCount=\"1006\">"
        for header in headers { strings += "<si><t>\(header)</t></si>" }
        for village in 0..<1000 { strings += "<si><t>Desa \(village)</t></si>" }
        try writer.add("xl/sharedStrings.xml", strings + "</sst>")

        try writer.add("xl/worksheets/sheet1.xml") { write in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20)
            buffer.append(contentsOf: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(main)\"><sheetData>".utf8)
            buffer.append(contentsOf: "<row r=\"1\">".utf8)
            for (index, _) in headers.enumerated() {
                buffer.append(contentsOf: "<c r=\"\(XLSXCellReference.columnLetters(index + 1))1\" t=\"s\"><v>\(index)</v></c>".utf8)
            }
            buffer.append(contentsOf: "</row>".utf8)
            for number in 1...rows {
                let row = number + 1
                let nik = String(3_404_000_000_000_000 + number)
                buffer.append(contentsOf: """
                    <row r="\(row)"><c r="A\(row)"><v>\(number)</v></c><c r="B\(row)" t="s"><v>\(6 + number % 1000)</v></c>\
                    <c r="C\(row)" t="inlineStr"><is><t>\(nik)</t></is></c><c r="D\(row)"><v>1500000.5</v></c>\
                    <c r="E\(row)" s="1"><v>\(45852 + number % 365)</v></c><c r="F\(row)" t="b"><v>\(number % 2 == 0 ? 1 : 0)</v></c></row>
                    """.utf8)
                if buffer.count > 1 << 20 {
                    write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            buffer.append(contentsOf: "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>".utf8)
            write(buffer)
        }
        try writer.finish()
    }
}

/// A minimal zip writer (deflated entries, no ZIP64), for generating test workbooks.
final class TestZipWriter {
    private let handle: FileHandle
    private var offset = 0
    private var centralDirectory: [UInt8] = []
    private var entryCount = 0

    init(path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }

    func add(_ name: String, _ text: String) throws {
        try add(name) { write in write(Array(text.utf8)) }
    }

    /// Adds an entry whose content `produce` passes, in pieces, to the `write` function it receives.
    func add(_ name: String, _ produce: (_ write: ([UInt8]) -> Void) -> Void) throws {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard deflateInit2_(stream, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CocoaError(.fileWriteUnknown)
        }
        var compressed: [UInt8] = []
        var crc: UInt = 0
        var size = 0
        var output = [UInt8](repeating: 0, count: 256 << 10)
        func deflatePiece(_ bytes: [UInt8], flush: Int32) {
            bytes.withUnsafeBufferPointer { input in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.pointee.avail_in = uInt(input.count)
                repeat {
                    let produced: Int = output.withUnsafeMutableBufferPointer { out in
                        stream.pointee.next_out = out.baseAddress
                        stream.pointee.avail_out = uInt(out.count)
                        deflate(stream, flush)
                        return out.count - Int(stream.pointee.avail_out)
                    }
                    compressed.append(contentsOf: output[0..<produced])
                } while stream.pointee.avail_out == 0 || (flush == Z_FINISH && stream.pointee.avail_in > 0)
            }
        }
        produce { bytes in
            crc = bytes.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
            size += bytes.count
            deflatePiece(bytes, flush: Z_NO_FLUSH)
        }
        deflatePiece([], flush: Z_FINISH)

        let nameBytes = Array(name.utf8)
        var local: [UInt8] = []
        local.appendLittleEndian(UInt32(0x0403_4b50))
        local.appendLittleEndian(UInt16(20))
        local.appendLittleEndian(UInt16(0x0800))
        local.appendLittleEndian(UInt16(8))
        local.appendLittleEndian(UInt32(0))
        local.appendLittleEndian(UInt32(truncatingIfNeeded: crc))
        local.appendLittleEndian(UInt32(compressed.count))
        local.appendLittleEndian(UInt32(size))
        local.appendLittleEndian(UInt16(nameBytes.count))
        local.appendLittleEndian(UInt16(0))
        local.append(contentsOf: nameBytes)
        handle.write(Data(local))
        handle.write(Data(compressed))

        centralDirectory.appendLittleEndian(UInt32(0x0201_4b50))
        centralDirectory.appendLittleEndian(UInt16(20))
        centralDirectory.appendLittleEndian(UInt16(20))
        centralDirectory.appendLittleEndian(UInt16(0x0800))
        centralDirectory.appendLittleEndian(UInt16(8))
        centralDirectory.appendLittleEndian(UInt32(0))
        centralDirectory.appendLittleEndian(UInt32(truncatingIfNeeded: crc))
        centralDirectory.appendLittleEndian(UInt32(compressed.count))
        centralDirectory.appendLittleEndian(UInt32(size))
        centralDirectory.appendLittleEndian(UInt16(nameBytes.count))
        centralDirectory.append(contentsOf: [UInt8](repeating: 0, count: 12))
        centralDirectory.appendLittleEndian(UInt32(offset))
        centralDirectory.append(contentsOf: nameBytes)
        offset += local.count + compressed.count
        entryCount += 1
    }

    func finish() throws {
        var end: [UInt8] = []
        end.appendLittleEndian(UInt32(0x0605_4b50))
        end.appendLittleEndian(UInt32(0))
        end.appendLittleEndian(UInt16(entryCount))
        end.appendLittleEndian(UInt16(entryCount))
        end.appendLittleEndian(UInt32(centralDirectory.count))
        end.appendLittleEndian(UInt32(offset))
        end.appendLittleEndian(UInt16(0))
        handle.write(Data(centralDirectory))
        handle.write(Data(end))
        try handle.close()
    }
}

private extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
