import Foundation
import PaduCore
import PaduWarehouse
import RequireFieldsPlugin
import XCTest

/// The `require-fields` transform, on batches built in code and in a full run.
final class RequireFieldsTests: XCTestCase {
    private let schema = Schema([Field("nik", .string), Field("nama", .string), Field("no_kk", .string), Field("desil", .int), Field("pkh", .bool)])
    private let input = InputRef(id: 3, sha256: "abc", path: "/srv/padu/inbox/p3ke.csv")

    private func stage(_ fields: [String], onMissing: String? = nil) throws -> any TransformStage {
        var options: [String: OptionValue] = ["fields": .list(fields.map { .string($0) })]
        if let onMissing { options["onMissing"] = .string(onMissing) }
        XCTAssertEqual(RequireFieldsTransform.descriptor.problems(with: options), [])
        guard case .transform(let t) = try RequireFieldsTransform.descriptor.make(PluginOptions(options)) else {
            throw WrongStageKind(message: "require-fields did not make a transform")
        }
        return t
    }

    /// Rows at lines 2, 3, ...: (nik, nama, no_kk, desil, pkh).
    private func batch(_ rows: [[Value]]) -> Batch {
        var b = Batch(schema: schema, input: input)
        for (i, r) in rows.enumerated() { b.append(r, origin: RowOrigin(row: i + 2, byteOffset: Int64(100 * (i + 1)))) }
        return b
    }

    private var sample: Batch {
        batch([
            [.string("1802011204800001"), .string("SUPARMAN"), .string("1802012003100001"), .int(1), .bool(true)],   // 2 ok
            [.string("1802014506850001"), .string(""), .string("1802012003100001"), .int(1), .bool(true)],           // 3 nama empty
            [.string("1802010109120002"), .string("   "), .string("1802012003100001"), .int(1), .bool(true)],        // 4 nama blank
            [.string("1802016703150001"), .null, .string("1802012003100001"), .int(1), .bool(true)],                 // 5 nama null
            [.string("1802012208720003"), .string("WAYAN"), .string("\u{00A0}\t"), .int(2), .bool(false)],           // 6 no_kk nbsp+tab
            [.null, .null, .null, .null, .null],                                                                      // 7 everything null
            [.string("1802015311750002"), .string("NI KETUT SARI"), .string("1802011506090003"), .int(0), .bool(false)], // 8 ok: 0 and false are values
            [.string("1802014101900004"), .string("-"), .string("1802010302110004"), .null, .null],                  // 9 ok: '-' is text here, desil not required
        ])
    }

    func testRowsWithAnEmptyRequiredFieldAreQuarantined() throws {
        let t = try stage(["nik", "nama", "no_kk"])
        let b = sample
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: stageContext())

        XCTAssertEqual(out.count + rejections.count, b.count, "every row is passed on or rejected")
        XCTAssertEqual(out.origins.map(\.row), [2, 8, 9])
        XCTAssertEqual(out.value("nama", at: 1), .string("NI KETUT SARI"))
        XCTAssertEqual(out.value("desil", at: 1), .int(0))
        XCTAssertEqual(out.schema, b.schema)
        XCTAssertEqual(out.input, b.input)

        XCTAssertEqual(rejections.items.map(\.locator.row), [3, 4, 5, 6, 7])
        XCTAssertEqual(rejections.rows, [1, 2, 3, 4, 5])
        XCTAssertEqual(rejections.quarantinedCount, 5)
        XCTAssertEqual(rejections.skippedCount, 0)
        XCTAssertTrue(rejections.items.allSatisfy { $0.disposition == .quarantined && $0.reason.code == "missing-field" })
        XCTAssertEqual(rejections.items.map(\.locator.column), ["nama", "nama", "nama", "no_kk", "nik"],
                       "the first missing required field, in the order the option lists them")
        XCTAssertTrue(rejections.items[0].reason.message.contains("nama is empty"), rejections.items[0].reason.message)
        XCTAssertEqual(rejections.items[0].locator.byteOffset, 200)
        XCTAssertEqual(rejections.items[0].locator.input, input)
        // The rejected row's values travel with it, by field name.
        XCTAssertEqual(rejections.items[0].values.map(\.0), schema.names)
        XCTAssertEqual(rejections.items[0].values.first?.1, "1802014506850001")
        XCTAssertEqual(rejections.items[4].values.map(\.1), ["", "", "", "", ""], "null values are empty text")
    }

    func testSkipPolicySkipsInsteadOfQuarantining() throws {
        let t = try stage(["nama"], onMissing: "skip")
        var rejections = Rejections()
        let out = try t.process(sample, rejections: &rejections, context: stageContext())
        XCTAssertEqual(out.origins.map(\.row), [2, 6, 8, 9])
        XCTAssertEqual(rejections.items.map(\.locator.row), [3, 4, 5, 7])
        XCTAssertEqual(rejections.skippedCount, 4)
        XCTAssertEqual(rejections.quarantinedCount, 0)
        XCTAssertTrue(rejections.items.allSatisfy { $0.disposition == .skipped && $0.reason.code == "missing-field" })
        XCTAssertEqual(out.count + rejections.count, sample.count)
    }

    func testQuarantineIsTheDefaultPolicy() throws {
        let t = try stage(["nik"])
        var rejections = Rejections()
        let out = try t.process(sample, rejections: &rejections, context: stageContext())
        XCTAssertEqual(out.count, 7)
        XCTAssertEqual(rejections.items.map(\.disposition), [.quarantined])
        XCTAssertEqual(rejections.items.map(\.locator.row), [7])
    }

    func testNonTextFieldsAreRequiredToo() throws {
        let t = try stage(["desil", "pkh"])
        var rejections = Rejections()
        let out = try t.process(sample, rejections: &rejections, context: stageContext())
        XCTAssertEqual(rejections.items.map(\.locator.row), [7, 9])
        XCTAssertEqual(rejections.items.map(\.locator.column), ["desil", "desil"])
        XCTAssertEqual(out.origins.map(\.row), [2, 3, 4, 5, 6, 8])
    }

    func testBatchWithoutRejectionsPassesUnchanged() throws {
        let t = try stage(["nik", "nama"])
        let b = batch([[.string("1802011204800001"), .string("SUPARMAN"), .null, .null, .null]])
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: stageContext())
        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(out.value("nama", at: 0), .string("SUPARMAN"))
    }

    func testFieldTheRowsDoNotHaveIsAnError() throws {
        let t = try stage(["nik", "nomor_kk"])
        var rejections = Rejections()
        XCTAssertThrowsError(try t.process(sample, rejections: &rejections, context: stageContext())) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("no field 'nomor_kk'"), message)
            XCTAssertTrue(message.contains("nik, nama, no_kk, desil, pkh"), message)
        }
    }

    func testOptionProblems() {
        let d = RequireFieldsTransform.descriptor
        XCTAssertEqual(d.kind, .transform)
        XCTAssertTrue(d.problems(with: [:]).joined().contains("needs option 'fields'"))
        XCTAssertTrue(d.problems(with: ["fields": .list([])]).joined().contains("fields must name at least one field"))
        XCTAssertTrue(d.problems(with: ["fields": .string("nik")]).joined().contains("expected [String]"))
        XCTAssertTrue(d.problems(with: ["fields": .list([.int(1)])]).joined().contains("expected a list of strings"))
        XCTAssertTrue(d.problems(with: ["fields": .list([.string("nik")]), "onMissing": .string("drop")]).joined()
            .contains("\"drop\" is not one of"))
        XCTAssertTrue(d.problems(with: ["fields": .list([.string("nik")]), "policy": .string("skip")]).joined()
            .contains("has no option 'policy'"))
        XCTAssertEqual(d.problems(with: ["fields": .list([.string("nik")]), "onMissing": .string("skip")]), [])
    }

    // MARK: - In a run

    func testInARunTheCountsAddUp() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let warehouse = try Warehouse(path: folder.path("w.sqlite"))
        let spec = registryPipeline(name: "p3ke-require", registry: "P3KE", transforms: [requireFields(["nik", "nama", "no_kk"])])
        let result = try runPipeline(spec, inputs: [Fixtures.path("p3ke-missing-fields.csv")], into: warehouse)
        XCTAssertEqual(result.status, .succeeded, result.message ?? "")
        assertBalanced(result)
        XCTAssertEqual(result.counts, RowCounts(read: 6, loaded: 2, quarantined: 4, skipped: 0))
        XCTAssertEqual(try warehouse.count("SELECT count(*) FROM person"), 2)
        XCTAssertEqual(try warehouse.rows("SELECT row_number, stage, disposition, column_name, reason_code FROM quarantine ORDER BY row_number"), [
            [.int(3), .text("require-fields"), .text("quarantined"), .text("nama"), .text("missing-field")],
            [.int(4), .text("require-fields"), .text("quarantined"), .text("no_kk"), .text("missing-field")],
            [.int(5), .text("require-fields"), .text("quarantined"), .text("no_kk"), .text("missing-field")],
            [.int(6), .text("require-fields"), .text("quarantined"), .text("nik"), .text("missing-field")],
        ])
    }

    func testInARunSkippedRowsAreCountedAsSkipped() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let warehouse = try Warehouse(path: folder.path("w.sqlite"))
        let spec = registryPipeline(name: "p3ke-require", registry: "P3KE", transforms: [requireFields(["no_kk"], onMissing: "skip")])
        let result = try runPipeline(spec, inputs: [Fixtures.path("p3ke-missing-fields.csv")], into: warehouse)
        assertBalanced(result)
        // Two rows lack a KK (skipped here); the empty NIK is caught by the sink (bad-nik); the empty name loads.
        XCTAssertEqual(result.counts, RowCounts(read: 6, loaded: 3, quarantined: 1, skipped: 2))
        XCTAssertEqual(try warehouse.rows("SELECT row_number, stage, disposition, reason_code FROM quarantine ORDER BY row_number"), [
            [.int(4), .text("require-fields"), .text("skipped"), .text("missing-field")],
            [.int(5), .text("require-fields"), .text("skipped"), .text("missing-field")],
            [.int(6), .text("warehouse"), .text("quarantined"), .text("bad-nik")],
        ])
        XCTAssertEqual(try warehouse.rows("SELECT rows_read, rows_loaded, rows_quarantined, rows_skipped FROM inputs"),
                       [[.int(6), .int(3), .int(1), .int(2)]])
    }
}
