import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs the call JSON to a provider. The response carries the outcome, or a call id whose status
/// URL is polled until the outcome is final or the timeout passes; anything else is `failed`.
public struct HTTPBackend: CallBackend {
    public struct Settings: Sendable {
        public var url: String
        /// With `{callId}` in it, e.g. `https://provider/calls/{callId}`.
        public var statusURL: String?
        public var authHeader: String
        /// The header's value (read from the configured environment variable).
        public var authValue: String?
        public var timeoutSeconds: Double
        public var pollIntervalSeconds: Double

        public init(url: String, statusURL: String?, authHeader: String, authValue: String?,
                    timeoutSeconds: Double, pollIntervalSeconds: Double) {
            self.url = url
            self.statusURL = statusURL
            self.authHeader = authHeader
            self.authValue = authValue
            self.timeoutSeconds = timeoutSeconds
            self.pollIntervalSeconds = pollIntervalSeconds
        }
    }

    public let settings: Settings
    let client: HTTPClient

    public init(settings: Settings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    /// What a provider answers: an outcome (final), or a call id to poll; `status` may say "pending".
    struct Reply: Decodable {
        var outcome: String?
        var durationSec: Double?
        var callId: String?
    }

    public func place(_ call: CallRequest) async -> CallResult {
        let failed = CallResult(outcome: .failed, durationSec: 0)
        let deadline = Date().addingTimeInterval(settings.timeoutSeconds)
        guard let body = try? JSONEncoder().encode(call),
              let first = await send(method: .POST, url: settings.url, body: body, key: call.idempotencyKey, deadline: deadline)
        else { return failed }
        if let result = Self.result(first) { return result }
        guard let callId = first.callId, let template = settings.statusURL else { return failed }
        let statusURL = template.replacingOccurrences(
            of: "{callId}", with: callId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? callId)
        while Date() < deadline {
            try? await Task.sleep(for: .seconds(settings.pollIntervalSeconds))
            if let reply = await send(method: .GET, url: statusURL, body: nil, key: call.idempotencyKey, deadline: deadline),
               let result = Self.result(reply) {
                return result
            }
        }
        return failed
    }

    static func result(_ reply: Reply) -> CallResult? {
        guard let name = reply.outcome else { return nil }
        return CallResult(outcome: CallOutcome(rawValue: name) ?? .failed, durationSec: reply.durationSec ?? 0)
    }

    /// One request; nil on a transport error, a non-2xx status or an unreadable body.
    private func send(method: HTTPMethod, url: String, body: Data?, key: String, deadline: Date) async -> Reply? {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: key)
        if let value = settings.authValue { request.headers.add(name: settings.authHeader, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let remaining = max(deadline.timeIntervalSinceNow, 0.1)
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(remaining * 1000)))
            guard (200..<300).contains(response.status.code) else { return nil }
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return try JSONDecoder().decode(Reply.self, from: Data(bytes.readableBytesView))
        } catch {
            return nil
        }
    }
}
