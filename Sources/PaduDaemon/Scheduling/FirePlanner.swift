import Foundation
import PaduCore

/// What to do about scheduled instants missed while the daemon was not running.
public enum CatchUp: String, Sendable, Hashable, Codable {
    /// Run once now if at least one scheduled instant was missed (never a burst of runs).
    case once
    /// Run nothing for missed instants; wait for the next future one.
    case skip
}

/// A schedule that cannot be planned, e.g. a bad cron expression or an unknown time zone.
public struct ScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pipeline whose schedule is wrong.
    public let pipeline: String
    /// What is wrong.
    public let message: String

    /// Creates an error for `pipeline`.
    public init(pipeline: String, message: String) {
        self.pipeline = pipeline
        self.message = message
    }

    public var description: String { "pipeline \(pipeline): \(message)" }
}

/// The outcome of planning a pipeline's time-based schedule at one instant.
public struct FirePlan: Sendable, Equatable {
    /// The scheduled instant to run now, or nil when nothing is due.
    public var due: Date?
    /// The first scheduled instant strictly after now, or nil for schedules without time-based fires.
    public var next: Date?
    /// Whether a scheduled instant was missed by more than the planner's grace period (downtime).
    public var late: Bool
    /// What the caller should record as the pipeline's last fire time after acting on this plan
    /// (the due instant, or the latest skipped one); nil means keep the recorded value.
    public var lastFire: Date?

    /// Creates a plan.
    public init(due: Date?, next: Date?, late: Bool = false, lastFire: Date? = nil) {
        self.due = due
        self.next = next
        self.late = late
        self.lastFire = lastFire
    }
}

/// Computes when a pipeline fires from its `ScheduleSpec`. Pure: every answer depends only on
/// the arguments, so restarts and tests give the same results.
///
/// - `cron`: the expression on the wall clock of the schedule's time zone (`WIB`, `WITA`, `WIT`,
///   `UTC` or an IANA name; `Asia/Jakarta` when none is given).
/// - `every`: the previous fire (or the daemon start) + `seconds` + a jitter of `0...jitterSeconds`
///   whole seconds. The jitter depends only on the pipeline name and the fire's slot (the index of
///   `previous + seconds` on a grid of `seconds` since 1970), so it is reproducible across restarts.
/// - `fileArrival`, `after`, `manual`: no time-based fires.
public struct FirePlanner: Sendable, Equatable {
    /// The time-based part of a schedule.
    public enum Timing: Sendable, Equatable {
        /// A cron expression evaluated in a time zone.
        case cron(CronExpression, TimeZone)
        /// A fixed interval with up to `jitterSeconds` of extra delay.
        case every(seconds: Int, jitterSeconds: Int)
        /// No time-based fires (`fileArrival`, `after`, `manual`); the kind is kept for messages.
        case untimed(kind: String)
    }

    /// The default zone of cron schedules that name none (WIB).
    public static let defaultTimeZone = TimeZone(identifier: "Asia/Jakarta") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// The pipeline name (seeds the interval jitter).
    public let pipeline: String
    /// The parsed schedule.
    public let timing: Timing
    /// How late a fire may be noticed and still count as on time rather than missed (seconds).
    public var grace: TimeInterval

    /// Builds a planner from a pipeline's schedule; throws on a malformed cron expression,
    /// an unknown time zone, a non-positive interval or an unknown kind.
    public init(pipeline: String, schedule: ScheduleSpec, grace: TimeInterval = 60) throws(ScheduleError) {
        self.pipeline = pipeline
        self.grace = grace
        func failure(_ message: String) -> ScheduleError { ScheduleError(pipeline: pipeline, message: message) }
        switch schedule.kind {
        case "cron":
            guard let text = schedule.expression else { throw failure("cron schedule has no expression") }
            let expression: CronExpression
            do { expression = try CronExpression(text) } catch { throw failure(error.description) }
            var zone = Self.defaultTimeZone
            if let name = schedule.timeZone, !name.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let named = CronExpression.timeZone(named: name) else {
                    throw failure("unknown time zone \"\(name)\"; use WIB, WITA, WIT, UTC or an IANA name such as Asia/Jakarta")
                }
                zone = named
            }
            timing = .cron(expression, zone)
        case "every":
            guard let seconds = schedule.seconds, seconds > 0 else {
                throw failure("interval schedule needs a positive number of seconds")
            }
            let jitter = schedule.jitterSeconds ?? 0
            guard jitter >= 0 else { throw failure("jitter must not be negative, got \(jitter)s") }
            timing = .every(seconds: seconds, jitterSeconds: jitter)
        case "fileArrival", "after", "manual":
            timing = .untimed(kind: schedule.kind)
        default:
            throw failure("unknown schedule kind \"\(schedule.kind)\"")
        }
    }

    /// Whether the schedule has time-based fires at all.
    public var isTimed: Bool {
        if case .untimed = timing { return false }
        return true
    }

    /// The first fire strictly after `instant` (for `every`, `instant` is the previous fire);
    /// nil for untimed schedules.
    public func nextFire(after instant: Date) -> Date? {
        switch timing {
        case let .cron(expression, zone):
            return expression.next(after: instant, in: zone)
        case let .every(seconds, jitterSeconds):
            let nominal = instant.addingTimeInterval(TimeInterval(seconds))
            let slot = Int64((nominal.timeIntervalSince1970 / Double(seconds)).rounded(.down))
            return nominal.addingTimeInterval(TimeInterval(jitter(slot: slot, upTo: jitterSeconds)))
        case .untimed:
            return nil
        }
    }

    /// The interval jitter (whole seconds in `0...upTo`) of fire slot `slot`; deterministic.
    public func jitter(slot: Int64, upTo maximum: Int) -> Int {
        DeterministicJitter.integer(upTo: maximum, pipeline, "every", slot: slot)
    }

    /// Plans at `now`: which fire (if any) is due and when the next one is.
    ///
    /// `lastFire` is the last fire time recorded (`FirePlan.lastFire` of an earlier plan); with none,
    /// fires are counted from `daemonStart`. A scheduled instant in `(lastFire, now]` noticed within
    /// `grace` seconds is due regardless of `catchUp`. One missed by more is handled by `catchUp`:
    /// `.once` makes exactly one fire due (the latest missed instant for cron; for `every` the chain
    /// restarts at `now`), `.skip` makes none due. Either way `next` is in the future.
    public func plan(lastFire: Date?, daemonStart: Date, now: Date, catchUp: CatchUp) -> FirePlan {
        let reference = lastFire ?? daemonStart
        switch timing {
        case .untimed:
            return FirePlan(due: nil, next: nil)
        case let .cron(expression, zone):
            let upcoming = expression.next(after: now, in: zone)
            guard let latest = Self.latestInstant(of: expression, in: zone, after: reference, upTo: now) else {
                return FirePlan(due: nil, next: upcoming)
            }
            let late = now.timeIntervalSince(latest) > grace
            let due = (!late || catchUp == .once) ? latest : nil
            return FirePlan(due: due, next: upcoming, late: late, lastFire: latest)
        case .every:
            return planInterval(reference: reference, now: now, catchUp: catchUp)
        }
    }

    /// Most chain steps walked before giving up and restarting the chain at now.
    private static let maximumChainSteps = 100_000

    private func planInterval(reference: Date, now: Date, catchUp: CatchUp) -> FirePlan {
        var latest: Date?
        var cursor = reference
        var steps = 0
        while let following = nextFire(after: cursor), following <= now {
            steps += 1
            if steps > Self.maximumChainSteps {
                // Extremely long downtime for a short interval: restart the chain at now.
                return FirePlan(due: catchUp == .once ? now : nil, next: nextFire(after: now), late: true, lastFire: now)
            }
            latest = following
            cursor = following
        }
        guard let latest else { return FirePlan(due: nil, next: nextFire(after: reference)) }
        let late = now.timeIntervalSince(latest) > grace
        if !late {
            return FirePlan(due: latest, next: nextFire(after: latest), late: false, lastFire: latest)
        }
        switch catchUp {
        case .once:
            // Run now and count the interval from this run, so no second run follows right away.
            return FirePlan(due: now, next: nextFire(after: now), late: true, lastFire: now)
        case .skip:
            return FirePlan(due: nil, next: nextFire(after: latest), late: true, lastFire: latest)
        }
    }

    /// The latest fire of `expression` in `(reference, now]`, found by searching backwards from
    /// `now` in doubling windows (so long downtimes do not walk every missed instant).
    static func latestInstant(of expression: CronExpression, in zone: TimeZone, after reference: Date, upTo now: Date) -> Date? {
        guard let first = expression.next(after: reference, in: zone), first <= now else { return nil }
        var window: TimeInterval = 60
        while true {
            let start = max(reference, now.addingTimeInterval(-window))
            if let candidate = expression.next(after: start, in: zone), candidate <= now {
                var latest = candidate
                while let following = expression.next(after: latest, in: zone), following <= now {
                    latest = following
                }
                return latest
            }
            if start == reference { return first }
            window *= 2
        }
    }
}
