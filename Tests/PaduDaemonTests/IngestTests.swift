import Foundation
import XCTest
@testable import PaduDaemon
import PaduCore
import PaduPlugins
import PaduWarehouse

/// A transform that throws once it has seen `after` rows of an input: a crash mid-input.
final class FailAfterStage: TransformStage {
    let after: Int
    var seen = 0
    init(after: Int) { self.after = after }
    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        seen += batch.count
        if seen > after { throw PluginConfigurationError("injected failure after \(after) rows") }
        return batch
    }
}

/// A transform that loses rows without rejecting them (a buggy plugin).
final class LeakyStage: TransformStage {
    func process(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Batch {
        batch.removing(rows: [0])
    }
}

final class IngestTests: XCTestCase {
    var dir: TemporaryFolder!
    var warehouse: Warehouse!
    let registry: PluginRegistry = {
        var r = BuiltinPlugins.registry
        r.register(PluginDescriptor(name: "fail-after", kind: .transform, version: "1", summary: "test",
                                    options: [OptionSpec("rows", .int, required: true, "")], sample: "",
                                    make: { .transform(FailAfterStage(after: $0.int("rows")!)) }))
        r.register(PluginDescriptor(name: "leaky", kind: .transform, version: "1", summary: "test", options: [], sample: "",
                                    make: { _ in .transform(LeakyStage()) }))
        return r
    }()

    override func setUpWithError() throws {
        dir = try TemporaryFolder()
        warehouse = try Warehouse(path: dir.path + "/warehouse.sqlite")
    }

    /// A P3KE-style export of `families` families (3 members each), plus optional extra lines.
    func export(_ name: String, families: Int, firstSerial: Int = 1, extra: [String] = []) throws -> String {
        var lines = ["ID_KELUARGA_P3KE;KODE_DESA;DESA/KELURAHAN;NO_KK;NIK;NAMA;JENIS_KELAMIN;TANGGAL_LAHIR;HUB_KELUARGA;DESIL_KESEJAHTERAAN;PENERIMA_PKH"]
        var serial = firstSerial
        for f in 0..<families {
            let kk = String(format: "180201%010d", 100 + f)
            for (rel, sex, day) in [("KEPALA KELUARGA", "LAKI-LAKI", 12), ("ISTRI", "PEREMPUAN", 55), ("ANAK", "LAKI-LAKI", 3)] {
                let nik = String(format: "180201%02d0685%04d", day, serial)
                lines.append("P3KE\(f);1802012001;SRI WAY LANGSEP;\(kk);\(nik);WARGA \(serial);\(sex);\(String(format: "%02d", day > 40 ? day - 40 : day))/06/1985;\(rel);1;YA")
                serial += 1
            }
        }
        lines += extra
        return try dir.write(name, "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n")
    }

    func spec(_ name: String = "p3ke", transforms: [StageSpec] = [], expectations: [ExpectationSpec] = []) -> PipelineSpec {
        PipelineSpec(name: name, source: StageSpec(plugin: "social-registry", options: ["registry": .string("P3KE"), "batchSize": .int(100)]),
                     transforms: transforms, sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("registry")]),
                     expectations: expectations, file: dir.path + "/pipelines/p3ke.swift")
    }

    func run(_ spec: PipelineSpec, _ inputs: [String], force: Bool = false) throws -> RunResult {
        try PipelineRunner(spec: spec, registry: registry, store: warehouse).run(RunOptions(inputs: inputs, force: force))
    }

    func count(_ sql: String) throws -> Int64 {
        guard case .int(let n)? = try warehouse.database.scalar(sql) else { return -1 }
        return n
    }

    func testCountsAddUpAndEveryRejectedRowHasAReason() throws {
        let file = try export("a.csv", families: 50, extra: [
            ";;;;;;;;;;",                                                                         // blank
            "P3KE;1802012001;X;1802010000000999;;TANPA NIK;LAKI-LAKI;01/01/1980;ANAK;1;YA",          // empty NIK
            "P3KE;1802012001;X;1802010000000999;1802010101809999;TANGGAL;LAKI-LAKI;31/02/1980;ANAK;1;YA", // bad date
            "P3KE;1802012001;X;1802010000000999;1802010101809998;KURANG",                             // wrong field count
        ])
        let result = try run(spec(transforms: [StageSpec(plugin: "require-fields", options: ["fields": .list([.string("nik")])])]), [file])
        XCTAssertEqual(result.status, .succeeded)
        let c = result.counts
        XCTAssertEqual(c.read, 154)
        XCTAssertEqual(c.loaded, 150)
        XCTAssertEqual(c.quarantined, 3)
        XCTAssertEqual(c.skipped, 1)
        XCTAssertTrue(c.isBalanced)
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 150)
        XCTAssertEqual(try count("SELECT count(*) FROM quarantine WHERE disposition = 'quarantined'"), 3)
        XCTAssertEqual(try count("SELECT count(*) FROM quarantine WHERE disposition = 'skipped'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM quarantine WHERE reason = '' OR reason_code = ''"), 0)
        XCTAssertEqual(try count("SELECT rows_read - rows_loaded - rows_quarantined - rows_skipped FROM runs"), 0)
        XCTAssertEqual(try count("SELECT rows_read FROM inputs WHERE status = 'loaded'"), 154)
    }

    func testAFailureMidInputLeavesNothingOfThatInput() throws {
        let good = try export("good.csv", families: 10)
        let bad = try export("bad.csv", families: 200, firstSerial: 5000)  // 600 rows, batches of 100
        let failing = spec(transforms: [StageSpec(plugin: "fail-after", options: ["rows": .int(300)])])
        let result = try run(failing, [good, bad])
        XCTAssertEqual(result.status, .partial)
        XCTAssertEqual(result.inputs.map(\.status), [.loaded, .failed])
        XCTAssertTrue(result.inputs[1].message.contains("injected failure after 300 rows"))
        // Half of bad.csv went through the sink before the failure; none of it remains.
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 30)
        XCTAssertEqual(try count("SELECT count(*) FROM registry_status"), 30)
        XCTAssertEqual(try count("SELECT count(*) FROM person WHERE input_id NOT IN (SELECT id FROM inputs WHERE status = 'loaded')"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM contribution WHERE input_id NOT IN (SELECT id FROM inputs WHERE status = 'loaded')"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM inputs WHERE status = 'failed' AND path LIKE '%bad.csv'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM inputs WHERE status = 'loading'"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM runs WHERE status = 'partial'"), 1)
        // The failed input is not "already loaded": a fixed pipeline loads it.
        let retry = try run(spec(), [bad])
        XCTAssertEqual(retry.inputs.map(\.status), [.loaded])
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 630)
    }

    func testRowsLostByAPluginFailTheInput() throws {
        let file = try export("a.csv", families: 2)
        let result = try run(spec(transforms: [StageSpec(plugin: "leaky")]), [file])
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("unaccounted for"), result.inputs[0].message)
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 0)
    }

    func testIdenticalInputIsSkippedUnlessForced() throws {
        let file = try export("a.csv", families: 5)
        XCTAssertEqual(try run(spec(), [file]).inputs.map(\.status), [.loaded])
        // Same bytes under another name: still the same content.
        let copy = dir.path + "/copy.csv"
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let again = try run(spec(), [file, copy])
        XCTAssertEqual(again.inputs.map(\.status), [.skipped, .skipped])
        XCTAssertTrue(again.inputs[0].message.contains("--force"))
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 15)
        // Another pipeline version (a changed description) loads it again, replacing the old load.
        let changed = try run(spec(expectations: [ExpectationSpec(kind: "minRowsLoaded", value: .int(1))]), [file])
        XCTAssertEqual(changed.inputs.map(\.status), [.loaded])
        XCTAssertEqual(changed.inputs[0].replaced.count, 1)
        let forced = try run(spec(), [file], force: true)
        XCTAssertEqual(forced.inputs.map(\.status), [.loaded])
        XCTAssertEqual(try count("SELECT count(*) FROM inputs WHERE status = 'loaded'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM registry_status"), 15)
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 15)
    }

    func testChangedFileAtTheSamePathReplacesWhatItsPreviousVersionContributed() throws {
        let path = try export("p3ke.csv", families: 10)               // serials 1...30
        XCTAssertEqual(try run(spec(), [path]).inputs.map(\.status), [.loaded])
        // The other registry also knows the first family.
        let dtks = try dir.write("dtks.txt", "NIK|NAMA|NO KK\n1802011206850001|WARGA SATU|1802010000000100\n")
        let dtksSpec = PipelineSpec(name: "dtks", source: StageSpec(plugin: "social-registry", options: ["registry": .string("DTKS")]),
                                    sink: StageSpec(plugin: "warehouse", options: ["dataset": .string("registry")]), file: dir.path + "/x.swift")
        XCTAssertEqual(try run(dtksSpec, [dtks]).status, .succeeded)
        // A corrected export: families 0...4 only, and a new one.
        let corrected = try export("p3ke.csv", families: 5, extra: [
            "P3KE9;1802012001;SRI WAY LANGSEP;1802010000009999;1802010101809999;WARGA BARU;LAKI-LAKI;01/01/1980;KEPALA KELUARGA;2;TIDAK",
        ])
        let result = try run(spec(), [corrected])
        XCTAssertEqual(result.inputs.map(\.status), [.loaded])
        XCTAssertEqual(result.inputs[0].replaced.count, 1)
        XCTAssertEqual(try count("SELECT count(*) FROM inputs WHERE status = 'replaced'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM registry_status WHERE registry = 'P3KE'"), 16)
        // People only the old version had are gone; the DTKS person stays; the new one is there.
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 16)
        XCTAssertEqual(try count("SELECT count(*) FROM person WHERE nik = '1802010101809999'"), 1)
        XCTAssertEqual(try count("SELECT count(*) FROM contribution WHERE row_key = '1802011206850001' AND table_name = 'person'"), 2)
        XCTAssertEqual(try count("SELECT count(*) FROM household"), 6)
        XCTAssertEqual(try count("SELECT count(*) FROM person WHERE input_id IN (SELECT id FROM inputs WHERE status = 'replaced')"), 0)
    }

    func testExpectationFailureRollsTheInputBack() throws {
        let file = try export("a.csv", families: 3, extra: ["P3KE;1802012001;X;1802010000000999;;TANPA NIK;L;01/01/1980;ANAK;1;YA"])
        let strict = spec(transforms: [StageSpec(plugin: "require-fields", options: ["fields": .list([.string("nik")])])],
                          expectations: [ExpectationSpec(kind: "maxQuarantineRate", value: .double(0.05))])
        let result = try run(strict, [file])
        XCTAssertEqual(result.status, .failed)
        XCTAssertTrue(result.inputs[0].message.contains("maxQuarantineRate"), result.inputs[0].message)
        // The quarantine rows went with the rollback: the message keeps the reasons.
        XCTAssertTrue(result.inputs[0].message.contains("missing-field 1× (e.g. row 11: nik is empty"), result.inputs[0].message)
        XCTAssertEqual(try count("SELECT count(*) FROM person"), 0)
        XCTAssertEqual(try count("SELECT count(*) FROM quarantine"), 0)
    }

    func testTheSameFileNamedTwoWaysIsOneInput() throws {
        let file = try export("a.csv", families: 2)
        try FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: true)
        XCTAssertEqual(try run(spec(), [dir.path + "/./a.csv"]).inputs.map(\.path), [file])
        let again = try run(spec(), [dir.path + "/sub/../a.csv", file])
        XCTAssertEqual(again.inputs.map(\.status), [.skipped, .skipped])
        XCTAssertEqual(again.inputs.map(\.path), [file, file])
        XCTAssertEqual(try count("SELECT count(DISTINCT path) FROM inputs"), 1)
    }

    func testMissingInputFailsThatInputOnly() throws {
        let file = try export("a.csv", families: 1)
        let result = try run(spec(), [dir.path + "/missing.csv", file])
        XCTAssertEqual(result.inputs.map(\.status), [.failed, .loaded])
        XCTAssertTrue(result.inputs[0].message.contains("missing.csv"))
        XCTAssertEqual(result.status, .partial)
    }

    func testMessagesNeverCarryAWholeNIK() throws {
        let file = try export("a.csv", families: 1, extra: [
            "P3KE;1802012001;X;18020100000009991;1802012001850001;DUP;LAKI-LAKI;01/01/1985;ANAK;1;YA",
        ])
        _ = try run(spec(), [file])
        var reasons: [String] = []
        try warehouse.database.query("SELECT reason FROM quarantine") { reasons.append($0.text(0) ?? "") }
        XCTAssertFalse(reasons.isEmpty)
        for r in reasons { XCTAssertNil(r.range(of: "[0-9]{15,}", options: .regularExpression), r) }
    }
}
