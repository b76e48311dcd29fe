import XCTest
import PaduCore

final class IdentifierTextTests: XCTestCase {
    private enum Kind: Equatable { case text(String), damaged, notAnIdentifier }

    private func kind(_ raw: String, numeric: Bool = false) -> Kind {
        switch IdentifierText.classify(raw, fromNumericCell: numeric) {
        case .text(let s): return .text(s)
        case .damaged: return .damaged
        case .notAnIdentifier: return .notAnIdentifier
        }
    }

    func testClassification() {
        let table: [(String, Bool, Kind)] = [
            ("3578081234567891", false, .text("3578081234567891")),
            ("  3578081234567891 ", false, .text("3578081234567891")),
            ("\u{00A0}3578081234567891\u{00A0}", false, .text("3578081234567891")),
            ("'3578081234567891", false, .text("3578081234567891")),
            (" '1802014107850001", false, .text("1802014107850001")),
            ("3578081234567890", false, .text("3578081234567890")),   // a real NIK may end in 0
            // Numeric cells are damaged whatever they hold.
            ("3578081234567890", true, .damaged),
            ("3578081234567891", true, .damaged),
            ("3.57808E+15", true, .damaged),
            ("", true, .notAnIdentifier),
            // Float damage visible in the text.
            ("3.57808E+15", false, .damaged),
            ("3.57808e+15", false, .damaged),
            ("3,57808E+15", false, .damaged),
            ("3.578081234567890E15", false, .damaged),
            ("3E+15", false, .damaged),
            ("3578081234567890.0", false, .damaged),
            ("3578081234567890.00", false, .damaged),
            ("357808123456789", false, .notAnIdentifier),              // 15 digits, not ending in 0
            ("357808123456780", false, .damaged),                      // 15 digits ending in 0
            ("35780812345678900", false, .damaged),                    // 17 digits ending in 0
            ("35780812345678901", false, .notAnIdentifier),
            // Not identifiers.
            ("", false, .notAnIdentifier),
            ("'", false, .notAnIdentifier),
            ("0000000000000000", false, .notAnIdentifier),
            ("9999999999999999", false, .notAnIdentifier),
            ("1234567890123456", false, .notAnIdentifier),
            ("3578 0812 3456 7891", false, .notAnIdentifier),
            ("35.78.08.1234567891", false, .notAnIdentifier),
            ("3578-0812-3456-7891", false, .notAnIdentifier),
            ("NIK belum ada", false, .notAnIdentifier),
            ("-", false, .notAnIdentifier),
            ("12345", false, .notAnIdentifier),
            ("3578081234567891.5", false, .notAnIdentifier),
            ("E+15", false, .notAnIdentifier),
        ]
        for (raw, numeric, expected) in table {
            XCTAssertEqual(kind(raw, numeric: numeric), expected, "\(raw) numeric=\(numeric)")
        }
    }

    func testReasonsTellTheStewardWhatToDoAndNeverRepeatTheNumber() {
        let cases: [(String, Bool, String)] = [
            ("3578081234567890", true, "numeric cell"),
            ("3.57808E+15", false, "E-notation"),
            ("3578081234567890.0", false, "ends in '.0'"),
            ("357808123456780", false, "15 digits ending in 0"),
            ("3578 0812 3456 7891", false, "contains spaces"),
            ("12345", false, "5 digits; a NIK or No. KK has 16"),
            ("0000000000000000", false, "placeholder (all zeros)"),
        ]
        for (raw, numeric, phrase) in cases {
            let reason: String
            switch IdentifierText.classify(raw, fromNumericCell: numeric) {
            case .text: XCTFail(raw); continue
            case .damaged(let r), .notAnIdentifier(let r): reason = r
            }
            XCTAssertTrue(reason.contains(phrase), "\(raw): \(reason)")
            XCTAssertFalse(reason.contains(raw.filter(\.isNumber).prefix(12)) && raw.count >= 12, "\(raw): \(reason)")
        }
        if case .damaged(let reason) = IdentifierText.classify("3.57808E+15", fromNumericCell: false) {
            XCTAssertTrue(reason.contains("formatted as Text"), reason)
        }
    }
}
