import Foundation
import PaduCore
import PaduRemote

/// Sends run notifications to webhooks without ever holding up the scheduler.
///
/// `enqueue` returns at once: notifications wait in a bounded in-memory queue (beyond
/// `capacity` the oldest is dropped, with a warning in the log) and one background worker
/// POSTs them in order, each up to `tries` times with a doubling delay between tries.
/// `send` is the synchronous form for the one-shot `padu run`.
public final class WebhookNotifier: @unchecked Sendable {
    /// POSTs one JSON body; `HTTPPost.json` in production, a stub in tests.
    public typealias Sender = @Sendable (_ body: String, _ target: WebhookTarget, _ timeoutSeconds: Int) -> Result<Int, HTTPPostError>

    public let settings: WebhookSettings
    let logger: Logger
    let tries: Int
    let backoff: TimeInterval
    let capacity: Int
    let timeoutSeconds: Int
    let sender: Sender

    private let lock = NSLock()
    private var pending: [(notification: RunNotification, target: WebhookTarget)] = []
    private var draining = false
    private var delivered = 0
    private var dropped = 0
    private let worker = DispatchQueue(label: "padu.webhook")

    /// - Parameters:
    ///   - tries: attempts per notification (default 3).
    ///   - backoff: the delay before the second try; each further one doubles it.
    ///   - capacity: notifications kept waiting at most (default 100).
    ///   - timeoutSeconds: each POST's timeout.
    public init(settings: WebhookSettings, logger: Logger, tries: Int = 3, backoff: TimeInterval = 2, capacity: Int = 100,
                timeoutSeconds: Int = 10,
                sender: @escaping Sender = { body, target, timeout in HTTPPost.json(body, to: target.url, token: target.token, timeoutSeconds: timeout) }) {
        self.settings = settings
        self.logger = logger
        self.tries = max(1, tries)
        self.backoff = backoff
        self.capacity = max(1, capacity)
        self.timeoutSeconds = timeoutSeconds
        self.sender = sender
    }

    /// Queues `notification` for the pipeline's webhook (or the global one); returns at once.
    /// Does nothing when no webhook is configured for it.
    public func enqueue(_ notification: RunNotification, pipeline: PipelineSpec?) {
        guard let target = settings.target(for: pipeline) else { return }
        lock.lock()
        if pending.count >= capacity {
            let old = pending.removeFirst().notification
            dropped += 1
            logger.warning("notification queue full (\(capacity)): dropped the oldest notification",
                           ["pipeline": old.pipeline, "run": old.run.map { String($0) } ?? "-"])
        }
        pending.append((notification, target))
        let start = !draining
        draining = true
        lock.unlock()
        if start { worker.async { [self] in drain() } }
    }

    /// Sends `notification` now, on the calling thread, with the same tries; returns whether it
    /// was accepted (true also when no webhook is configured for it).
    @discardableResult
    public func send(_ notification: RunNotification, pipeline: PipelineSpec?) -> Bool {
        guard let target = settings.target(for: pipeline) else { return true }
        return deliver(notification, to: target)
    }

    /// Waits until every queued notification was sent or given up; false after `timeout`.
    public func waitUntilIdle(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let idle = !draining && pending.isEmpty
            lock.unlock()
            if idle { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Notifications accepted by a webhook, and dropped because the queue was full.
    public var counts: (delivered: Int, dropped: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (delivered, dropped)
    }

    private func drain() {
        while true {
            lock.lock()
            guard !pending.isEmpty else {
                draining = false
                lock.unlock()
                return
            }
            let next = pending.removeFirst()
            lock.unlock()
            _ = deliver(next.notification, to: next.target)
        }
    }

    private func deliver(_ notification: RunNotification, to target: WebhookTarget) -> Bool {
        let body = notification.json
        let shown = Redaction.redactURL(target.url)
        var delay = backoff
        for attempt in 1...tries {
            switch sender(body, target, timeoutSeconds) {
            case .success:
                lock.lock()
                delivered += 1
                lock.unlock()
                logger.info("notification sent", ["pipeline": notification.pipeline, "webhook": shown])
                return true
            case .failure(let error):
                let message = PersonalData.maskNIKs(in: error.description)
                if attempt < tries {
                    logger.warning("notification not accepted; trying again: \(message)",
                                   ["pipeline": notification.pipeline, "attempt": String(attempt), "in_seconds": String(format: "%.1f", delay)])
                    Thread.sleep(forTimeInterval: delay)
                    delay *= 2
                } else {
                    logger.error("notification given up after \(tries) tries: \(message)", ["pipeline": notification.pipeline])
                }
            }
        }
        return false
    }
}
