import DropdialConfig
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
        let deadline = NIODeadline.now() + .nanoseconds(Int64(min(settings.timeoutSeconds, 1e9) * 1e9))
        guard let body = try? JSONEncoder().encode(call) else { return .failed("the call cannot be encoded as JSON") }
        let first: Reply
        switch await send(method: .POST, url: settings.url, body: body, key: call.idempotencyKey, deadline: deadline) {
        case .success(let reply): first = reply
        case .failure(let failure): return .failed("POST \(settings.url): \(failure)")
        }
        if let result = Self.result(first) { return result }
        guard let callId = first.callId else { return .failed("POST \(settings.url): the reply has neither outcome nor callId") }
        guard let template = settings.statusURL else {
            return .failed("POST \(settings.url): the reply is a callId, and [dialer.http] status_url is not set")
        }
        let statusURL = template.replacingOccurrences(
            of: "{callId}", with: callId.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? callId)
        var last = "no poll was answered"
        while NIODeadline.now() < deadline {
            do {
                try await Task.sleep(for: .seconds(settings.pollIntervalSeconds))
            } catch {
                return .failed("the dialer stopped while polling \(statusURL)")
            }
            switch await send(method: .GET, url: statusURL, body: nil, key: call.idempotencyKey, deadline: deadline) {
            case .success(let reply):
                if let result = Self.result(reply) { return result }
                last = "the last poll was still pending"
            case .failure(.cancelled):
                return .failed("the dialer stopped while polling \(statusURL)")
            case .failure(let failure):
                last = "the last poll: \(failure)"
            }
        }
        return .failed("GET \(statusURL): no outcome within timeout_seconds (\(settings.timeoutSeconds) s); \(last)")
    }

    static func result(_ reply: Reply) -> CallResult? {
        guard let name = reply.outcome else { return nil }
        guard let outcome = CallOutcome(rawValue: name) else {
            return .failed("the provider answered an unknown outcome \"\(name)\"")
        }
        return CallResult(outcome: outcome, durationSec: reply.durationSec ?? 0)
    }

    /// Why one request gave no reply.
    enum Failure: Error, CustomStringConvertible {
        case deadline(Double)
        case cancelled
        case status(UInt)
        case body(String)
        case transport(String)

        var description: String {
            switch self {
            case .deadline(let s): "no complete reply within timeout_seconds (\(s) s)"
            case .cancelled: "the dialer stopped before the reply came"
            case .status(let code): "HTTP status \(code)"
            case .body(let why): "unreadable reply: \(why)"
            case .transport(let why): why
            }
        }
    }

    /// One request. The deadline is AsyncHTTPClient's request deadline, which covers connecting,
    /// the response head and the whole body (a provider trickling its reply cannot hold the call);
    /// a cancelled task cancels the request.
    private func send(method: HTTPMethod, url: String, body: Data?, key: String,
                      deadline: NIODeadline) async -> Result<Reply, Failure> {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Idempotency-Key", value: key)
        if let value = settings.authValue { headers.add(name: settings.authHeader, value: value) }
        let response: HTTPClient.Response
        do {
            let request = try HTTPClient.Request(url: url, method: method, headers: headers,
                                                 body: body.map { .bytes($0) })
            let task = client.execute(request: request, delegate: ResponseAccumulator(request: request, maxBodySize: 1 << 20),
                                      deadline: deadline)
            response = try await withTaskCancellationHandler {
                try await task.get()
            } onCancel: {
                task.cancel()
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return .failure(.deadline(settings.timeoutSeconds))
        } catch let error as HTTPClientError where error == .cancelled {
            return .failure(.cancelled)
        } catch {
            return .failure(.transport("\(error)"))
        }
        guard (200..<300).contains(response.status.code) else { return .failure(.status(response.status.code)) }
        do {
            return .success(try JSONDecoder().decode(Reply.self, from: Data((response.body ?? ByteBuffer()).readableBytesView)))
        } catch {
            return .failure(.body("not JSON with outcome or callId"))
        }
    }
}
