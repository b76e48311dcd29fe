import Foundation

/// The source of "now" for the scheduler. Injected so that scheduling logic can be
/// tested deterministically with a `ManualClock`.
public protocol DaemonClock: Sendable {
    /// The current instant.
    var now: Date { get }
}

/// The real wall clock.
public struct SystemClock: DaemonClock {
    /// Creates a clock reading the system time.
    public init() {}

    /// The current system time.
    public var now: Date { Date() }
}

/// A clock that only moves when told to; for tests and simulations.
///
/// Thread-safe: reads and writes are protected by a lock.
public final class ManualClock: DaemonClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Creates a clock standing at `start`.
    public init(_ start: Date) {
        current = start
    }

    /// The instant the clock currently shows.
    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward (or backward, with a negative interval) by `interval` seconds.
    public func advance(by interval: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(interval)
        lock.unlock()
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }
}
