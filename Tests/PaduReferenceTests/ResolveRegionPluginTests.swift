import Foundation
import PaduCore
import PaduReference
import ResolveRegionPlugin
import XCTest

/// The `resolve-region` transform on batches built in code.
final class ResolveRegionPluginTests: XCTestCase {
    private let input = InputRef(id: 7, sha256: "abc", path: "/srv/padu/inbox/lampung-tengah.csv")

    private func stage(_ options: [String: OptionValue] = [:]) throws -> any TransformStage {
        XCTAssertEqual(ResolveRegionTransform.descriptor.problems(with: options), [])
        guard case .transform(let t) = try ResolveRegionTransform.descriptor.make(PluginOptions(options)) else {
            throw ReferenceDataError("resolve-region did not make a transform")
        }
        return t
    }

    /// Rows at lines 2, 3, ... of (nik, kecamatan, desa, kode_desa).
    private func batch(_ rows: [[String?]], fields: [String] = ["nik", "kecamatan", "desa", "kode_desa"]) -> Batch {
        var b = Batch(schema: Schema(fields.map { Field($0, .string) }), input: input, sheet: "Data")
        for (i, r) in rows.enumerated() { b.append(r.map { $0.map(Value.string) ?? .null }, origin: RowOrigin(row: i + 2, byteOffset: Int64(50 * i))) }
        return b
    }

    private var sample: Batch {
        batch([
            ["1802010101900001", "Kalirejo", "Sri Way Langsep", nil],      // 2 resolved by names
            ["1802010101900002", nil, "Sri Basuki", nil],                  // 3 ambiguous in 18.02
            ["1802010101900003", "Kalirejo", "Atlantis", nil],             // 4 unresolved
            ["1802010101900004", nil, nil, nil],                           // 5 none
            ["1802010101900005", nil, nil, "1802012002"],                  // 6 resolved by code
            ["1802010101900006", "Kalirejo", "Sri Way Langsap", nil],      // 7 similar spelling
            ["1802010101900007", "KALIREJO", nil, nil],                    // 8 kecamatan only
        ])
    }

    private func context() -> StageContext {
        StageContext(pipeline: "test", runID: 1, baseDirectory: "/tmp", logger: .silent, store: NullStore())
    }

    func testOnlyACodeTheListReplacedOrRemovedIsACorrection() throws {
        let t = try stage(["within": .string("18.02")])
        var rejections = Rejections()
        let b = batch([
            ["1802010101900001", nil, nil, "1802012002"],        // 2 same code, dotted: notation only
            ["1802010101900002", nil, nil, "18.02.01.2002"],     // 3 already dotted
            ["1802010101900003", nil, nil, "1802019999"],        // 4 not in the list: removed
        ])
        let out = try t.process(b, rejections: &rejections, context: context())
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out.value("kode_desa", at: 0).text, "18.02.01.2002")
        XCTAssertEqual(rejections.corrections.map(\.locator.row), [4], "\(rejections.corrections)")
        XCTAssertEqual(rejections.corrections.first?.rawValue, "1802019999")
        XCTAssertNil(rejections.corrections.first?.newValue)
        XCTAssertTrue(rejections.corrections.first?.detail?.contains("not confirmed") == true)
    }

    func testFlagKeepsEveryRowWithStatusCodesAndNotes() throws {
        let t = try stage(["within": .string("18.02")])
        var rejections = Rejections()
        let out = try t.process(sample, rejections: &rejections, context: context())
        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.count, 7)
        XCTAssertEqual(out.schema.names, ["nik", "kecamatan", "desa", "kode_desa", "kode_provinsi", "kode_kabupaten", "kode_kecamatan",
                                          "region_code", "region_status", "region_notes"])
        XCTAssertEqual(out.origins.map(\.row), [2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(out.origins[1].byteOffset, 50)
        XCTAssertEqual(out.input, input)
        XCTAssertEqual(out.sheet, "Data")
        func column(_ name: String) -> [String] { (0..<out.count).map { out.value(name, at: $0).text ?? "" } }
        XCTAssertEqual(column("region_status"), ["resolved", "ambiguous", "unresolved", "none", "resolved", "resolved", "resolved"])
        XCTAssertEqual(column("region_code"), ["18.02.01.2001", "", "", "", "18.02.01.2002", "18.02.01.2001", "18.02.01"])
        XCTAssertEqual(column("kode_provinsi"), ["18", "", "", "", "18", "18", "18"])
        XCTAssertEqual(column("kode_kabupaten"), ["18.02", "", "", "", "18.02", "18.02", "18.02"])
        XCTAssertEqual(column("kode_kecamatan"), ["18.02.01", "", "", "", "18.02.01", "18.02.01", "18.02.01"])
        XCTAssertEqual(column("kode_desa"), ["18.02.01.2001", "", "", "", "18.02.01.2002", "18.02.01.2001", ""])
        XCTAssertEqual(column("desa"), ["Sri Way Langsep", "Sri Basuki", "Atlantis", "", "", "Sri Way Langsap", ""], "names as written")
        let notes = column("region_notes")
        XCTAssertEqual(notes[0], "")
        XCTAssertTrue(notes[1].contains("write the kecamatan, or the Kemendagri code"), notes[1])
        XCTAssertTrue(notes[2].contains("'Atlantis'"), notes[2])
        XCTAssertEqual(notes[5], "desa 'Sri Way Langsap' read as 'Sri Way Langsep' (similar spelling)")
    }

    func testQuarantineRejectsAmbiguousAndUnresolvedRows() throws {
        let t = try stage(["within": .string("1802"), "onUnresolved": .string("quarantine")])
        var rejections = Rejections()
        let b = sample
        let out = try t.process(b, rejections: &rejections, context: context())
        XCTAssertEqual(out.count + rejections.count, b.count)
        XCTAssertEqual(out.origins.map(\.row), [2, 5, 6, 7, 8])
        XCTAssertEqual(out.value("region_status", at: 1), .string("none"), "rows without region data are never rejected")
        XCTAssertEqual(rejections.items.map(\.reason.code), ["region-ambiguous", "region-unresolved"])
        XCTAssertEqual(rejections.items.map(\.locator.row), [3, 4])
        XCTAssertEqual(rejections.items.map(\.locator.column), ["desa", "desa"])
        XCTAssertEqual(rejections.quarantinedCount, 2)
        let message = rejections.items[0].reason.message
        XCTAssertTrue(message.contains("'Sri Basuki'") && message.contains("18.02.") && message.contains("write the kecamatan, or the Kemendagri code"), message)
        XCTAssertEqual(rejections.items[0].values.first { $0.0 == "desa" }?.1, "Sri Basuki", "the row as read")
    }

    func testColumnsMapCodesAndContradictions() throws {
        let t = try stage(["columns": .map(["desa": .string("kelurahan"), "kode_kecamatan": .string("kd_kec")]), "onUnresolved": .string("quarantine")])
        let b = batch([
            ["Wayakrui", "18.02.01"],
            ["Wayakrui", "18.02.02"],
            ["Kel. Wayakrui", "180201"],
        ], fields: ["kelurahan", "kd_kec"])
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: context())
        XCTAssertEqual(out.count, 2)
        XCTAssertEqual(out.value("kode_desa", at: 0), .string("18.02.01.2002"))
        XCTAssertEqual(out.value("kd_kec", at: 1), .string("180201"), "input fields are left as written")
        XCTAssertEqual(rejections.items.first?.locator.column, "kelurahan")
        XCTAssertEqual(rejections.items.first?.reason.code, "region-unresolved")
    }

    func testOutputFieldsAlreadyInTheSchemaAreReplaced() throws {
        let t = try stage()
        var b = Batch(schema: Schema([Field("kode_desa", .int), Field("region_status", .string)]), input: input)
        b.append([.int(1802012001), .string("old")], origin: RowOrigin(row: 2))
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: context())
        XCTAssertEqual(out.schema.names.prefix(2), ["kode_desa", "region_status"])
        XCTAssertEqual(out.schema.fields[0].type, .string)
        XCTAssertEqual(out.value("kode_desa", at: 0), .string("18.02.01.2001"))
        XCTAssertEqual(out.value("region_status", at: 0), .string("resolved"))
        XCTAssertEqual(Set(out.schema.names).count, out.schema.count, "no field twice")
    }

    func testMemoizationDoesNotChangeResults() throws {
        // The same rows many times, in one batch, and each in a batch of its own with a fresh stage.
        var rows: [[String?]] = []
        for _ in 0..<200 { rows += [["1", "Kalirejo", "Sri Way Langsep", nil], ["2", nil, "Sri Basuki", nil], ["3", "Padang Ratu", nil, nil], ["4", nil, nil, "18.02.03"]] }
        let big = batch(rows)
        var rejections = Rejections()
        let start = Date()
        let out = try stage(["within": .string("18.02")]).process(big, rejections: &rejections, context: context())
        let seconds = Date().timeIntervalSince(start)
        print("resolve-region stage: \(Int(Double(big.count) / seconds)) rows/s on repeated names")
        for (k, row) in rows.prefix(4).enumerated() {
            var none = Rejections()
            let single = try stage(["within": .string("18.02")]).process(batch([row]), rejections: &none, context: context())
            for r in stride(from: k, to: out.count, by: 4) {
                for name in ResolveRegionTransform.outputFields.map(\.name) {
                    XCTAssertEqual(out.value(name, at: r), single.value(name, at: 0), "row \(r) \(name)")
                }
            }
        }
        XCTAssertEqual(out.value("region_status", at: 3), .string("unresolved"), "a kecamatan code in kode_desa")
    }

    func testOptionsAreCheckedBeforeAnyRun() {
        let d = ResolveRegionTransform.descriptor
        XCTAssertEqual(d.name, "resolve-region")
        XCTAssertEqual(d.version, "1.0")
        XCTAssertEqual(d.kind, .transform)
        XCTAssertEqual(d.fieldsRead(PluginOptions([:])), [])
        XCTAssertEqual(d.problems(with: ["within": .string("18.02.01")]), [])
        let bad = d.problems(with: ["within": .string("18.99")])
        XCTAssertEqual(bad.count, 1)
        XCTAssertTrue(bad[0].contains("'18.99' is not a code of the Kepmendagri 300.2.2-2138/2025 list"), bad[0])
        XCTAssertEqual(d.problems(with: ["onUnresolved": .string("skip")]).count, 1)
        let role = d.problems(with: ["columns": .map(["kelurahan": .string("desa")])])
        XCTAssertTrue(role.first?.contains("'kelurahan' is not a role") == true, "\(role)")
    }
}

/// An `IngestStore` that stores nothing.
private final class NullStore: IngestStore {
    func beginRun(_ run: RunStart) throws -> Int64 { 1 }
    func previousLoad(pipeline: String, sha256: String, pipelineVersion: String) throws -> PreviousLoad? { nil }
    func recordInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String,
                     path: String, file: InputFile?, status: InputStatus, message: String) throws {}
    func beginInput(runID: Int64, pipeline: String, pipelineVersion: String, plugin: String, file: InputFile) throws -> InputRef {
        InputRef(id: 1, sha256: file.sha256, path: file.path)
    }
    func storeRejections(_ rejections: [Rejection], input: InputRef, runID: Int64) throws {}
    func commitInput(_ input: InputRef, pipeline: String, counts: RowCounts) throws -> [Int64] { [] }
    func abandonInput(_ input: InputRef, runID: Int64, counts: RowCounts, message: String) throws -> Int64 { input.id }
    func finishRun(_ runID: Int64, status: RunStatus, counts: RowCounts, message: String?) throws {}
}
