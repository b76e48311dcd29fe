import Foundation
import PaduCore

/// When a failed pipeline run is tried again: exponential backoff with deterministic jitter.
///
/// Named `RunRetryPolicy` because `PaduRemote` (a dependency of this module) already has a
/// `RetryPolicy` for downloads; modules importing both would see an ambiguous name.
///
/// The delay after failed attempt *n* (1-based) is `min(maximum, base × 2ⁿ⁻¹)` plus a jitter of
/// up to `jitterFraction` (20 %) of that, derived from the pipeline name and *n*: the same
/// failure sequence always waits the same, and pipelines that fail together spread out.
public struct RunRetryPolicy: Sendable, Hashable {
    /// Total attempts including the first (1 + the pipeline's `retries`).
    public var maxAttempts: Int
    /// Delay after the first failed attempt, before jitter (seconds).
    public var base: TimeInterval
    /// Largest delay before jitter (seconds).
    public var maximum: TimeInterval
    /// Largest jitter as a fraction of the capped delay.
    public var jitterFraction: Double

    /// Creates a policy allowing `retries` retries after the first attempt.
    public init(retries: Int, base: TimeInterval = 30, maximum: TimeInterval = 3600, jitterFraction: Double = 0.2) {
        self.maxAttempts = 1 + max(0, retries)
        self.base = base
        self.maximum = maximum
        self.jitterFraction = jitterFraction
    }

    /// The policy of a pipeline: its `retries` retries.
    public init(pipeline: PipelineSpec, base: TimeInterval = 30, maximum: TimeInterval = 3600) {
        self.init(retries: pipeline.retries, base: base, maximum: maximum)
    }

    /// Whether another attempt follows failed attempt `n` (1-based).
    public func shouldRetry(afterAttempt n: Int) -> Bool {
        n >= 1 && n < maxAttempts
    }

    /// The wait after failed attempt `n` (1-based) of `pipeline`, in seconds.
    public func delay(afterAttempt n: Int, pipeline: String) -> TimeInterval {
        let exponent = Double(max(1, n) - 1)
        let capped = min(maximum, base * pow(2, min(exponent, 62)))
        let jitter = capped * jitterFraction * DeterministicJitter.unit(pipeline, "retry", slot: Int64(n))
        return capped + jitter
    }
}
