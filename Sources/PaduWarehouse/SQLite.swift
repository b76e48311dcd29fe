import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A SQLite failure: the result code, SQLite's message and the statement involved.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.prefix(200)))" }
        return text
    }

    /// True when the database is busy or locked by another process.
    public var isBusy: Bool { code & 0xff == SQLITE_BUSY || code & 0xff == SQLITE_LOCKED }
}

/// A value bound to or read from a statement.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    public init(_ n: Int?) { self = n.map { .int(Int64($0)) } ?? .null }
    public init(_ n: Int64?) { self = n.map { .int($0) } ?? .null }
    public init(_ b: Bool?) { self = b.map { .int($0 ? 1 : 0) } ?? .null }
}

// SQLITE_TRANSIENT is a macro SQLite's header defines as a cast of -1; Swift cannot import it.
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: use one per thread.
public final class SQLiteDatabase {
    public let path: String
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]

    /// Opens (creating it owner-only when missing) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        if !readOnly && access(path, F_OK) != 0 {
            // Create the file with mode 0600 ourselves: SQLite would use the umask, and its
            // -wal and -shm files take the database file's permissions.
            let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        if !readOnly {
            // Personal data: an existing file readable by others is made owner-only.
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & 0o077 != 0 { _ = chmod(path, 0o600) }
        }
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: "\(message): \(path)", sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// A prepared statement, reused across calls with the same SQL.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = statementCache[sql] { return cached }
        let s = try Statement(database: self, sql: sql)
        statementCache[sql] = s
        return s
    }

    /// Runs a statement with `values` bound; returns the rows changed.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let s = try statement(sql)
        try s.run(values)
        return Int(sqlite3_changes(handle))
    }

    /// Every row of a query, as `SQLRow`s handed to `body`.
    public func query(_ sql: String, _ values: [SQLValue] = [], _ body: (SQLRow) throws -> Void) throws {
        let s = try statement(sql)
        try s.query(values, body)
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        var result: SQLValue?
        try query(sql, values) { row in if result == nil { result = row[0] } }
        return result
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction; rolls back if it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The SQLite library version, e.g. `3.40.1`.
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }
}

/// A prepared statement; finalized when released.
public final class Statement {
    let handle: OpaquePointer
    unowned let database: SQLiteDatabase
    public let sql: String

    init(database: SQLiteDatabase, sql: String) throws {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, message: database.lastMessage, sql: sql)
        }
        self.handle = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let n): rc = sqlite3_bind_int64(handle, index, n)
            case .double(let d): rc = sqlite3_bind_double(handle, index, d)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, SQLITE_TRANSIENT)
            }
            guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
        }
    }

    /// Executes a statement that returns no rows.
    public func run(_ values: [SQLValue] = []) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteError(code: rc, message: database.lastMessage, sql: sql)
        }
    }

    public func query(_ values: [SQLValue] = [], _ body: (SQLRow) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw SQLiteError(code: rc, message: database.lastMessage, sql: sql) }
            try body(SQLRow(handle: handle))
        }
    }
}

/// The current row of a query (valid only inside the query's closure).
public struct SQLRow {
    let handle: OpaquePointer

    public var count: Int { Int(sqlite3_column_count(handle)) }

    public subscript(_ i: Int) -> SQLValue {
        let index = Int32(i)
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, index))
        default: return .text(text(i) ?? "")
        }
    }

    public func text(_ i: Int) -> String? {
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return nil }
        return String(cString: p)
    }

    public func int(_ i: Int) -> Int64? {
        sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, Int32(i))
    }

    public func double(_ i: Int) -> Double? {
        sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL ? nil : sqlite3_column_double(handle, Int32(i))
    }

    public func name(_ i: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(i))) }
}
