import Foundation
import PaduCore
@testable import PaduDaemon
import XCTest

/// Scheduling logic: cron table, interval jitter, catch-up, file arrival, archive names,
/// retry delays and the run queue. Everything runs on a `ManualClock`; nothing sleeps.
final class SchedulingTests: XCTestCase {
    // MARK: - Helpers

    private func date(_ iso: String, file: StaticString = #filePath, line: UInt = #line) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let parsed = formatter.date(from: iso) else {
            XCTFail("bad test date \(iso)", file: file, line: line)
            return Date(timeIntervalSince1970: 0)
        }
        return parsed
    }

    private func schedule(cron expression: String, zone: String? = nil) -> ScheduleSpec {
        var spec = ScheduleSpec(kind: "cron")
        spec.expression = expression
        spec.timeZone = zone
        return spec
    }

    private func schedule(every seconds: Int, jitter: Int? = nil) -> ScheduleSpec {
        var spec = ScheduleSpec(kind: "every")
        spec.seconds = seconds
        spec.jitterSeconds = jitter
        return spec
    }

    // MARK: - Cron table

    /// (expression, zone, after, expected next fire). Instants carry explicit offsets.
    /// Weekdays used: 2026-03-13 is a Friday, 2026-03-14 a Saturday, 2026-04-13 a Monday.
    private let cronTable: [(expression: String, zone: String, after: String, expected: String)] = [
        // every minute; strictly after, seconds ignored
        ("* * * * *", "UTC", "2026-03-14T10:17:30Z", "2026-03-14T10:18:00Z"),
        ("* * * * *", "UTC", "2026-03-14T10:17:00Z", "2026-03-14T10:18:00Z"),
        // steps
        ("*/15 * * * *", "UTC", "2026-03-14T10:17:00Z", "2026-03-14T10:30:00Z"),
        ("*/15 * * * *", "UTC", "2026-03-14T10:45:00Z", "2026-03-14T11:00:00Z"),
        ("*/15 * * * *", "UTC", "2026-03-14T23:50:00Z", "2026-03-15T00:00:00Z"),
        ("10-40/10 * * * *", "UTC", "2026-03-14T10:41:00Z", "2026-03-14T11:10:00Z"),
        // ranges and lists
        ("5,35 8-10 * * *", "UTC", "2026-03-14T09:10:00Z", "2026-03-14T09:35:00Z"),
        ("5,35 8-10 * * *", "UTC", "2026-03-14T10:40:00Z", "2026-03-15T08:05:00Z"),
        // month names
        ("0 12 * JAN-MAR *", "UTC", "2026-03-31T12:00:00Z", "2027-01-01T12:00:00Z"),
        ("0 12 1 jun,dec *", "UTC", "2026-03-14T00:00:00Z", "2026-06-01T12:00:00Z"),
        // day names
        ("30 9 * * MON-FRI", "UTC", "2026-03-14T10:00:00Z", "2026-03-16T09:30:00Z"),
        ("30 9 * * MON-FRI", "UTC", "2026-03-13T09:30:00Z", "2026-03-16T09:30:00Z"),
        ("0 0 * * FRI-SUN", "UTC", "2026-03-16T00:00:00Z", "2026-03-20T00:00:00Z"),
        ("0 0 * * 7", "UTC", "2026-03-14T00:00:00Z", "2026-03-15T00:00:00Z"),
        // macros
        ("@hourly", "UTC", "2026-03-14T10:17:00Z", "2026-03-14T11:00:00Z"),
        ("@daily", "UTC", "2026-03-14T10:17:00Z", "2026-03-15T00:00:00Z"),
        ("@weekly", "UTC", "2026-03-14T10:17:00Z", "2026-03-15T00:00:00Z"),
        ("@monthly", "UTC", "2026-03-14T10:17:00Z", "2026-04-01T00:00:00Z"),
        ("@yearly", "UTC", "2026-03-14T10:17:00Z", "2027-01-01T00:00:00Z"),
        // day 31 skips 30-day months; Feb 29 waits for a leap year
        ("0 0 31 * *", "UTC", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z"),
        ("0 0 31 * *", "UTC", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"),
        // both day fields restricted: Vixie cron fires when EITHER matches
        ("0 0 13 * FRI", "UTC", "2026-03-14T00:00:00Z", "2026-03-20T00:00:00Z"), // Friday, not the 13th
        ("0 0 13 * FRI", "UTC", "2026-04-11T00:00:00Z", "2026-04-13T00:00:00Z"), // the 13th, a Monday
        ("0 0 1 * MON", "UTC", "2026-03-14T00:00:00Z", "2026-03-16T00:00:00Z"),
        ("0 0 1-31 * MON", "UTC", "2026-03-14T10:00:00Z", "2026-03-15T00:00:00Z"), // "1-31" is not "*": every day
        // a field starting with "*" (even "*/2") means BOTH must match: odd days that are Mondays
        ("0 0 */2 * MON", "UTC", "2026-03-14T00:00:00Z", "2026-03-23T00:00:00Z"),
        // Indonesian time zones
        ("0 2 * * *", "WIB", "2026-03-14T00:00:00Z", "2026-03-14T19:00:00Z"),
        ("0 2 * * *", "WITA", "2026-03-14T00:00:00Z", "2026-03-14T18:00:00Z"),
        ("0 2 * * *", "WIT", "2026-03-14T00:00:00Z", "2026-03-14T17:00:00Z"),
        ("0 2 * * *", "wib", "2026-03-14T18:59:00Z", "2026-03-14T19:00:00Z"),
        ("0 9 * * 1-5", "WIB", "2026-03-13T10:00:00+07:00", "2026-03-16T09:00:00+07:00"),
        ("0 9 * * 1-5", "WIB", "2026-03-13T01:59:00Z", "2026-03-13T02:00:00Z"),
        ("0 0 * * SAT", "WIT", "2026-03-13T14:59:00Z", "2026-03-13T15:00:00Z"), // Saturday 00:00 WIT = Friday UTC
        // end of year
        ("* * * * *", "UTC", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"),
        ("59 23 31 12 *", "UTC", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"),
        ("0 0 1 1 *", "WIT", "2026-12-31T14:59:00Z", "2026-12-31T15:00:00Z"),
        ("0 0 1 1 *", "WITA", "2026-12-31T23:59:00+08:00", "2027-01-01T00:00:00+08:00"),
    ]

    func testCronTable() throws {
        XCTAssertGreaterThanOrEqual(cronTable.count, 25)
        for row in cronTable {
            let planner = try FirePlanner(pipeline: "p", schedule: schedule(cron: row.expression, zone: row.zone))
            let next = planner.nextFire(after: date(row.after))
            XCTAssertEqual(next, date(row.expected), "\(row.expression) [\(row.zone)] after \(row.after)")
        }
    }

    func testCronDefaultsToJakartaTime() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(cron: "0 2 * * *"))
        XCTAssertEqual(planner.nextFire(after: date("2026-03-14T00:00:00Z")), date("2026-03-14T19:00:00Z"))
        guard case let .cron(_, zone) = planner.timing else { return XCTFail("not cron") }
        XCTAssertEqual(zone.secondsFromGMT(for: date("2026-03-14T00:00:00Z")), 7 * 3600)
    }

    func testBadSchedulesAreRejected() {
        XCTAssertThrowsError(try FirePlanner(pipeline: "p", schedule: schedule(cron: "0 0 31 2 *")))
        XCTAssertThrowsError(try FirePlanner(pipeline: "p", schedule: schedule(cron: "0 2 * * *", zone: "Mars/Olympus")))
        XCTAssertThrowsError(try FirePlanner(pipeline: "p", schedule: schedule(every: 0)))
        XCTAssertThrowsError(try FirePlanner(pipeline: "p", schedule: ScheduleSpec(kind: "sometimes")))
    }

    func testUntimedSchedulesNeverFire() throws {
        for kind in ["fileArrival", "after", "manual"] {
            let planner = try FirePlanner(pipeline: "p", schedule: ScheduleSpec(kind: kind))
            XCTAssertFalse(planner.isTimed)
            XCTAssertNil(planner.nextFire(after: date("2026-03-14T00:00:00Z")))
            let plan = planner.plan(lastFire: nil, daemonStart: date("2026-03-01T00:00:00Z"),
                                    now: date("2026-03-14T00:00:00Z"), catchUp: .once)
            XCTAssertEqual(plan, FirePlan(due: nil, next: nil))
        }
    }

    // MARK: - Interval jitter

    func testIntervalJitterIsBoundedAndDeterministic() throws {
        let spec = schedule(every: 3600, jitter: 300)
        let a = try FirePlanner(pipeline: "bps-daily", schedule: spec)
        let again = try FirePlanner(pipeline: "bps-daily", schedule: spec) // e.g. after a restart
        let other = try FirePlanner(pipeline: "csr-weekly", schedule: spec)
        var jitters: [Int] = []
        var differs = false
        var t = date("2026-03-14T00:00:00Z")
        for _ in 0..<500 {
            let next = try XCTUnwrap(a.nextFire(after: t))
            let jitter = next.timeIntervalSince(t) - 3600
            XCTAssertTrue((0...300).contains(jitter), "jitter \(jitter)")
            XCTAssertEqual(again.nextFire(after: t), next)
            if other.nextFire(after: t) != next { differs = true }
            jitters.append(Int(jitter))
            t = next
        }
        XCTAssertTrue(differs, "different pipelines should get different jitter")
        XCTAssertLessThan(jitters.min()!, 30)
        XCTAssertGreaterThan(jitters.max()!, 270)
        XCTAssertGreaterThan(Set(jitters).count, 100)
    }

    func testIntervalWithoutJitterIsExact() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(every: 900))
        let start = date("2026-03-14T00:00:07Z")
        XCTAssertEqual(planner.nextFire(after: start), start.addingTimeInterval(900))
    }

    func testIntervalLoopFiresOnTimeOnManualClock() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(every: 3600, jitter: 60))
        let clock = ManualClock(date("2026-03-14T00:00:00Z"))
        let start = clock.now
        var lastFire: Date?
        var fires: [Date] = []
        var plan = planner.plan(lastFire: lastFire, daemonStart: start, now: clock.now, catchUp: .skip)
        XCTAssertNil(plan.due)
        while clock.now < start.addingTimeInterval(86_400) {
            clock.set(try XCTUnwrap(plan.next))
            plan = planner.plan(lastFire: lastFire, daemonStart: start, now: clock.now, catchUp: .skip)
            let due = try XCTUnwrap(plan.due)
            XCTAssertEqual(due, clock.now)
            XCTAssertFalse(plan.late)
            fires.append(due)
            lastFire = plan.lastFire ?? lastFire
        }
        for (a, b) in zip(fires, fires.dropFirst()) {
            XCTAssertTrue((3600...3660).contains(b.timeIntervalSince(a)))
        }
        XCTAssertTrue((23...24).contains(fires.count), "\(fires.count) fires")
    }

    // MARK: - Catch-up

    func testHourlyCronCatchUpAfterThreeDayDowntime() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(cron: "@hourly", zone: "WIB"))
        let lastFire = date("2026-03-10T10:00:00+07:00")
        let clock = ManualClock(lastFire)
        clock.advance(by: 3 * 86_400 + 30 * 60) // down for three days and a half hour
        let restart = clock.now

        let once = planner.plan(lastFire: lastFire, daemonStart: restart, now: clock.now, catchUp: .once)
        XCTAssertEqual(once.due, date("2026-03-13T10:00:00+07:00"), "one run for the latest missed instant")
        XCTAssertEqual(once.next, date("2026-03-13T11:00:00+07:00"))
        XCTAssertTrue(once.late)
        XCTAssertEqual(once.lastFire, once.due)

        let skip = planner.plan(lastFire: lastFire, daemonStart: restart, now: clock.now, catchUp: .skip)
        XCTAssertNil(skip.due)
        XCTAssertEqual(skip.next, date("2026-03-13T11:00:00+07:00"))
        XCTAssertTrue(skip.late)

        // Simulate the rest of the day after the restart: count runs per policy.
        for policy in [CatchUp.once, .skip] {
            clock.set(restart)
            var recorded: Date? = lastFire
            var runs: [Date] = []
            var plan = planner.plan(lastFire: recorded, daemonStart: restart, now: clock.now, catchUp: policy)
            while true {
                if let due = plan.due { runs.append(due) }
                recorded = plan.lastFire ?? recorded
                // Re-planning at the same instant must not produce a second run (no burst).
                let replan = planner.plan(lastFire: recorded, daemonStart: restart, now: clock.now, catchUp: policy)
                XCTAssertNil(replan.due)
                guard let next = plan.next, next <= date("2026-03-13T23:59:00+07:00") else { break }
                clock.set(next)
                plan = planner.plan(lastFire: recorded, daemonStart: restart, now: clock.now, catchUp: policy)
            }
            // 11:00 ... 23:00 = 13 on-time runs, plus the single catch-up run for `.once`.
            XCTAssertEqual(runs.count, policy == .once ? 14 : 13, "\(policy)")
        }
    }

    func testSlightlyLateWakeUpIsStillOnTimeWithSkip() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(cron: "0 * * * *", zone: "UTC"))
        let plan = planner.plan(lastFire: date("2026-03-14T09:00:00Z"), daemonStart: date("2026-03-14T08:00:00Z"),
                                now: date("2026-03-14T10:00:02Z"), catchUp: .skip)
        XCTAssertEqual(plan.due, date("2026-03-14T10:00:00Z"))
        XCTAssertFalse(plan.late)
    }

    func testCronFirstStartCountsFromDaemonStart() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(cron: "0 2 * * *", zone: "UTC"))
        let plan = planner.plan(lastFire: nil, daemonStart: date("2026-03-14T05:00:00Z"),
                                now: date("2026-03-14T05:00:00Z"), catchUp: .once)
        XCTAssertNil(plan.due, "a schedule never fired before is not caught up on first start")
        XCTAssertEqual(plan.next, date("2026-03-15T02:00:00Z"))
    }

    func testIntervalCatchUpAfterDowntime() throws {
        let planner = try FirePlanner(pipeline: "p", schedule: schedule(every: 600, jitter: 30))
        let lastFire = date("2026-03-10T00:00:00Z")
        let now = lastFire.addingTimeInterval(3 * 86_400)

        let once = planner.plan(lastFire: lastFire, daemonStart: now, now: now, catchUp: .once)
        XCTAssertEqual(once.due, now)
        XCTAssertEqual(once.lastFire, now)
        let onceNext = try XCTUnwrap(once.next)
        XCTAssertTrue((600...630).contains(onceNext.timeIntervalSince(now)), "interval restarts from the catch-up run")

        let skip = planner.plan(lastFire: lastFire, daemonStart: now, now: now, catchUp: .skip)
        XCTAssertNil(skip.due)
        let skipNext = try XCTUnwrap(skip.next)
        XCTAssertGreaterThan(skipNext, now)
        XCTAssertLessThanOrEqual(skipNext, now.addingTimeInterval(630))
        XCTAssertNil(planner.plan(lastFire: skip.lastFire, daemonStart: now, now: now, catchUp: .skip).due)
    }

    func testLatestCronInstantSearchOverLongDowntime() throws {
        let expression = try CronExpression("*/5 * * * *")
        let zone = TimeZone(identifier: "UTC")!
        let latest = FirePlanner.latestInstant(of: expression, in: zone, after: date("2025-01-01T00:00:00Z"),
                                               upTo: date("2026-03-14T10:17:00Z"))
        XCTAssertEqual(latest, date("2026-03-14T10:15:00Z"))
        XCTAssertNil(FirePlanner.latestInstant(of: expression, in: zone, after: date("2026-03-14T10:15:00Z"),
                                               upTo: date("2026-03-14T10:17:00Z")))
    }

    // MARK: - File arrival

    func testGrowingFileIsReadyOnlyAfterItStops() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var tracker = FileArrivalTracker(settle: 5)
        let path = "inbox/p3ke.csv"
        var size: Int64 = 0
        // Grows every 2 seconds for a minute: never ready.
        for _ in 0..<30 {
            size += 1_000
            let ready = tracker.observe(listing: [path: (size: size, mtime: clock.now)], at: clock.now)
            XCTAssertEqual(ready, [])
            clock.advance(by: 2)
        }
        // The copy finished with the last write, 2 s ago: settled for 2 s, then 4 s, then 5 s.
        let finished = clock.now.addingTimeInterval(-2)
        XCTAssertEqual(tracker.observe(listing: [path: (size: size, mtime: finished)], at: clock.now), [], "2s < settle")
        clock.advance(by: 2)
        XCTAssertEqual(tracker.observe(listing: [path: (size: size, mtime: finished)], at: clock.now), [], "4s < settle")
        clock.advance(by: 1)
        XCTAssertEqual(tracker.observe(listing: [path: (size: size, mtime: finished)], at: clock.now), [path])
        clock.advance(by: 10)
        XCTAssertEqual(tracker.observe(listing: [path: (size: size, mtime: finished)], at: clock.now), [], "offered once")
        XCTAssertEqual(tracker.settling, [])
    }

    func testFirstSightingIsNeverReadyEvenIfOld() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var tracker = FileArrivalTracker()
        let old = FileObservation(size: 10, mtime: date("2026-01-01T00:00:00Z"))
        XCTAssertEqual(tracker.observe(["a.csv": old], at: clock.now), [])
        XCTAssertEqual(tracker.settling, ["a.csv"])
        clock.advance(by: 5)
        XCTAssertEqual(tracker.observe(["a.csv": old], at: clock.now), ["a.csv"])
    }

    func testDisappearingFileIsForgotten() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var tracker = FileArrivalTracker(settle: 5)
        let file = FileObservation(size: 10, mtime: clock.now)
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), [])
        clock.advance(by: 3)
        XCTAssertEqual(tracker.observe([:], at: clock.now), [])
        XCTAssertEqual(tracker.settling, [])
        clock.advance(by: 3) // back, unchanged: the settle period starts again
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), [])
        clock.advance(by: 4)
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), [])
        clock.advance(by: 1)
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), ["a.csv"])
    }

    func testRedroppedFileIsANewArrival() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var tracker = FileArrivalTracker(settle: 5)
        let first = FileObservation(size: 10, mtime: clock.now)
        _ = tracker.observe(["a.csv": first, "b.csv": first], at: clock.now)
        clock.advance(by: 5)
        XCTAssertEqual(tracker.observe(["a.csv": first, "b.csv": first], at: clock.now), ["a.csv", "b.csv"])

        // a.csv is overwritten in place with new content; b.csv stays as it was.
        clock.advance(by: 60)
        let second = FileObservation(size: 12, mtime: clock.now)
        XCTAssertEqual(tracker.observe(["a.csv": second, "b.csv": first], at: clock.now), [])
        clock.advance(by: 5)
        XCTAssertEqual(tracker.observe(["a.csv": second, "b.csv": first], at: clock.now), ["a.csv"])

        // a.csv is moved away (archived) and the same bytes are dropped again (cp -p keeps mtime).
        clock.advance(by: 1)
        _ = tracker.observe(["b.csv": first], at: clock.now)
        clock.advance(by: 1)
        XCTAssertEqual(tracker.observe(["a.csv": second, "b.csv": first], at: clock.now), [])
        clock.advance(by: 5)
        XCTAssertEqual(tracker.observe(["a.csv": second, "b.csv": first], at: clock.now), ["a.csv"])
    }

    func testReleasedFileIsOfferedAgain() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var tracker = FileArrivalTracker(settle: 5)
        let file = FileObservation(size: 1, mtime: clock.now)
        _ = tracker.observe(["a.csv": file], at: clock.now)
        clock.advance(by: 5)
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), ["a.csv"])
        tracker.release("a.csv")
        clock.advance(by: 1)
        XCTAssertEqual(tracker.observe(["a.csv": file], at: clock.now), ["a.csv"])
    }

    func testArchiveNames() {
        typealias T = FileArrivalTracker
        XCTAssertEqual(T.archivePath(for: "p3ke.csv", outcome: .processed, runID: "42"), "processed/p3ke.run-42.csv")
        XCTAssertEqual(T.archivePath(for: "/data/inbox/p3ke.csv", outcome: .failed, runID: "42"), "failed/p3ke.run-42.csv")
        XCTAssertEqual(T.archivePath(for: "p3ke.csv", outcome: .processed, runID: "42", existing: ["p3ke.run-42.csv"]),
                       "processed/p3ke.run-42.2.csv")
        XCTAssertEqual(T.archivePath(for: "p3ke.csv", outcome: .processed, runID: "42",
                                     existing: ["p3ke.run-42.csv", "p3ke.run-42.2.csv"]),
                       "processed/p3ke.run-42.3.csv")
        XCTAssertEqual(T.archivePath(for: "dtks.jabar.csv.gz", outcome: .processed, runID: "7"), "processed/dtks.jabar.run-7.csv.gz")
        XCTAssertEqual(T.archivePath(for: "Rekap 2025.XLSX", outcome: .failed, runID: "7"), "failed/Rekap 2025.run-7.XLSX")
        XCTAssertEqual(T.archivePath(for: "README", outcome: .processed, runID: "7"), "processed/README.run-7")
        XCTAssertEqual(T.archivePath(for: ".hidden", outcome: .processed, runID: "7"), "processed/.hidden.run-7")
        XCTAssertEqual(T.archivePath(for: "data.gz", outcome: .processed, runID: "7"), "processed/data.run-7.gz")
        XCTAssertEqual(T.archivePath(for: "trailing.", outcome: .processed, runID: "7"), "processed/trailing..run-7")
    }

    // MARK: - Retry policy

    func testRetryDelays() {
        let policy = RunRetryPolicy(retries: 5, base: 30, maximum: 3600)
        let expectedBase: [TimeInterval] = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        for (index, base) in expectedBase.enumerated() {
            let n = index + 1
            let delay = policy.delay(afterAttempt: n, pipeline: "bps-daily")
            XCTAssertGreaterThanOrEqual(delay, base, "attempt \(n)")
            XCTAssertLessThanOrEqual(delay, base * 1.2, "attempt \(n)")
            XCTAssertEqual(delay, policy.delay(afterAttempt: n, pipeline: "bps-daily"), "deterministic")
        }
        let a = (1...10).map { policy.delay(afterAttempt: $0, pipeline: "bps-daily") }
        let b = (1...10).map { policy.delay(afterAttempt: $0, pipeline: "csr-weekly") }
        XCTAssertNotEqual(a, b, "pipelines failing together spread out")
        XCTAssertGreaterThan(policy.delay(afterAttempt: 1000, pipeline: "x"), 0)
    }

    func testMaxAttemptsFromPipelineRetries() {
        let stage = StageSpec(plugin: "noop")
        let pipeline = PipelineSpec(name: "p", source: stage, sink: stage, retries: 3)
        let policy = RunRetryPolicy(pipeline: pipeline)
        XCTAssertEqual(policy.maxAttempts, 4)
        XCTAssertEqual((1...5).map { policy.shouldRetry(afterAttempt: $0) }, [true, true, true, false, false])
        let none = RunRetryPolicy(pipeline: PipelineSpec(name: "q", source: stage, sink: stage))
        XCTAssertEqual(none.maxAttempts, 1)
        XCTAssertFalse(none.shouldRetry(afterAttempt: 1))
    }

    // MARK: - Run queue

    private func trigger(_ pipeline: String, _ reason: RunTrigger.Reason, _ inputs: [String] = [],
                         at notBefore: Date) -> RunTrigger {
        RunTrigger(pipeline: pipeline, reason: reason, inputs: inputs, notBefore: notBefore)
    }

    func testQueueRespectsGlobalLimitInFIFOOrder() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var queue = RunQueue()
        for name in ["a", "b", "c", "d"] {
            queue.enqueue(trigger(name, .manual, at: clock.now))
        }
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: [], limit: 2).map(\.pipeline), ["a", "b"])
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: ["a", "b"], limit: 2), [])
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: ["b"], limit: 2).map(\.pipeline), ["c"])
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: ["b", "c"], limit: 0), [])
        XCTAssertEqual(queue.pending.map(\.pipeline), ["d"])
    }

    func testQueueNeverOverlapsOnePipeline() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var queue = RunQueue()
        queue.enqueue(trigger("a", .manual, at: clock.now))
        queue.enqueue(trigger("a", .manual, ["x.csv"], at: clock.now))
        queue.enqueue(trigger("b", .cron, at: clock.now))
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: [], limit: 10).map(\.pipeline), ["a", "b"])
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: ["a"], limit: 10), [], "a is still running")
        let second = queue.dequeueReady(now: clock.now, running: [], limit: 10)
        XCTAssertEqual(second.map(\.inputs), [["x.csv"]])
        XCTAssertTrue(queue.isEmpty)
    }

    func testQueueCoalescesTimeBasedBacklog() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var queue = RunQueue()
        XCTAssertEqual(queue.enqueue(trigger("a", .cron, at: clock.now)), .queued)
        for _ in 0..<71 { // three days of hourly fires while "a" was stuck
            clock.advance(by: 3600)
            XCTAssertEqual(queue.enqueue(trigger("a", .cron, at: clock.now)), .coalesced)
        }
        XCTAssertEqual(queue.enqueue(trigger("a", .interval, at: clock.now)), .coalesced)
        XCTAssertEqual(queue.enqueue(trigger("a", .after, at: clock.now)), .coalesced)
        XCTAssertEqual(queue.enqueue(trigger("a", .manual, at: clock.now)), .queued, "manual runs are explicit")
        XCTAssertEqual(queue.enqueue(trigger("a", .file, ["f.csv"], at: clock.now)), .queued, "files are never dropped")
        XCTAssertEqual(queue.enqueue(trigger("b", .cron, at: clock.now)), .queued)
        XCTAssertEqual(queue.pending.map(\.reason), [.cron, .manual, .file, .cron])

        // Once the queued fire has started, a new fire is queued again (runs after the current one).
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: [], limit: 4).map(\.pipeline), ["a", "b"])
        XCTAssertEqual(queue.enqueue(trigger("a", .cron, at: clock.now)), .queued)
    }

    func testQueueMergesFileTriggersOfOnePipeline() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var queue = RunQueue()
        XCTAssertEqual(queue.enqueue(trigger("a", .file, ["inbox/1.csv"], at: clock.now)), .queued)
        XCTAssertEqual(queue.enqueue(trigger("b", .file, ["other/9.csv"], at: clock.now)), .queued)
        XCTAssertEqual(queue.enqueue(trigger("a", .file, ["inbox/2.csv"], at: clock.now)), .merged)
        XCTAssertEqual(queue.enqueue(trigger("a", .file, ["inbox/1.csv", "inbox/3.csv"], at: clock.now)), .merged)
        XCTAssertEqual(queue.pending.count, 2)
        let started = queue.dequeueReady(now: clock.now, running: [], limit: 1)
        XCTAssertEqual(started, [trigger("a", .file, ["inbox/1.csv", "inbox/2.csv", "inbox/3.csv"], at: clock.now)])
        // While a runs, a new file for it waits in its own trigger.
        XCTAssertEqual(queue.enqueue(trigger("a", .file, ["inbox/4.csv"], at: clock.now)), .queued)
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: ["a"], limit: 2).map(\.pipeline), ["b"])
    }

    func testQueueHonoursNotBeforeWithoutBlockingOthers() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        var queue = RunQueue()
        let retryAt = clock.now.addingTimeInterval(60)
        queue.enqueue(trigger("a", .retry, ["inbox/1.csv"], at: retryAt))
        queue.enqueue(trigger("b", .manual, at: clock.now))
        XCTAssertEqual(queue.nextNotBefore(after: clock.now), retryAt)
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: [], limit: 5).map(\.pipeline), ["b"])
        clock.advance(by: 59)
        XCTAssertEqual(queue.dequeueReady(now: clock.now, running: [], limit: 5), [])
        clock.advance(by: 1)
        let retried = queue.dequeueReady(now: clock.now, running: [], limit: 5)
        XCTAssertEqual(retried.map(\.reason), [.retry])
        XCTAssertEqual(retried.first?.inputs, ["inbox/1.csv"])
        XCTAssertNil(queue.nextNotBefore(after: clock.now))
    }

    func testQueueRemoveAll() {
        let now = date("2026-03-14T08:00:00Z")
        var queue = RunQueue()
        queue.enqueue(trigger("a", .cron, at: now))
        queue.enqueue(trigger("b", .cron, at: now))
        queue.enqueue(trigger("a", .manual, at: now))
        XCTAssertEqual(queue.removeAll(pipeline: "a").count, 2)
        XCTAssertEqual(queue.pending.map(\.pipeline), ["b"])
    }

    func testManualClock() {
        let clock = ManualClock(date("2026-03-14T08:00:00Z"))
        clock.advance(by: 90)
        XCTAssertEqual(clock.now, date("2026-03-14T08:01:30Z"))
        clock.set(date("2027-01-01T00:00:00Z"))
        XCTAssertEqual(clock.now, date("2027-01-01T00:00:00Z"))
        let system: any DaemonClock = SystemClock()
        XCTAssertLessThan(abs(system.now.timeIntervalSinceNow), 5)
    }
}
