import Foundation
@testable import PaduReference
import XCTest

/// Names and codes → Kemendagri codes.
final class RegionResolverTests: XCTestCase {
    private var resolver: RegionResolver!

    override func setUpWithError() throws {
        resolver = RegionResolver(catalog: try Reference.catalog(), history: try Reference.history())
    }

    private func resolve(provinsi: String? = nil, kabupaten: String? = nil, kecamatan: String? = nil, desa: String? = nil,
                         codes: [AdministrativeLevel: String] = [:], within: String? = nil) -> RegionResolution {
        resolver.resolve(RegionQuery(provinsi: provinsi, kabupaten: kabupaten, kecamatan: kecamatan, desa: desa, codes: codes, within: within))
    }

    private func message(_ r: RegionResolution) -> String { r.notes.joined(separator: "; ") }

    /// Every desa name, looked up in its own kecamatan, comes back as its own code, except
    /// names that occur twice in one kecamatan, which are ambiguous.
    func testEveryDesaNameResolvesWithinItsKecamatan() throws {
        let catalog = try Reference.catalog()
        var duplicates = 0, duplicateNames = 0
        var failures: [String] = []
        let start = Date()
        for kecamatan in catalog.entries where kecamatan.level == .kecamatan {
            let desa = catalog.children(of: kecamatan.code)
            let byKey = Dictionary(grouping: desa, by: { RegionName.listKey($0.name, level: .desa) })
            duplicateNames += Dictionary(grouping: desa, by: \.name).values.filter { $0.count > 1 }.count
            for entry in desa {
                let result = resolve(desa: entry.name, codes: [.kecamatan: kecamatan.code])
                if byKey[RegionName.listKey(entry.name, level: .desa)]!.count > 1 {
                    duplicates += 1
                    guard case .ambiguous(let candidates, _, .name(.desa)) = result, candidates.contains(entry) else {
                        failures.append("\(entry) should be ambiguous: \(result)")
                        continue
                    }
                } else if result != .resolved(entry, notes: []) {
                    failures.append("\(entry): \(result)")
                }
            }
        }
        print("desa names: \(catalog.entries.filter { $0.level == .desa }.count) checked in \(Int(Date().timeIntervalSince(start) * 1000)) ms; \(duplicates) desa share their name with another in the same kecamatan (\(duplicateNames) names written identically twice) and come out ambiguous")
        XCTAssertEqual(failures.count, 0, failures.prefix(20).joined(separator: "\n"))
    }

    func testNamesWithPrefixesCaseSpacingAndPunctuation() {
        let expected = "18.02.01.2001"
        XCTAssertEqual(resolve(kabupaten: "Kab. Lampung Tengah", kecamatan: "Kec. Kalirejo", desa: "Desa Sri Way Langsep").code, expected)
        XCTAssertEqual(resolve(kabupaten: "KABUPATEN LAMPUNG TENGAH", kecamatan: "KALIREJO", desa: "SRIWAYLANGSEP").code, expected)
        XCTAssertEqual(resolve(provinsi: "Prov. Lampung", kabupaten: "lampung-tengah", kecamatan: " kalirejo ", desa: "Sri  Way-Langsep").code, expected)
        XCTAssertEqual(resolve(kabupaten: "Lampung Tengah", kecamatan: "Kalirejo", desa: "Srí Wáy Langsep").code, expected, "diacritics")
        XCTAssertEqual(resolve(kabupaten: "Lampung Tengah", kecamatan: "Kalirejo", desa: "Srí Wáy Langsep").notes, [])
        XCTAssertEqual(resolve(provinsi: "Lampung", kabupaten: "Lampung Tengah").code, "18.02", "the most detailed level given")
        XCTAssertEqual(resolve(provinsi: "PROVINSI LAMPUNG").code, "18")
        XCTAssertEqual(resolve(provinsi: "DKI Jakarta", kabupaten: "Kota Adm. Jakarta Utara").code, "31.72")
        XCTAssertEqual(resolve(provinsi: "D.I. Yogyakarta").code, "34")
        XCTAssertEqual(resolve(provinsi: "DKI", codes: [.kabupaten: "31.71"]).code, "31.71", "aliases also when checked against a code")
        XCTAssertEqual(resolve(kabupaten: "Kota Administrasi Jakarta Pusat").code, "31.71")
        // Roman numerals: "Lalai I/II" is also "Lalai 1/2"; "II Koto" (a kecamatan) is "2 Koto".
        XCTAssertEqual(resolve(desa: "Lalai 1/2", codes: [.kecamatan: "12.04.20"]).code, "12.04.20.2005")
        XCTAssertEqual(resolve(desa: "Perkebunan Air Batu III / IX", codes: [.kecamatan: "12.09.13"]).code, "12.09.13.2009")
        XCTAssertEqual(resolve(desa: "Regapu'u", codes: [.kecamatan: "53.07.01"]).code, "53.07.01.2021", "apostrophe kinds")
    }

    func testOldSpellings() throws {
        let cilacap = resolve(kabupaten: "Kab. Tjilatjap")
        XCTAssertEqual(cilacap.code, "33.01")
        XCTAssertEqual(cilacap.notes, ["kabupaten 'Kab. Tjilatjap' read as 'Kabupaten Cilacap' (old spelling)"])
        XCTAssertEqual(resolve(kabupaten: "Djombang").code, "35.17")
        XCTAssertEqual(resolve(kabupaten: "Kota Soerabaja").code, "35.78")
        XCTAssertEqual(resolve(provinsi: "Djawa Timoer").code, "35")
        XCTAssertEqual(resolve(provinsi: "Jogjakarta").code, "34")
    }

    func testKotaAndKabupatenOfTheSameName() {
        XCTAssertEqual(resolve(kabupaten: "Kota Bekasi").code, "32.75")
        XCTAssertEqual(resolve(kabupaten: "Kab. Bekasi").code, "32.16")
        XCTAssertEqual(resolve(kabupaten: "Kabupaten Bekasi").code, "32.16")
        XCTAssertEqual(resolve(kabupaten: "KOTA BOGOR").code, "32.71")
        guard case .ambiguous(let candidates, let message, .name(.kabupaten)) = resolve(kabupaten: "Bekasi") else {
            return XCTFail("a bare Bekasi is ambiguous")
        }
        XCTAssertEqual(candidates.map(\.code), ["32.16", "32.75"])
        XCTAssertTrue(message.contains("Kabupaten Bekasi (32.16, in Jawa Barat)") && message.contains("Kota Bekasi (32.75, in Jawa Barat)"), message)
        XCTAssertTrue(message.contains("Kemendagri code"), message)
        // Only a kota Batam exists: "Kab. Batam" is read as it, with a note.
        let batam = resolve(kabupaten: "Kab. Batam")
        XCTAssertEqual(batam.code, "21.71")
        XCTAssertEqual(batam.notes.count, 1)
    }

    func testDesaWithoutKecamatanInsideWithin() throws {
        // Unique in Lampung Tengah.
        XCTAssertEqual(resolve(desa: "Sri Way Langsep", within: "18.02").code, "18.02.01.2001")
        XCTAssertEqual(resolve(desa: "Sri Way Langsep", within: "1802").code, "18.02.01.2001")
        // "Sri Basuki" is in two kecamatan of Lampung Tengah.
        guard case .ambiguous(let candidates, let message, .name(.desa)) = resolve(desa: "Sri Basuki", within: "18.02") else {
            return XCTFail("ambiguous")
        }
        XCTAssertEqual(candidates.count, 2)
        XCTAssertTrue(candidates.allSatisfy { $0.code.hasPrefix("18.02.") && $0.name == "Sri Basuki" })
        XCTAssertTrue(message.contains("write the kecamatan, or the Kemendagri code"), message)
        XCTAssertTrue(message.contains(candidates[0].code) && message.contains(candidates[1].code), message)
        // With its kecamatan it is resolved.
        XCTAssertEqual(resolve(kecamatan: "Kalirejo", desa: "Sri Basuki", within: "18.02").code, "18.02.01.2006")
        // Inside a resolved kabupaten, the same rule.
        XCTAssertEqual(resolve(kabupaten: "Lampung Tengah", desa: "Sri Way Langsep").code, "18.02.01.2001")
        // A desa with nothing to place it in is not looked for across the country.
        guard case .unresolved(let lone, .name(.desa)) = resolve(desa: "Sri Way Langsep") else { return XCTFail("unresolved") }
        XCTAssertTrue(lone.contains("write the kecamatan"), lone)
        // A name outside the pipeline's area.
        guard case .unresolved(let outside, .name(.kabupaten)) = resolve(kabupaten: "Lampung Utara", within: "18.02") else { return XCTFail("outside") }
        XCTAssertTrue(outside.contains("outside this pipeline's area"), outside)
        XCTAssertEqual(resolve(kabupaten: "Lampung Tengah", kecamatan: "Kalirejo", within: "18.02").code, "18.02.01")
        XCTAssertEqual(resolve(provinsi: "Lampung", within: "18.02").code, "18", "only the provinsi is given by the row")
    }

    func testContradictingCodes() {
        guard case .unresolved(let message, .code(.kecamatan)) = resolve(codes: [.kabupaten: "18.02", .kecamatan: "18.03.01"]) else {
            return XCTFail("contradiction")
        }
        XCTAssertTrue(message.contains("18.02") && message.contains("18.03.01") && message.contains("contradict"), message)
        XCTAssertEqual(resolve(codes: [.kabupaten: "1802", .kecamatan: "18.02.01", .desa: "18 02 01 2001"]).code, "18.02.01.2001")
        guard case .unresolved(let wrongLevel, .code(.kecamatan)) = resolve(codes: [.kecamatan: "18.02.01.2001"]) else { return XCTFail() }
        XCTAssertTrue(wrongLevel.contains("shape of a desa code"), wrongLevel)
        guard case .unresolved(let unknown, .code(.desa)) = resolve(codes: [.desa: "18.02.01.2999"]) else { return XCTFail() }
        XCTAssertTrue(unknown.contains("not in the Kepmendagri 300.2.2-2138/2025 list"), unknown)
        guard case .unresolved(let garbage, .code(.desa)) = resolve(codes: [.desa: "18-02-01"]) else { return XCTFail() }
        XCTAssertTrue(garbage.contains("is not a Kemendagri code"), garbage)
        guard case .unresolved(let outside, .code(.kecamatan)) = resolve(codes: [.kecamatan: "18.03.01"], within: "18.02") else { return XCTFail() }
        XCTAssertTrue(outside.contains("outside this pipeline's area"), outside)
        // An old kecamatan code is explained.
        guard case .unresolved(let old, _) = resolve(codes: [.kecamatan: "91.01.01"]) else { return XCTFail() }
        XCTAssertTrue(old.contains("last listed in 2022"), old)
    }

    func testCodeAndNameThatDisagree() {
        guard case .unresolved(let message, .name(.kecamatan)) = resolve(kecamatan: "Padang Ratu", codes: [.kecamatan: "18.02.01"]) else {
            return XCTFail("disagreement")
        }
        XCTAssertTrue(message.contains("Kalirejo") && message.contains("Padang Ratu") && message.contains("18.02.01"), message)
        guard case .unresolved(let above, .name(.kecamatan)) = resolve(kecamatan: "Padang Ratu", codes: [.desa: "18.02.01.2001"]) else {
            return XCTFail("disagreement with a deeper code")
        }
        XCTAssertTrue(above.contains("Kalirejo (18.02.01)"), above)
        // Agreeing names and codes (any writing) are fine.
        XCTAssertEqual(resolve(kabupaten: "Kab Lampung Tengah", kecamatan: "KALIREJO", codes: [.desa: "1802012001"]).code, "18.02.01.2001")
        // A name deeper than the code is looked for inside it.
        XCTAssertEqual(resolve(desa: "Wayakrui", codes: [.kabupaten: "18.02"]).code, "18.02.01.2002")
        // The code decides between regions of the same name.
        XCTAssertEqual(resolve(kabupaten: "Bekasi", codes: [.kabupaten: "32.75"]).code, "32.75")
    }

    func testSimilarSpellingIsReadOnlyWhenOneRegionIsThatClose() throws {
        let r = resolve(kabupaten: "Lampung Tengah", kecamatan: "Kalirejo", desa: "Sri Way Langsap")
        XCTAssertEqual(r.code, "18.02.01.2001")
        XCTAssertEqual(r.notes, ["desa 'Sri Way Langsap' read as 'Sri Way Langsep' (similar spelling)"])
        XCTAssertEqual(resolve(kecamatan: "Kalireja", within: "18.02").notes, ["kecamatan 'Kalireja' read as 'Kalirejo' (similar spelling)"])
        // Short names get no slack.
        XCTAssertEqual(resolve(kecamatan: "Pubiam", within: "18.02").code, "18.02.19", "6 letters: 1 allowed")
        guard case .unresolved = resolve(kecamatan: "Bekra", within: "18.02") else { return XCTFail("5 letters: none allowed") }
        // Two regions equally close: ambiguous, never a guess.
        let catalog = try RegionCatalog.parse(tsv: """
            kode\tnama
            18\tLampung
            18.02\tKabupaten Lampung Tengah
            18.02.01\tKalirejo
            18.02.01.2001\tSukamaju
            18.02.01.2002\tSukamaja
            """)
        let small = RegionResolver(catalog: catalog)
        guard case .ambiguous(let candidates, let message, _) = small.resolve(RegionQuery(desa: "Sukamajo", codes: [.kecamatan: "18.02.01"])) else {
            return XCTFail("two at distance 1")
        }
        XCTAssertEqual(candidates.map(\.code), ["18.02.01.2001", "18.02.01.2002"])
        XCTAssertTrue(message.contains("similar spelling"), message)
        XCTAssertEqual(small.resolve(RegionQuery(desa: "Sukamaju", codes: [.kecamatan: "18.02.01"])).code, "18.02.01.2001", "an exact match wins")
    }

    func testUnknownNamesAndEmptyRows() {
        guard case .unresolved(let message, .name(.desa)) = resolve(kecamatan: "Kalirejo", desa: "Tidak Ada Sama Sekali", within: "18.02") else {
            return XCTFail("unknown")
        }
        XCTAssertTrue(message.contains("'Tidak Ada Sama Sekali'") && message.contains("Kalirejo (18.02.01)"), message)
        guard case .unresolved = resolve(kabupaten: "Atlantis") else { return XCTFail() }
        guard case .unresolved = resolve(kecamatan: "Kalirejo") else { return XCTFail("a kecamatan needs its kabupaten") }
        XCTAssertEqual(resolve(), RegionResolution.none)
        XCTAssertEqual(resolve(kabupaten: "  ", desa: "-", codes: [.desa: " "], within: "18.02"), RegionResolution.none)
        guard case .unresolved(_, .within) = resolve(desa: "X", within: "99.99") else { return XCTFail("bad within") }
    }

    func testBPSCodesAreNotMapped() {
        // BPS 1805 is Lampung Tengah; Kemendagri 18.05 is Tulang Bawang. The resolver reads the
        // code as Kemendagri, so the name disagrees and nothing is guessed.
        guard case .unresolved = resolve(kabupaten: "Lampung Tengah", codes: [.kabupaten: "1805"]) else { return XCTFail() }
        // A 3-digit BPS kecamatan code is not a code at all.
        guard case .unresolved = resolve(codes: [.kecamatan: "1805010"]) else { return XCTFail() }
    }

    func testMemoizationAndThroughput() throws {
        let queries = (0..<50_000).map { i in
            RegionQuery(kecamatan: ["Kalirejo", "Padang Ratu", "KALIREJO"][i % 3], desa: ["Sri Way Langsep", "Wayakrui", "Sri Basuki", "Kalirejo"][i % 4], within: "18.02")
        }
        let fresh = RegionResolver(catalog: try Reference.catalog())
        let start = Date()
        let results = queries.map(fresh.resolve)
        let seconds = Date().timeIntervalSince(start)
        print("resolution with repeated names: \(Int(Double(queries.count) / seconds)) rows/s (\(fresh.computed) computed, \(fresh.memoHits) from memo)")
        XCTAssertEqual(fresh.computed, 12)
        let uncached = RegionResolver(catalog: try Reference.catalog())
        for (q, r) in zip(queries.prefix(24), results) { XCTAssertEqual(uncached.compute(q), r) }
    }
}
