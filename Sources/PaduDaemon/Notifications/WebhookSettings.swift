import Foundation
import PaduCore

/// Where failed runs are reported: the global webhook (`PADU_WEBHOOK_URL`, with an optional
/// bearer token `PADU_WEBHOOK_TOKEN`) and each pipeline's own (`notify: .webhook(...)`).
public struct WebhookSettings: Sendable, Hashable {
    /// The global webhook, or nil.
    public var url: String?
    /// Sent as `Authorization: Bearer` to the global webhook only: a pipeline's own URL is
    /// written in a pipeline file, and the token is not handed to hosts the operator did not choose.
    public var token: String?

    public init(url: String? = nil, token: String? = nil) {
        self.url = url
        self.token = token
    }

    /// The settings from `PADU_WEBHOOK_URL` and `PADU_WEBHOOK_TOKEN` (empty values are unset).
    public static func from(environment: [String: String]) -> WebhookSettings {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        return WebhookSettings(url: value("PADU_WEBHOOK_URL"), token: value("PADU_WEBHOOK_TOKEN"))
    }

    /// Where a run of `pipeline` is reported: its own URL when it has one, else the global one.
    public func target(for pipeline: PipelineSpec?) -> WebhookTarget? {
        if let own = pipeline?.notifyURL { return WebhookTarget(url: own, token: own == url ? token : nil) }
        guard let url else { return nil }
        return WebhookTarget(url: url, token: token)
    }

    /// True for an absolute http:// or https:// URL with a host.
    public static func isWebhookURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), let c = URLComponents(string: text),
              let host = c.host, !host.isEmpty else { return false }
        return true
    }
}

/// One webhook to POST to.
public struct WebhookTarget: Sendable, Hashable {
    public var url: String
    public var token: String?

    public init(url: String, token: String? = nil) {
        self.url = url
        self.token = token
    }
}
