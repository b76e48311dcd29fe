import Foundation
import XCTest
import PaduWarehouse

/// The thin SQLite wrapper: statements, bindings, errors, transactions.
final class SQLiteTests: XCTestCase {
    private var directory: URL!
    private var db: SQLiteDatabase!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("padu-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try SQLiteDatabase(path: directory.appendingPathComponent("test.sqlite").path)
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, n TEXT, k TEXT UNIQUE)")
    }

    override func tearDownWithError() throws {
        db = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        var out: [[SQLValue]] = []
        try db.query(sql, values) { row in out.append((0..<row.count).map { row[$0] }) }
        return out
    }

    // MARK: - Round trip

    func testBindAndReadBackIntDoubleTextNull() throws {
        let values: [[SQLValue]] = [
            [.int(42), .double(1.5), .text("Sri Way Langsep"), .null],
            [.int(Int64.max), .double(-0.25), .text(""), .null],
            [.int(Int64.min), .double(1e300), .text("Désa “Wayakrui” – ñ 🇮🇩"), .null],
            [.int(0), .double(0), .text("'1802014506850001"), .null],
        ]
        for v in values {
            try db.run("INSERT INTO t(i, d, s, n) VALUES (?, ?, ?, ?)", v)
        }
        let back = try rows("SELECT i, d, s, n FROM t ORDER BY id")
        XCTAssertEqual(back, values)
    }

    func testEmptyTextIsNotNull() throws {
        try db.run("INSERT INTO t(s, n) VALUES (?, ?)", [.text(""), .null])
        XCTAssertEqual(try db.scalar("SELECT s IS NULL FROM t"), .int(0))
        XCTAssertEqual(try db.scalar("SELECT n IS NULL FROM t"), .int(1))
    }

    func testSQLValueConvenienceInitialisers() {
        XCTAssertEqual(SQLValue(String?.none), .null)
        XCTAssertEqual(SQLValue("x"), .text("x"))
        XCTAssertEqual(SQLValue(Int?.some(3)), .int(3))
        XCTAssertEqual(SQLValue(Int64?.none), .null)
        XCTAssertEqual(SQLValue(Bool?.some(true)), .int(1))
        XCTAssertEqual(SQLValue(Bool?.some(false)), .int(0))
        XCTAssertEqual(SQLValue(Bool?.none), .null)
    }

    func testTypedAccessorsOfRow() throws {
        try db.run("INSERT INTO t(i, d, s, n) VALUES (?, ?, ?, ?)", [.int(7), .double(2.5), .text("x"), .null])
        var seen = false
        try db.query("SELECT i, d, s, n FROM t") { row in
            seen = true
            XCTAssertEqual(row.count, 4)
            XCTAssertEqual(row.int(0), 7)
            XCTAssertEqual(row.double(1), 2.5)
            XCTAssertEqual(row.text(2), "x")
            XCTAssertNil(row.text(3))
            XCTAssertNil(row.int(3))
            XCTAssertNil(row.double(3))
            XCTAssertEqual(row.name(0), "i")
            XCTAssertEqual(row.name(2), "s")
        }
        XCTAssertTrue(seen)
    }

    func testPreparedStatementIsReusedWithNewBindings() throws {
        let insert = try db.statement("INSERT INTO t(i, s) VALUES (?, ?)")
        XCTAssertTrue(insert === (try db.statement("INSERT INTO t(i, s) VALUES (?, ?)")), "the statement cache returns the same statement")
        for n in 1...5 { try insert.run([.int(Int64(n)), .text("row \(n)")]) }
        // A reused statement forgets earlier bindings: a missing parameter is NULL, not the old value.
        try insert.run([.int(6)])
        XCTAssertEqual(try rows("SELECT i, s FROM t ORDER BY id").last, [.int(6), .null])

        let select = try db.statement("SELECT s FROM t WHERE i = ?")
        var found: [String] = []
        try select.query([.int(3)]) { found.append($0.text(0) ?? "") }
        try select.query([.int(5)]) { found.append($0.text(0) ?? "") }
        XCTAssertEqual(found, ["row 3", "row 5"])
    }

    func testRunReturnsChangesAndLastInsertRowID() throws {
        try db.run("INSERT INTO t(i) VALUES (1), (2), (3)")
        XCTAssertEqual(db.lastInsertRowID, 3)
        let changed = try db.run("UPDATE t SET s = 'x' WHERE i >= ?", [.int(2)])
        XCTAssertEqual(changed, 2)
        XCTAssertEqual(db.changes, 2)
    }

    func testScalarIsNilWithoutRows() throws {
        XCTAssertNil(try db.scalar("SELECT i FROM t"))
        try db.run("INSERT INTO t(i) VALUES (5), (6)")
        XCTAssertEqual(try db.scalar("SELECT i FROM t ORDER BY i"), .int(5), "the first row's first column")
    }

    // MARK: - Errors

    func testPrepareErrorCarriesCodeMessageAndSQL() throws {
        let sql = "SELEKT * FROM t"
        XCTAssertThrowsError(try db.run(sql)) { error in
            guard let e = error as? SQLiteError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, 1)  // SQLITE_ERROR
            XCTAssertTrue(e.message.contains("syntax error"), e.message)
            XCTAssertEqual(e.sql, sql)
            XCTAssertTrue(e.description.contains("SQLite error 1"), e.description)
            XCTAssertTrue(e.description.contains(sql), e.description)
            XCTAssertFalse(e.isBusy)
        }
        XCTAssertThrowsError(try db.query("SELECT * FROM nowhere") { _ in }) { error in
            let e = error as? SQLiteError
            XCTAssertEqual(e?.code, 1)
            XCTAssertEqual(e?.message, "no such table: nowhere")
            XCTAssertEqual(e?.sql, "SELECT * FROM nowhere")
        }
    }

    func testStepErrorCarriesExtendedCodeMessageAndSQL() throws {
        let sql = "INSERT INTO t(k) VALUES (?)"
        try db.run(sql, [.text("a")])
        XCTAssertThrowsError(try db.run(sql, [.text("a")])) { error in
            guard let e = error as? SQLiteError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, 2067)  // SQLITE_CONSTRAINT_UNIQUE (extended codes are on)
            XCTAssertEqual(e.code & 0xff, 19)  // SQLITE_CONSTRAINT
            XCTAssertTrue(e.message.contains("UNIQUE constraint failed: t.k"), e.message)
            XCTAssertEqual(e.sql, sql)
        }
        // The statement is usable again after the failure.
        try db.run(sql, [.text("b")])
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .int(2))
    }

    func testBindErrorCarriesCode() throws {
        XCTAssertThrowsError(try db.run("INSERT INTO t(i) VALUES (?)", [.int(1), .int(2)])) { error in
            XCTAssertEqual((error as? SQLiteError)?.code, 25)  // SQLITE_RANGE
            XCTAssertEqual((error as? SQLiteError)?.sql, "INSERT INTO t(i) VALUES (?)")
        }
    }

    func testExecuteErrorCarriesCodeMessageAndSQL() throws {
        let sql = "CREATE TABLE t (x)"
        XCTAssertThrowsError(try db.execute(sql)) { error in
            let e = error as? SQLiteError
            XCTAssertEqual(e?.code, 1)
            XCTAssertEqual(e?.message, "table t already exists")
            XCTAssertEqual(e?.sql, sql)
        }
    }

    func testOpeningInAMissingFolderFailsWithThePath() throws {
        let path = directory.appendingPathComponent("no/such/folder/w.sqlite").path
        XCTAssertThrowsError(try SQLiteDatabase(path: path)) { error in
            let e = error as? SQLiteError
            XCTAssertEqual(e?.code, 14)  // SQLITE_CANTOPEN
            XCTAssertTrue(e?.message.contains(path) ?? false, "\(error)")
        }
    }

    func testReadOnlyOpenOfAMissingFileFailsAndCreatesNothing() throws {
        let path = directory.appendingPathComponent("missing.sqlite").path
        XCTAssertThrowsError(try SQLiteDatabase(path: path, readOnly: true))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testReadOnlyConnectionRefusesWrites() throws {
        try db.run("INSERT INTO t(i) VALUES (1)")
        let reader = try SQLiteDatabase(path: db.path, readOnly: true)
        XCTAssertEqual(try reader.scalar("SELECT count(*) FROM t"), .int(1))
        XCTAssertThrowsError(try reader.run("INSERT INTO t(i) VALUES (2)")) { error in
            XCTAssertEqual(((error as? SQLiteError)?.code ?? 0) & 0xff, 8)  // SQLITE_READONLY
        }
    }

    // MARK: - Transactions

    private struct Boom: Error {}

    func testTransactionRollsBackWhenTheBodyThrows() throws {
        try db.run("INSERT INTO t(i) VALUES (1)")
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t(i) VALUES (2)")
            try db.run("UPDATE t SET s = 'changed'")
            XCTAssertTrue(db.isInTransaction)
            throw Boom()
        }) { error in
            XCTAssertTrue(error is Boom, "the body's error is rethrown unchanged: \(error)")
        }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try rows("SELECT i, s FROM t"), [[.int(1), .null]])
    }

    func testTransactionRollsBackWhenAStatementFails() throws {
        try db.run("INSERT INTO t(k) VALUES ('a')")
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t(k) VALUES ('b')")
            try db.run("INSERT INTO t(k) VALUES ('a')")
        }) { error in
            XCTAssertEqual(((error as? SQLiteError)?.code ?? 0) & 0xff, 19)
        }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try rows("SELECT k FROM t"), [[.text("a")]])
    }

    func testTransactionCommitsAndReturnsTheBodysValue() throws {
        let id: Int64 = try db.transaction {
            try db.run("INSERT INTO t(i) VALUES (9)")
            return db.lastInsertRowID
        }
        XCTAssertFalse(db.isInTransaction)
        // A second connection sees the committed row.
        let other = try SQLiteDatabase(path: db.path)
        XCTAssertEqual(try other.scalar("SELECT i FROM t WHERE id = ?", [.int(id)]), .int(9))
    }

    func testLibraryVersionLooksLikeAVersion() {
        let parts = SQLiteDatabase.libraryVersion.split(separator: ".")
        XCTAssertGreaterThanOrEqual(parts.count, 3)
        XCTAssertEqual(parts.first, "3")
    }
}
