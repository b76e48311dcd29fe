import Foundation
import PaduReference
import XCTest

/// The bundled Kemendagri list: loading, lookups, and every code resolving to itself.
final class RegionCatalogTests: XCTestCase {
    func testTheBundledListLoadsWithEveryRow() throws {
        let start = Date()
        let catalog = try Reference.catalog()
        let first = Date().timeIntervalSince(start)
        XCTAssertEqual(catalog.entries.count, 91_599)
        XCTAssertEqual(catalog.listName, "Kepmendagri 300.2.2-2138/2025")
        let counts = Dictionary(grouping: catalog.entries, by: \.level).mapValues(\.count)
        XCTAssertEqual(counts, [.provinsi: 38, .kabupaten: 514, .kecamatan: 7_285, .desa: 83_762])
        // A second call returns the same instance, at once.
        let again = Date()
        XCTAssertTrue(try RegionCatalog.bundled() === catalog)
        XCTAssertLessThan(Date().timeIntervalSince(again), 0.01)

        // Measured on a fresh parse (the cached instance may have been loaded by another test).
        let parseStart = Date()
        let text = try String(contentsOfFile: ReferenceFiles.path(of: RegionCatalog.fileName), encoding: .utf8)
        let parsed = try RegionCatalog.parse(tsv: text)
        let parseTime = Date().timeIntervalSince(parseStart)
        XCTAssertEqual(parsed.entries.count, 91_599)
        print("region list: first bundled() call \(Int(first * 1000)) ms, read and parse of 91,599 rows \(Int(parseTime * 1000)) ms")
    }

    func testEntriesByCodeDottedOrNot() throws {
        let catalog = try Reference.catalog()
        let desa = try XCTUnwrap(catalog.entry(code: "18.02.01.2001"))
        XCTAssertEqual(desa, RegionEntry(code: "18.02.01.2001", name: "Sri Way Langsep", level: .desa, parentCode: "18.02.01"))
        XCTAssertEqual(catalog.entry(code: "1802012001"), desa)
        XCTAssertEqual(catalog.entry(code: " 18 02 01 2001 "), desa)
        XCTAssertEqual(catalog.entry(code: "18.02")?.name, "Kabupaten Lampung Tengah")
        XCTAssertEqual(catalog.entry(code: "18")?.name, "Lampung")
        XCTAssertEqual(catalog.entry(code: "17.07")?.name, "Kabupaten Lebong")
        XCTAssertEqual(catalog.entry(code: "16.06")?.name, "Kabupaten Musi Banyuasin")
        XCTAssertNil(catalog.entry(code: "18.02.01.9999"))
        XCTAssertNil(catalog.entry(code: "180"))
        XCTAssertNil(catalog.entry(code: "18-02"))
        XCTAssertNil(catalog.entry(code: ""))
    }

    func testChildrenAndAncestors() throws {
        let catalog = try Reference.catalog()
        let kecamatan = catalog.children(of: "18.02")
        XCTAssertEqual(kecamatan.first?.name, "Kalirejo")
        XCTAssertTrue(kecamatan.allSatisfy { $0.level == .kecamatan && $0.parentCode == "18.02" })
        XCTAssertEqual(kecamatan.count, 28)
        let desa = catalog.children(of: "1802 01")
        XCTAssertEqual(desa.prefix(3).map(\.name), ["Sri Way Langsep", "Wayakrui", "Kalirejo"])
        XCTAssertEqual(catalog.children(of: "18.02.01.2001"), [])
        XCTAssertEqual(catalog.children(of: "99"), [])
        XCTAssertEqual(catalog.children(of: "18").count, 15)
        let entry = try XCTUnwrap(catalog.entry(code: "18.02.01.2001"))
        XCTAssertEqual(catalog.ancestor(of: entry, at: .kabupaten)?.code, "18.02")
        XCTAssertEqual(catalog.ancestor(of: entry, at: .desa), entry)
    }

    func testKabupatenAndKota() throws {
        let catalog = try Reference.catalog()
        XCTAssertTrue(catalog.isKabupaten("32.16"))
        XCTAssertFalse(catalog.isKota("32.16"))
        XCTAssertTrue(catalog.isKota("3275"))
        XCTAssertFalse(catalog.isKabupaten("32.75"))
        XCTAssertFalse(catalog.isKota("18.02.01"), "a kecamatan is neither")
        XCTAssertFalse(catalog.isKota("99.99"), "unknown")
        // Code ranges and name prefixes agree over the whole list.
        for entry in catalog.entries where entry.level == .kabupaten {
            XCTAssertNotEqual(entry.isKabupaten, entry.isKota, entry.code)
            XCTAssertEqual(entry.isKota, entry.name.hasPrefix("Kota"), entry.description)
        }
    }

    /// Done-when: every one of the 91,599 codes resolves to itself, dotted and undotted.
    func testEveryCodeResolvesToItselfDottedAndUndotted() throws {
        let catalog = try Reference.catalog()
        let resolver = RegionResolver(catalog: catalog)
        var failures: [String] = []
        let start = Date()
        for entry in catalog.entries {
            for written in [entry.code, entry.code.replacingOccurrences(of: ".", with: "")] {
                let result = resolver.resolve(RegionQuery(codes: [entry.level: written]))
                if result.entry != entry { failures.append("\(written): \(result)") }
            }
        }
        print("resolved \(2 * catalog.entries.count) codes in \(Int(Date().timeIntervalSince(start) * 1000)) ms")
        XCTAssertEqual(failures.count, 0, failures.prefix(10).joined(separator: "\n"))
    }

    func testParseReportsBadRows() throws {
        XCTAssertThrowsError(try RegionCatalog.parse(tsv: "kode\tnama\n18\tLampung\n18.02.x\tBad\n", source: "t.tsv")) { error in
            XCTAssertTrue("\(error)".contains("t.tsv, line 3"), "\(error)")
        }
        XCTAssertThrowsError(try RegionCatalog.parse(tsv: "kode\tnama\n18.02\tKabupaten Lampung Tengah\n")) { error in
            XCTAssertTrue("\(error)".contains("without its parent 18"), "\(error)")
        }
        XCTAssertThrowsError(try RegionCatalog.parse(tsv: "kode\tnama\n18\tLampung\n18\tLampung\n")) { error in
            XCTAssertTrue("\(error)".contains("appears twice"), "\(error)")
        }
        let small = try RegionCatalog.parse(tsv: "kode\tnama\r\n18\tLampung\r\n18.02\tKabupaten Lampung Tengah \r\n", listName: "test")
        XCTAssertEqual(small.entries.map(\.name), ["Lampung", "Kabupaten Lampung Tengah"])
        XCTAssertEqual(small.listName, "test")
    }
}
