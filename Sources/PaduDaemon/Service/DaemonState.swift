import Foundation
import PaduCore
import PaduWarehouse

/// The daemon's own state, in `<home>/state.sqlite` (owner-only): when each pipeline last fired
/// and fires next, which are paused, which inbox files were taken and where they went, and
/// pending retries — so a restart continues where the daemon stopped. Runs themselves are in
/// the warehouse (`runs`, `inputs`).
public final class DaemonState {
    public let database: SQLiteDatabase

    static let migrations: [Migration] = [
        Migration(version: 1, name: "schedule, files, retries, events", sql: """
        CREATE TABLE schedule_state (
            pipeline     TEXT PRIMARY KEY,
            last_fire_at REAL,
            next_fire_at REAL,
            fires        INTEGER NOT NULL DEFAULT 0,
            paused       INTEGER NOT NULL DEFAULT 0,
            paused_at    TEXT,
            paused_by    TEXT
        );
        CREATE TABLE file_arrival (
            pipeline   TEXT NOT NULL,
            path       TEXT NOT NULL,
            size       INTEGER NOT NULL,
            mtime      REAL NOT NULL,
            status     TEXT NOT NULL CHECK (status IN ('queued','running','processed','failed')),
            run_id     INTEGER,
            moved_to   TEXT,
            at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            PRIMARY KEY (pipeline, path, size, mtime)
        );
        CREATE TABLE retry (
            pipeline TEXT PRIMARY KEY,
            attempt  INTEGER NOT NULL,
            next_at  REAL NOT NULL,
            inputs   TEXT NOT NULL,
            reason   TEXT
        );
        CREATE TABLE daemon_event (
            id     INTEGER PRIMARY KEY,
            at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            kind   TEXT NOT NULL,
            detail TEXT
        );
        """),
    ]

    public init(home: String) throws {
        database = try SQLiteDatabase(path: home + "/state.sqlite")
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")
        try database.migrate(Self.migrations)
    }

    public struct Schedule: Sendable {
        public var lastFire: Date?
        public var nextFire: Date?
        public var fires: Int
        public var paused: Bool
    }

    public func schedule(_ pipeline: String) throws -> Schedule {
        var s = Schedule(lastFire: nil, nextFire: nil, fires: 0, paused: false)
        try database.query("SELECT last_fire_at, next_fire_at, fires, paused FROM schedule_state WHERE pipeline = ?", [.text(pipeline)]) { r in
            s = Schedule(lastFire: r.double(0).map(Date.init(timeIntervalSince1970:)), nextFire: r.double(1).map(Date.init(timeIntervalSince1970:)),
                         fires: Int(r.int(2) ?? 0), paused: r.int(3) == 1)
        }
        return s
    }

    public func setNextFire(_ pipeline: String, _ next: Date?) throws {
        try database.run("""
            INSERT INTO schedule_state(pipeline, next_fire_at) VALUES (?, ?)
            ON CONFLICT(pipeline) DO UPDATE SET next_fire_at = excluded.next_fire_at
            """, [.text(pipeline), next.map { .double($0.timeIntervalSince1970) } ?? .null])
    }

    public func recordFire(_ pipeline: String, at: Date, next: Date?) throws {
        try database.run("""
            INSERT INTO schedule_state(pipeline, last_fire_at, next_fire_at, fires) VALUES (?, ?, ?, 1)
            ON CONFLICT(pipeline) DO UPDATE SET last_fire_at = excluded.last_fire_at, next_fire_at = excluded.next_fire_at,
                                                fires = fires + 1
            """, [.text(pipeline), .double(at.timeIntervalSince1970), next.map { .double($0.timeIntervalSince1970) } ?? .null])
    }

    public func setPaused(_ pipeline: String, _ paused: Bool, by: String) throws {
        try database.run("""
            INSERT INTO schedule_state(pipeline, paused, paused_at, paused_by) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'), ?)
            ON CONFLICT(pipeline) DO UPDATE SET paused = excluded.paused, paused_at = excluded.paused_at, paused_by = excluded.paused_by
            """, [.text(pipeline), .int(paused ? 1 : 0), .text(by)])
    }

    /// Whether this version of an inbox file (path, size, mtime) was already taken.
    public func fileSeen(_ pipeline: String, path: String, size: Int64, mtime: Date) throws -> Bool {
        try database.scalar("SELECT 1 FROM file_arrival WHERE pipeline = ? AND path = ? AND size = ? AND mtime = ?",
                            [.text(pipeline), .text(path), .int(size), .double(mtime.timeIntervalSince1970)]) != nil
    }

    public func recordFile(_ pipeline: String, path: String, size: Int64, mtime: Date, status: String, runID: Int64? = nil, movedTo: String? = nil) throws {
        try database.run("""
            INSERT INTO file_arrival(pipeline, path, size, mtime, status, run_id, moved_to) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(pipeline, path, size, mtime) DO UPDATE SET status = excluded.status, run_id = coalesce(excluded.run_id, run_id),
                moved_to = coalesce(excluded.moved_to, moved_to), at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            """, [.text(pipeline), .text(path), .int(size), .double(mtime.timeIntervalSince1970), .text(status), SQLValue(runID), SQLValue(movedTo)])
    }

    /// Inbox files a crash left queued or running are forgotten, so they are taken again.
    @discardableResult
    public func forgetUnfinishedFiles() throws -> Int {
        try database.run("DELETE FROM file_arrival WHERE status IN ('queued','running')")
    }

    public func event(_ kind: String, _ detail: String) {
        _ = try? database.run("INSERT INTO daemon_event(kind, detail) VALUES (?, ?)", [.text(kind), .text(PersonalData.maskNIKs(in: detail))])
    }
}
