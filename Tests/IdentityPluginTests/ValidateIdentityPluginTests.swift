import Foundation
import PaduCore
import PaduReference
import ValidateIdentityPlugin
import XCTest

/// The `validate-nik` and `validate-kk` transforms on batches shaped like a P3KE export.
final class ValidateIdentityPluginTests: XCTestCase {
    private let input = InputRef(id: 7, sha256: "def", path: "/srv/padu/inbox/p3ke-lampung-tengah.xlsx")
    private let schema = Schema([
        Field("nik", .string), Field("nama", .string), Field("jenis_kelamin", .string),
        Field("tanggal_lahir", .date), Field("region_code", .string),
    ])
    private var nikDescriptor: PluginDescriptor {
        ValidateNIKTransform.descriptor(directory: { SmallDirectory() }, today: { testToday })
    }
    private var kkDescriptor: PluginDescriptor {
        ValidateKKTransform.descriptor(directory: { SmallDirectory() }, today: { testToday })
    }

    /// Rows at lines 2, 3, ...: (nik, nama, jenis_kelamin, tanggal_lahir, region_code).
    private func batch(_ rows: [[Value]], schema: Schema? = nil) -> Batch {
        var b = Batch(schema: schema ?? self.schema, input: input, sheet: "Sheet1")
        for (i, r) in rows.enumerated() { b.append(r, origin: RowOrigin(row: i + 2)) }
        return b
    }

    private func row(_ nik: Value, _ sex: String, _ born: CivilDate?, region: String = "18.02.01.2001") -> [Value] {
        [nik, .string("WARGA"), .string(sex), born.map { .date($0) } ?? .null, .string(region)]
    }

    private var sample: Batch {
        batch([
            row(.string("1802011504850001"), "L", date(1985, 4, 15)),                         // 2 valid
            row(.string("'1802015504850002"), "P", date(1985, 4, 15)),                        // 3 valid, Excel's ' dropped
            row(.string("1802013102850003"), "L", date(1985, 2, 28)),                         // 4 31 Feb: bad date
            row(.string("1.80201E+15"), "L", date(1985, 4, 15)),                              // 5 damaged
            row(.null, "L", date(1985, 4, 15)),                                               // 6 missing
            row(.string("  "), "P", nil),                                                     // 7 missing
            row(.string("9101011504850004"), "L", date(1985, 4, 15)),                         // 8 historical: noted
            row(.string("1802011504850005"), "P", date(1985, 4, 15)),                         // 9 sex mismatch: noted
            row(.string("0000000000000000"), "L", nil),                                       // 10 placeholder
            row(.string("1802011504850006"), "L", date(1985, 4, 15), region: "18.71.01.1001"), // 11 elsewhere: noted
        ])
    }

    private func strings(_ b: Batch, _ field: String) -> [String?] { (0..<b.count).map { b.value(field, at: $0).text } }

    func testDescriptors() {
        let n = nikDescriptor
        XCTAssertEqual(n.name, "validate-nik")
        XCTAssertEqual(n.kind, .transform)
        XCTAssertEqual(n.version, "1.0")
        XCTAssertEqual(n.options.map(\.name), ["field", "onInvalid", "mismatch", "sexField", "birthDateField", "domicileField"])
        XCTAssertEqual(n.fieldsRead(PluginOptions([:])), ["nik"])
        XCTAssertEqual(n.fieldsRead(PluginOptions(["field": .string("NIK_ART"), "sexField": .string("jk")])), ["NIK_ART", "jk"])
        XCTAssertEqual(n.problems(with: ["onInvalid": .string("drop")]).count, 1)
        XCTAssertEqual(n.problems(with: ["mismatch": .string("invalid"), "onInvalid": .string("flag")]), [])
        XCTAssertThrowsError(try n.validate(PluginOptions(["field": .string(" ")])))

        let k = kkDescriptor
        XCTAssertEqual(k.name, "validate-kk")
        XCTAssertEqual(k.options.map(\.name), ["field", "onInvalid", "domicileField"])
        XCTAssertEqual(k.fieldsRead(PluginOptions([:])), ["no_kk"])
        XCTAssertEqual(k.problems(with: ["mismatch": .string("note")]).count, 1, "mismatch is a NIK option")
    }

    func testAFailingDirectoryFailsMakingTheStage() {
        struct Unreadable: Error {}
        let d = ValidateNIKTransform.descriptor(directory: { throw Unreadable() }, today: { testToday })
        XCTAssertThrowsError(try d.make(PluginOptions([:])))
    }

    func testQuarantinePolicy() throws {
        let t = try transform(nikDescriptor)
        let b = sample
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: testContext())

        XCTAssertEqual(out.count + rejections.count, b.count, "every row is passed on or rejected")
        XCTAssertEqual(out.origins.map(\.row), [2, 3, 6, 7, 8, 9, 11])
        XCTAssertEqual(out.schema.names, schema.names + ["nik_status", "nik_notes"])
        XCTAssertEqual(out.input, b.input)
        XCTAssertEqual(out.sheet, "Sheet1")
        XCTAssertEqual(strings(out, "nik_status"), ["valid", "valid", "missing", "missing", "noted", "noted", "noted"])
        XCTAssertEqual(strings(out, "nik"), ["1802011504850001", "1802015504850002", nil, "  ", "9101011504850004", "1802011504850005", "1802011504850006"])
        XCTAssertEqual(out.value("nik_notes", at: 0), .string(""))
        XCTAssertTrue(out.value("nik_notes", at: 4).text!.hasPrefix("nik-region-historical: NIK 9101********0004: prefix 91.01.01 was kecamatan Merauke"))
        XCTAssertTrue(out.value("nik_notes", at: 5).text!.hasPrefix("nik-sex-mismatch: "))
        XCTAssertTrue(out.value("nik_notes", at: 6).text!.hasPrefix("nik-registered-elsewhere: "))

        XCTAssertEqual(rejections.quarantinedCount, 3)
        XCTAssertEqual(rejections.items.map(\.locator.row), [4, 5, 10])
        XCTAssertEqual(rejections.items.map(\.reason.code), ["nik-bad-date", "nik-damaged", "nik-placeholder"])
        XCTAssertTrue(rejections.items.allSatisfy { $0.locator.column == "nik" && $0.disposition == .quarantined })
        XCTAssertTrue(rejections.items[0].reason.message.contains("nik-bad-date: NIK 1802********0003"))
        XCTAssertEqual(rejections.items[1].values.first { $0.0 == "nik" }?.1, "1.80201E+15", "values as read")
        XCTAssertNil(rejections.items[1].values.first { $0.0 == "nik_status" })
        assertMasked(rejections.items.map(\.reason.message) + strings(out, "nik_notes").compactMap { $0 })
    }

    func testQuarantineMessageListsEveryIssue() throws {
        let t = try transform(nikDescriptor)
        var rejections = Rejections()
        _ = try t.process(batch([row(.string("1899013102850000"), "P", nil)]), rejections: &rejections, context: testContext())
        XCTAssertEqual(rejections.items.map(\.reason.code), ["nik-region-unknown"])
        let message = rejections.items[0].reason.message
        for code in ["nik-region-unknown", "nik-bad-date", "nik-serial-0000"] { XCTAssertTrue(message.contains(code), message) }
        assertMasked([message])
    }

    func testFlagPolicyEmptiesTheIdentifier() throws {
        let t = try transform(nikDescriptor, ["onInvalid": .string("flag")])
        let b = sample
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: testContext())

        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.count, b.count)
        XCTAssertEqual(out.schema.names, schema.names + ["nik_status", "nik_notes", "nik_raw"])
        XCTAssertEqual(strings(out, "nik_status"),
                       ["valid", "valid", "invalid", "invalid", "missing", "missing", "noted", "noted", "invalid", "noted"])
        XCTAssertEqual(strings(out, "nik"),
                       ["1802011504850001", "1802015504850002", nil, nil, nil, "  ", "9101011504850004", "1802011504850005", nil, "1802011504850006"])
        XCTAssertEqual(strings(out, "nik_raw"),
                       [nil, nil, "1802013102850003", "1.80201E+15", nil, nil, nil, nil, "0000000000000000", nil])
        XCTAssertTrue(out.value("nik_notes", at: 3).text!.hasPrefix("nik-damaged: "))
        XCTAssertEqual(out.value("nama", at: 3), .string("WARGA"))
    }

    func testKeepPolicyLeavesTheIdentifier() throws {
        let t = try transform(nikDescriptor, ["onInvalid": .string("keep")])
        let b = sample
        var rejections = Rejections()
        let out = try t.process(b, rejections: &rejections, context: testContext())
        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.count, b.count)
        XCTAssertEqual(out.schema.names, schema.names + ["nik_status", "nik_notes"])
        XCTAssertEqual(out.value("nik", at: 2), .string("1802013102850003"))
        XCTAssertEqual(out.value("nik", at: 3), .string("1.80201E+15"))
        XCTAssertEqual(out.value("nik_status", at: 3), .string("invalid"))
        XCTAssertEqual(strings(out, "nik_status").filter { $0 == "invalid" }.count, 3)
    }

    func testStrictMismatchQuarantines() throws {
        let t = try transform(nikDescriptor, ["mismatch": .string("invalid")])
        var rejections = Rejections()
        let b = batch([
            row(.string("1802011504850005"), "P", date(1985, 4, 15)),   // sex
            row(.string("1802011504850006"), "L", date(1985, 4, 16)),   // birth date
            row(.string("1802011504850007"), "L", date(1985, 4, 15), region: "17.07.01.2001"), // elsewhere: still only a note
        ])
        let out = try t.process(b, rejections: &rejections, context: testContext())
        XCTAssertEqual(rejections.items.map(\.reason.code), ["nik-sex-mismatch", "nik-birthdate-mismatch"])
        XCTAssertEqual(out.origins.map(\.row), [4])
        XCTAssertEqual(out.value("nik_status", at: 0), .string("noted"))
    }

    func testOptionalColumnsAreUsedOnlyWhenPresent() throws {
        let bare = Schema([Field("NIK_ART", .string), Field("kode_kecamatan", .string)])
        let t = try transform(nikDescriptor, ["field": .string("NIK_ART")])
        var rejections = Rejections()
        let out = try t.process(batch([[.string("1802011504850001"), .string("18.71.01")]], schema: bare),
                                rejections: &rejections, context: testContext())
        XCTAssertEqual(out.schema.names, ["NIK_ART", "kode_kecamatan", "nik_status", "nik_notes"])
        XCTAssertEqual(out.value("nik_status", at: 0), .string("noted"), "kode_kecamatan is the fallback domicile")
        XCTAssertTrue(out.value("nik_notes", at: 0).text!.hasPrefix("nik-registered-elsewhere"))

        // An explicitly named field must exist; the identifier field too.
        let named = try transform(nikDescriptor, ["field": .string("NIK_ART"), "sexField": .string("jk")])
        XCTAssertThrowsError(try named.process(batch([[.string("1802011504850001"), .null]], schema: bare),
                                               rejections: &rejections, context: testContext())) { error in
            XCTAssertTrue("\(error)".contains("sexField names 'jk'"), "\(error)")
        }
        XCTAssertThrowsError(try transform(nikDescriptor).process(batch([[.null, .null]], schema: bare),
                                                                  rejections: &rejections, context: testContext()))
    }

    func testRunningTwiceOverwritesTheAddedFields() throws {
        let t = try transform(nikDescriptor, ["onInvalid": .string("flag")])
        var rejections = Rejections()
        let once = try t.process(sample, rejections: &rejections, context: testContext())
        let twice = try t.process(once, rejections: &rejections, context: testContext())
        XCTAssertEqual(twice.schema.names, once.schema.names)
    }

    func testValidateKK() throws {
        let kkSchema = Schema([Field("no_kk", .string), Field("kode_desa", .string)])
        let t = try transform(kkDescriptor, ["onInvalid": .string("flag")])
        var rejections = Rejections()
        let out = try t.process(batch([
            [.string("1802012003100001"), .string("18.02.01.2001")],   // valid
            [.string("1802013102100002"), .string("18.02.01.2001")],   // 31 Feb
            [.string("1802012003100003"), .string("18.71.01.1001")],   // elsewhere
            [.string(""), .string("18.02.01.2001")],                   // missing
            [.double(1.802012003100001e15), .string("18.02.01.2001")], // a number: damaged
        ], schema: kkSchema), rejections: &rejections, context: testContext())
        XCTAssertTrue(rejections.isEmpty)
        XCTAssertEqual(out.schema.names, ["no_kk", "kode_desa", "kk_status", "kk_notes", "kk_raw"])
        XCTAssertEqual(strings(out, "kk_status"), ["valid", "invalid", "noted", "missing", "invalid"])
        XCTAssertTrue(out.value("kk_notes", at: 1).text!.hasPrefix("kk-bad-date: No. KK 1802********0002"))
        XCTAssertTrue(out.value("kk_notes", at: 4).text!.hasPrefix("kk-damaged: "))
        XCTAssertEqual(out.value("no_kk", at: 4), .null)
        XCTAssertEqual(out.value("kk_raw", at: 4), .double(1.802012003100001e15))

        let quarantining = try transform(kkDescriptor)
        var q = Rejections()
        _ = try quarantining.process(batch([[.string("1802013102100002"), .null]], schema: kkSchema), rejections: &q, context: testContext())
        XCTAssertEqual(q.items.map(\.reason.code), ["kk-bad-date"])
        XCTAssertEqual(q.items.map(\.locator.column), ["no_kk"])
        assertMasked(q.items.map(\.reason.message) + strings(out, "kk_notes").compactMap { $0 })
    }
}
