import Foundation
import XCTest
import PaduFormats

#if canImport(Glibc)
import Glibc
#endif

final class BPSStaticTableTests: XCTestCase {
    func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path + "/bps/" + name
    }

    func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }

    /// A small Excel-style document around the given rows.
    func html(_ rows: String, charset: String? = "utf-8", caption: String? = nil) -> Data {
        var s = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head>"
        if let charset { s += "<meta http-equiv=Content-Type content=\"text/html; charset=\(charset)\">" }
        s += "</head><body><table border=0 cellpadding=0 cellspacing=0>"
        if let caption { s += "<caption>\(caption)</caption>" }
        return Data((s + rows + "</table></body></html>").utf8)
    }

    // MARK: - Fixtures

    func testP0PerKabupatenWithTwoHeaderRows() throws {
        let table = try BPSStaticTable(path: fixture("static-p0-kabupaten-2021-2023.html"))
        XCTAssertEqual(table.title, "Persentase Penduduk Miskin Menurut Kabupaten/Kota di Provinsi Lampung, 2021–2023")
        XCTAssertEqual(table.observations.count, 6 * 3 - 1)
        XCTAssertEqual(Set(table.observations.map(\.regionLabel)),
                       ["Lampung Barat", "Tanggamus", "Lampung Tengah", "Pesisir Barat", "Kota Bandar Lampung", "Lampung"])

        let first = try XCTUnwrap(table.observations.first)
        XCTAssertEqual(first.regionLabel, "Lampung Barat", "the <font> wrapper and &nbsp; are only formatting")
        XCTAssertEqual(first.regionCode, "Lampung Barat", "no code column: the code is the label")
        XCTAssertEqual(first.variableLabel, "Persentase Penduduk Miskin (Persen)", "the <br> is a word break")
        XCTAssertEqual(first.variableCode, first.variableLabel)
        XCTAssertEqual(first.unit, "Persen")
        XCTAssertNil(first.breakdown)
        XCTAssertEqual(first.period, "2021")
        XCTAssertEqual(first.value, "12.42")
        XCTAssertEqual(first.key, "R6C2", "row 6 of the grid: title, blank, two header rows and the column numbers come first")

        let tengah = table.observations.filter { $0.regionLabel == "Lampung Tengah" }
        XCTAssertEqual(tengah.map(\.period), ["2021", "2022", "2023"])
        XCTAssertEqual(tengah.map(\.value), ["11.88", "11.51", "10.84"])
        XCTAssertEqual(table.observations.first { $0.regionLabel == "Lampung" && $0.period == "2023" }?.value, "11.11",
                       "the province row is read like the others")

        XCTAssertEqual(table.missing.count, 1)
        let dash = try XCTUnwrap(table.missing.first)
        XCTAssertEqual(dash.row, 9)
        XCTAssertEqual(dash.column, "Persentase Penduduk Miskin (Persen) | 2022")
        XCTAssertTrue(dash.reason.contains("R9C3") && dash.reason.contains("Pesisir Barat") && dash.reason.contains("'-'"), dash.reason)
        XCTAssertFalse(table.observations.contains { $0.regionLabel == "Pesisir Barat" && $0.period == "2022" })

        XCTAssertEqual(table.footnotes, ["Sumber: BPS Provinsi Lampung, Susenas Maret", "Catatan: - data tidak tersedia"])
    }

    func testGarisKemiskinanWithSubPeriodsAndGroupedThousands() throws {
        let table = try BPSStaticTable(path: fixture("static-gk-semester-2022-2023.html"))
        XCTAssertEqual(table.title, "Tabel 4.2 Garis Kemiskinan dan Jumlah Penduduk Miskin Menurut Kabupaten/Kota, 2022–2023")
        let gk = table.observations.filter { $0.regionLabel == "Lampung Barat" && $0.variableCode == "Garis Kemiskinan (Rp/Kapita/Bulan)" }
        XCTAssertEqual(gk.map(\.period), ["2022 Maret", "2022 September", "2023 Maret", "2023 September"])
        XCTAssertEqual(gk.map(\.value), ["494371", "516283", "536914", "550012"], "550.012 groups thousands in this table")
        XCTAssertEqual(gk.first?.unit, "Rp/Kapita/Bulan")

        let poor = try XCTUnwrap(table.observations.first { $0.regionLabel == "Lampung" && $0.variableLabel.hasPrefix("Jumlah") })
        XCTAssertEqual(poor.value, "1234.56")
        XCTAssertEqual(poor.period, "2023 Maret", "the *) mark on 2023 is a footnote reference, not part of the period")
        XCTAssertEqual(poor.unit, "Ribu Jiwa")
        XCTAssertEqual(poor.key, "R7C6")
        XCTAssertEqual(table.observations.first { $0.regionLabel == "Lampung Barat" && $0.variableLabel.hasPrefix("Jumlah") }?.value, "36.12")

        XCTAssertEqual(table.observations.count, 3 * 5)
        XCTAssertEqual(table.missing.map(\.column), Array(repeating: "Jumlah Penduduk Miskin (Ribu Jiwa) | 2023*) | September", count: 3))
        XCTAssertEqual(table.missing.map(\.row), [5, 6, 7])
        XCTAssertTrue(table.missing[0].reason.contains("'…': data not available"), table.missing[0].reason)
        XCTAssertTrue(table.missing[1].reason.contains("'NA': not available"), table.missing[1].reason)
        XCTAssertTrue(table.missing[2].reason.contains("'N.A': not available"), table.missing[2].reason)
        XCTAssertEqual(table.footnotes, ["Sumber/Source: BPS, Susenas Maret dan September", "*) angka sementara"])
    }

    func testWindows1252FileWithCodesAndDotDecimals() throws {
        let table = try BPSStaticTable(path: fixture("static-p1-windows-1252.html"))
        XCTAssertEqual(table.title, "Indeks Kedalaman Kemiskinan (P1) – Lampung (réf. Susenas)", "0x96 and 0xE9 are Windows-1252")
        XCTAssertEqual(table.footnotes, ["Catatan: … = data tidak tersedia; disusun dari publikasi « Lampung Dalam Angka »"])

        let barat = table.observations.filter { $0.regionCode == "1801" }
        XCTAssertEqual(barat.map(\.regionLabel), ["Lampung Barat", "Lampung Barat"])
        XCTAssertEqual(barat.map(\.period), ["2023 Maret", "2024 Maret"], "periods are written year first, as in the WebAPI reader")
        XCTAssertEqual(barat.map(\.value), ["1.85", "1.72"], "a table of 1.85-style values uses the decimal point")
        XCTAssertEqual(barat.first?.variableLabel, "Indeks Kedalaman Kemiskinan (P1)")
        XCTAssertNil(barat.first?.unit, "(P1) names the indicator, not a unit")
        XCTAssertEqual(table.observations.first { $0.regionLabel == "Lampung" }?.regionCode, "1800")

        XCTAssertEqual(table.observations.count, 7)
        XCTAssertEqual(table.missing.count, 1)
        XCTAssertTrue(table.missing[0].reason.contains("Tanggamus") && table.missing[0].reason.contains("'…'"), table.missing[0].reason)
    }

    func testDocumentWithoutTableIsAnError() {
        let path = fixture("static-no-table.html")
        let message = error { try BPSStaticTable(path: path) }
        XCTAssertTrue(message.hasPrefix(path + ": no <table> in the document"), message)
        XCTAssertTrue(message.contains("Tabel ini tidak tersedia"), message)
        XCTAssertTrue(error { try BPSStaticTable(data: Data(), path: "empty.html") }.contains("no <table>"))
        XCTAssertTrue(error { try BPSStaticTable(path: "/nonexistent/p0.html") }.contains("cannot read the file"))
    }

    func testFilesThatAreNoHTMLTableSayWhatTheyAre() {
        let biff = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504))
        XCTAssertTrue(error { try BPSStaticTable(data: biff, path: "p0.xls") }.contains("binary Excel workbook (.xls, BIFF)"))
        XCTAssertTrue(error { try BPSStaticTable(data: Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0]), path: "p0.xls") }.contains("zip archive"))
        let frames = """
            <html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>
            <!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>P0</x:Name>
            <x:WorksheetSource HRef="p0_files/sheet001.htm"/></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->
            </head><frameset rows="*,39"><frame src="p0_files/sheet001.htm" name="frSheet"></frameset></html>
            """
        let message = error { try BPSStaticTable(data: Data(frames.utf8), path: "p0.htm") }
        XCTAssertTrue(message.contains("no <table>") && message.contains("sheet001.htm"), message)
    }

    func testExternalResourcesAreNeverFetched() throws {
        // A listening socket the document points at: any fetch would land in its queue.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(listener, 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(listener, sa, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, sa, &length) == 0
            }
        }
        XCTAssertTrue(bound)
        let port = UInt16(bigEndian: address.sin_port)

        let template = try String(contentsOfFile: fixture("static-external-resources.html"), encoding: .utf8)
        XCTAssertTrue(template.contains("http://127.0.0.1:PORT/"))
        let document = template.replacingOccurrences(of: "PORT", with: String(port))
        let table = try BPSStaticTable(data: Data(document.utf8), path: "external.html")
        XCTAssertEqual(table.observations.map(\.value), ["11.63", "10.98"])
        XCTAssertEqual(table.observations.map(\.period), ["2023", "2023"], "the year comes from the heading before the table")
        XCTAssertEqual(table.title, "Persentase Penduduk Miskin Menurut Kabupaten/Kota, 2023")

        func pendingConnections() -> Int32 {
            var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            return poll(&descriptor, 1, 100)
        }
        XCTAssertEqual(pendingConnections(), 0, "the parser connected to the network")

        // The check itself works: a real connection shows up.
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        XCTAssertEqual(pendingConnections(), 1)
    }

    // MARK: - Charsets

    func testCharsetWithoutDeclarationAndLatin1Labels() throws {
        let rows = "<tr><td>Kabupaten/Kota</td><td>Catatan Café 2023</td></tr><tr><td>Lampung Barat</td><td>1,5</td></tr>"
            + "<tr><td>Tanggamus</td><td>\u{2026}</td></tr>"
        // UTF-8 without a charset: libxml2 alone would read it as Latin-1.
        let utf8 = try BPSStaticTable(data: html(rows, charset: nil), path: "utf8.html")
        XCTAssertEqual(utf8.observations.first?.variableLabel, "Catatan Café")
        XCTAssertEqual(utf8.missing.first?.reason.contains("data not available"), true)

        // Windows-1252 bytes without a charset, and under an iso-8859-1 label: 0x85 is `…`.
        let latin = [UInt8](html(rows.replacingOccurrences(of: "é", with: "@").replacingOccurrences(of: "\u{2026}", with: "#"), charset: nil))
            .map { $0 == UInt8(ascii: "#") ? 0x85 : $0 == UInt8(ascii: "@") ? 0xE9 : $0 }
        for charset in [nil, "iso-8859-1"] as [String?] {
            var bytes = latin
            if let charset {
                let meta = Array("<meta http-equiv=Content-Type content=\"text/html; charset=\(charset)\">".utf8)
                let head = bytes.firstRange(of: Array("<head>".utf8))!.upperBound
                bytes.insert(contentsOf: meta, at: head)
            }
            let table = try BPSStaticTable(data: Data(bytes), path: "latin.html")
            XCTAssertEqual(table.observations.first?.variableLabel, "Catatan Café", "\(charset ?? "undeclared")")
            XCTAssertEqual(table.missing.first?.reason.contains("'…': data not available"), true, "\(charset ?? "undeclared")")
        }
    }

    func testCharsetErrorsNeverCutTheTableShort() throws {
        var rows = "<tr><td>Kabupaten/Kota</td><td>P0 2023</td></tr>"
        for i in 1...5 { rows += "<tr><td>Kab \(i == 3 ? "#" : String(i))</td><td>\(i),5</td></tr>" }
        // 0x81 is unassigned in Windows-1252; iconv stops there, WHATWG's decoder does not.
        let windows = [UInt8](html(rows, charset: "windows-1252")).map { $0 == UInt8(ascii: "#") ? 0x81 : $0 }
        let table = try BPSStaticTable(data: Data(windows), path: "w.html")
        XCTAssertEqual(table.observations.map(\.value), ["1.5", "2.5", "3.5", "4.5", "5.5"])
        // A charset only libxml2 converts: a conversion error is an error, not a shorter table.
        let shiftJIS = [UInt8](html(rows, charset: "shift_jis")).map { $0 == UInt8(ascii: "#") ? 0xFF : $0 }
        let message = error { try BPSStaticTable(data: Data(shiftJIS), path: "sj.html") }
        XCTAssertTrue(message.hasPrefix("sj.html: the file is not valid shift_jis") && message.contains("cut short"), message)
        // Declared UTF-8 with a stray byte: the replacement character, nothing lost.
        let utf8 = [UInt8](html(rows, charset: "utf-8")).map { $0 == UInt8(ascii: "#") ? 0xE9 : $0 }
        let repaired = try BPSStaticTable(data: Data(utf8), path: "u.html")
        XCTAssertEqual(repaired.observations.count, 5)
        XCTAssertEqual(repaired.observations[2].regionLabel, "Kab \u{FFFD}")
    }

    func testLibxml2NeverWritesToStandardError() throws {
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("bps-static-stderr-\(getpid()).txt")
        _ = FileManager.default.createFile(atPath: capture.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: capture) }
        let captureHandle = try FileHandle(forWritingTo: capture)
        let savedStandardError = dup(2)
        dup2(captureHandle.fileDescriptor, 2)
        let documents: [[UInt8]] = [
            Array("<html><body><table><tr><td>a</td><td>1</b></tr></tbody></html>".utf8),
            Array("<meta charset=klingon><table><tr><td>x</td><td>1</td></tr></table>".utf8),
            Array("<meta charset=utf-8><table><tr><td>Caf".utf8) + [0xE9, 0xFF, 0xFE] + Array("</td><td>1</td></tr></table>".utf8),
            Array("<table><tr><td>\u{1}\u{0}</td></tr><<<>>>&nope;&#xFFFFFFF;<td colspan=-3 rowspan=abc>".utf8),
            Array("<!DOCTYPE html SYSTEM \"http://127.0.0.1:9/x.dtd\"><html><p><table><tr><td><table>".utf8),
            // 0x81 is undefined in Windows-1252: iconv's complaint has no parser context.
            Array("<meta charset=windows-1252><table><tr><td>a".utf8) + [0x81, 0x8D] + Array("</td><td>1</td></tr></table>".utf8),
            Array("<meta charset=shift_jis><table><tr><td>".utf8) + [0x81, 0xFF, 0xFF] + Array("</td></tr></table>".utf8),
            [0x00, 0x00, 0x00],
            [0xFF, 0xFE, 0x41],
        ]
        for document in documents {
            _ = try? BPSStaticTable(data: Data(document), path: "bad.html")
        }
        fflush(nil)
        dup2(savedStandardError, 2)
        close(savedStandardError)
        try captureHandle.close()
        let printed = try String(contentsOf: capture, encoding: .utf8)
        XCTAssertEqual(printed, "", "libxml2 printed to stderr")
    }

    // MARK: - Layout rules

    func testCodesNumberingSectionsAndRowBreakdowns() throws {
        let rows = """
            <tr><td colspan=5>Persentase Penduduk Miskin Menurut Daerah, 2023</td></tr>
            <tr><td>No.</td><td>Kabupaten/Kota</td><td>Daerah</td><td>Persentase Penduduk Miskin (%)</td><td></td></tr>
            <tr><td>1</td><td>2</td><td>3</td><td>4</td><td></td></tr>
            <tr><td colspan=5>Kabupaten</td></tr>
            <tr><td>1</td><td rowspan=2>Lampung Barat</td><td>Perkotaan</td><td>9,10</td><td></td></tr>
            <tr><td>2</td><td>Perdesaan</td><td>12,98</td><td></td></tr>
            <tr><td colspan=5>Kota</td></tr>
            <tr><td>3</td><td>Kota Metro</td><td>Perkotaan</td><td>7,02</td><td></td></tr>
            <tr><td>4</td><td>Kota Baru</td><td>Perkotaan</td><td></td><td></td></tr>
            <tr><td></td><td>Angka sementara</td><td></td><td></td><td></td></tr>
            """
        let table = try BPSStaticTable(data: html(rows), path: "daerah.html")
        XCTAssertEqual(table.observations.map(\.regionLabel), ["Lampung Barat", "Lampung Barat", "Kota Metro"])
        XCTAssertEqual(table.observations.map(\.breakdown), ["Perkotaan", "Perdesaan", "Perkotaan"])
        XCTAssertEqual(table.observations.map(\.value), ["9.10", "12.98", "7.02"])
        XCTAssertEqual(table.observations.map(\.regionCode), ["Lampung Barat", "Lampung Barat", "Kota Metro"], "the No. column is not a code")
        XCTAssertEqual(table.observations.first?.unit, "%")
        XCTAssertEqual(table.observations.first?.period, "2023", "the one year of the title")
        XCTAssertEqual(table.observations.first?.key, "R5C4", "the 1 | 2 | 3 | 4 column-number row still counts as a grid row")
        XCTAssertEqual(table.missing.map(\.row), [9])
        XCTAssertTrue(table.missing[0].reason.contains("Kota Baru") && table.missing[0].reason.contains("empty cell"), table.missing[0].reason)
        XCTAssertEqual(table.footnotes, ["Angka sementara"], "a label without values after the data is a footnote")
    }

    func testHeaderRepeatedInsideTheDataIsSkipped() throws {
        let header = """
            <tr><td rowspan=2>Kabupaten/Kota</td><td colspan=2>Persentase Penduduk Miskin (Persen)</td></tr>
            <tr><td>2022</td><td>2023</td></tr>
            <tr><td>(1)</td><td>(2)</td><td>(3)</td></tr>
            """
        let rows = header + "<tr><td>Lampung Barat</td><td>12,04</td><td>11,63</td></tr>"
            + header + "<tr><td>Lampung</td><td>11,57</td><td>11,11</td></tr>"
        let table = try BPSStaticTable(data: html(rows), path: "pages.html")
        XCTAssertEqual(table.observations.map(\.value), ["12.04", "11.63", "11.57", "11.11"])
        XCTAssertEqual(table.missing.count, 0)
        XCTAssertEqual(table.observations.last?.key, "R8C3")
    }

    func testVariableFromTitleAndYearRow() throws {
        let rows = """
            <tr><td colspan=3>Tabel 2 Jumlah Penduduk Miskin (Ribu Jiwa) Menurut Kabupaten/Kota, 2022-2023</td></tr>
            <tr><td>Kabupaten/Kota</td><td>2022</td><td>2023</td></tr>
            <tr><td>Lampung Barat</td><td>37,02</td><td>36,12</td></tr>
            <tr><td>Lampung</td><td>1.002,41</td><td>970,67</td></tr>
            """
        let table = try BPSStaticTable(data: html(rows), path: "jumlah.html")
        XCTAssertEqual(table.observations.map(\.period), ["2022", "2023", "2022", "2023"], "2022 | 2023 is a header row, not data")
        XCTAssertEqual(Set(table.observations.map(\.variableLabel)), ["Jumlah Penduduk Miskin (Ribu Jiwa)"])
        XCTAssertEqual(table.observations.first?.unit, "Ribu Jiwa")
        XCTAssertEqual(table.observations.map(\.value), ["37.02", "36.12", "1002.41", "970.67"])
    }

    func testPeriodAtTheEndOfTheVariableAndSemesters() throws {
        let rows = """
            <tr><td rowspan=2>Wilayah</td><td>Persentase Penduduk Miskin, 2023 (Persen)</td><td colspan=2>Garis Kemiskinan (Rupiah)</td></tr>
            <tr><td></td><td>2024 Semester 1</td><td>Semester II 2024</td></tr>
            <tr><td>Lampung</td><td>11,11</td><td>601.234</td><td>612.345</td></tr>
            """
        let table = try BPSStaticTable(data: html(rows, caption: "Indikator Kemiskinan"), path: "indikator.html")
        XCTAssertEqual(table.title, "Indikator Kemiskinan")
        XCTAssertEqual(table.observations.map(\.variableLabel), ["Persentase Penduduk Miskin (Persen)", "Garis Kemiskinan (Rupiah)", "Garis Kemiskinan (Rupiah)"])
        XCTAssertEqual(table.observations.map(\.period), ["2023", "2024 Semester 1", "2024 Semester II"])
        XCTAssertEqual(table.observations.map(\.unit), ["Persen", "Rupiah", "Rupiah"])
        XCTAssertEqual(table.observations.map(\.value), ["11.11", "601234", "612345"])
    }

    func testNumberingRestartsPerSectionAndUnitOnlyHeaderParts() throws {
        let rows = """
            <tr><td rowspan=3>No.</td><td rowspan=3>Kabupaten/Kota</td><td>Angka Harapan Hidup</td><td colspan=2>Garis Kemiskinan</td><td>Keterangan</td></tr>
            <tr><td>(Tahun)</td><td colspan=2>Rupiah</td><td></td></tr>
            <tr><td>2023</td><td>2024 Semester 1 (Maret)</td><td>2024 Semester 2 (September)</td><td></td></tr>
            <tr><td colspan=6>Kabupaten</td></tr>
            <tr><td>1</td><td>Lampung Barat</td><td>68,52</td><td>560.123</td><td>571.456</td><td></td></tr>
            <tr><td>2</td><td>Tanggamus</td><td>68,10</td><td>512.001</td><td>-</td><td>angka sementara</td></tr>
            <tr><td colspan=6>Kota</td></tr>
            <tr><td>1</td><td>Kota Metro</td><td>72,40</td><td>640.100</td><td>652.200</td><td></td></tr>
            """
        let table = try BPSStaticTable(data: html(rows), path: "ahh.html")
        XCTAssertEqual(Set(table.observations.map(\.regionCode)), ["Lampung Barat", "Tanggamus", "Kota Metro"], "No. restarts at 1 per section")
        let ahh = table.observations.filter { $0.variableLabel == "Angka Harapan Hidup" }
        XCTAssertEqual(ahh.map(\.unit), ["Tahun", "Tahun", "Tahun"], "(Tahun) under a variable is its unit")
        XCTAssertEqual(ahh.map(\.value), ["68.52", "68.10", "72.40"])
        let gk = table.observations.filter { $0.regionLabel == "Lampung Barat" && $0.variableLabel == "Garis Kemiskinan" }
        XCTAssertEqual(gk.map(\.period), ["2024 Semester 1 (Maret)", "2024 Semester 2 (September)"])
        XCTAssertEqual(gk.map(\.unit), ["Rupiah", "Rupiah"])
        XCTAssertEqual(gk.map(\.value), ["560123", "571456"])
        XCTAssertEqual(table.missing.count, 1, "the Keterangan column of notes is not a value column")
    }

    func testRegionColumnHeaderAndFirstTableWithData() throws {
        let document = """
            <html><body>
            <table><tr><td>Logo</td><td><table><tr><td>menu</td></tr></table></td></tr></table>
            <table>
            <tr><td>Kabupaten</td><td>Kecamatan</td><td>P0 Maret 2023</td></tr>
            <tr><td rowspan=2>Lampung Barat</td><td>Balik Bukit</td><td>10,5</td></tr>
            <tr><td>Sumber Jaya</td><td>x</td></tr>
            </table></body></html>
            """
        let table = try BPSStaticTable(data: Data(document.utf8), path: "kec.html", regionColumnHeader: "KECAMATAN")
        XCTAssertEqual(table.observations.count, 1)
        XCTAssertEqual(table.observations[0].regionLabel, "Balik Bukit")
        XCTAssertEqual(table.observations[0].regionCode, "Lampung Barat | Balik Bukit")
        XCTAssertEqual(table.observations[0].variableLabel, "P0")
        XCTAssertEqual(table.observations[0].period, "2023 Maret")
        XCTAssertEqual(table.missing.count, 1, "Sumber Jaya is a kecamatan, not a footnote")
        XCTAssertTrue(table.missing[0].reason.contains("Sumber Jaya") && table.missing[0].reason.contains("withheld"), table.missing[0].reason)

        let message = error { try BPSStaticTable(data: Data(document.utf8), path: "kec.html", regionColumnHeader: "Desa") }
        XCTAssertTrue(message.contains("no column is headed \"Desa\"") && message.contains("\"Kecamatan\""), message)
    }

    func testValuesThatAreNotNumbersAreReportedNotDropped() throws {
        let rows = """
            <tr><td>Kabupaten/Kota</td><td>P0 2023</td></tr>
            <tr><td>Lampung Barat</td><td>11,63</td></tr>
            <tr><td>Tanggamus</td><td>10,98 r</td></tr>
            <tr><td>Lampung Tengah</td><td>1,2,3</td></tr>
            """
        let table = try BPSStaticTable(data: html(rows), path: "p0.html")
        XCTAssertEqual(table.observations.map(\.value), ["11.63"])
        XCTAssertEqual(table.missing.map(\.row), [3, 4])
        XCTAssertTrue(table.missing[0].reason.contains("R3C2 Tanggamus") && table.missing[0].reason.contains("not an amount"), table.missing[0].reason)
        XCTAssertTrue(table.missing[1].reason.contains("not an amount"), table.missing[1].reason)
    }

    // MARK: - Errors

    func testTablesWithoutNumbersOrWithUnreadableHeaders() {
        let textOnly = html("<tr><td>Kabupaten</td><td>Ibu kota</td></tr><tr><td>Lampung Barat</td><td>Liwa</td></tr>")
        let noNumbers = error { try BPSStaticTable(data: textOnly, path: "ibukota.html") }
        XCTAssertTrue(noNumbers.hasPrefix("ibukota.html: no table with numeric data: 1 table(s), the largest has 2 rows × 2 columns"), noNumbers)
        XCTAssertTrue(noNumbers.contains("\"Lampung Barat\""), noNumbers)

        let noPeriod = error { try BPSStaticTable(data: self.html("<tr><td>Kabupaten/Kota</td><td>P0</td></tr><tr><td>Lampung</td><td>11,11</td></tr>"), path: "p0.html") }
        XCTAssertTrue(noPeriod.contains("column 2 (\"P0\") has no period"), noPeriod)

        let twice = error { try BPSStaticTable(data: self.html("<tr><td>Kab/Kota</td><td>P0 2023</td><td>P0 2023</td></tr><tr><td>Lampung</td><td>1</td><td>2</td></tr>"), path: "dup.html") }
        XCTAssertTrue(twice.contains("columns 2 and 3 both read as \"P0\" for 2023"), twice)

        let twoYears = error { try BPSStaticTable(data: self.html("<tr><td rowspan=2>Kab</td><td>2022</td></tr><tr><td>2023</td></tr><tr><td>Lampung</td><td>1</td></tr>"), path: "y.html") }
        XCTAssertTrue(twoYears.contains("two periods, 2022 and 2023"), twoYears)

        let headless = error { try BPSStaticTable(data: self.html("<tr><td>Lampung Barat</td><td>11,63</td><td>12,04</td></tr>"), path: "h.html") }
        XCTAssertTrue(headless.contains("no header row above the first data row 1"), headless)

        let noVariable = error { try BPSStaticTable(data: self.html("<tr><td>Kab</td><td>2023</td></tr><tr><td>Lampung</td><td>11,11</td></tr>"), path: "v.html") }
        XCTAssertTrue(noVariable.contains("column 2 (\"2023\") has no variable name"), noVariable)
    }

    func testSizeLimit() throws {
        let big = Data(count: BPSStaticTable.maxBytes + 1)
        XCTAssertTrue(error { try BPSStaticTable(data: big, path: "big.html") }.contains("more than a BPS static table can be"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bps-static-big-\(getpid()).html").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(truncate(path, off_t(BPSStaticTable.maxBytes + 1)), 0)
        XCTAssertTrue(error { try BPSStaticTable(path: path) }.contains("more than a BPS static table can be"))
    }

    func testSpansAreExpandedWithinLimits() {
        // 3 000 rows of colspan=1000 cells would expand to 3 million slots.
        let rows = String(repeating: "<tr><td colspan=1000>x</td></tr>", count: 3_000)
        let message = error { try BPSStaticTable(data: self.html(rows), path: "wide.html") }
        XCTAssertTrue(message.contains("expands to more than"), message)
    }
}
