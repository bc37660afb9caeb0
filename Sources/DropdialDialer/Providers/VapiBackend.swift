import AsyncHTTPClient
import DropdialConfig
import Foundation

/// Vapi (SPEC §9): `POST /call` with a Bearer key; the outcome from the `end-of-call-report`
/// message, accepted only with the configured `x-vapi-secret`, or from `GET /call/{id}`. The
/// batch's calling numbers are Vapi phone-number ids.
public struct VapiBackend: ProviderBackend {
    public var name: String { "vapi" }
    let config: DialerConfig.Vapi
    let apiKey: String
    let webhookSecret: String
    let http: ProviderHTTP

    public init(config: DialerConfig.Vapi, apiKey: String, webhookSecret: String, timeoutSeconds: Double,
                client: HTTPClient = .shared) {
        self.config = config
        self.apiKey = apiKey
        self.webhookSecret = webhookSecret
        http = ProviderHTTP(client: client, timeoutSeconds: timeoutSeconds)
    }

    var headers: [(String, String)] { [("Authorization", "Bearer \(apiKey)"), ("Content-Type", "application/json")] }

    public func create(_ call: CallRequest) async -> CreateResult {
        var body: [String: Any] = ["customer": ["number": call.phoneNumber]]
        if let assistant = call.agentId ?? config.assistantId { body["assistantId"] = assistant }
        if let from = call.callingNumber { body["phoneNumberId"] = from }
        if !call.variables.isEmpty { body["assistantOverrides"] = ["variableValues": call.variables] }
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            return .ended(.failed("the Vapi call cannot be encoded as JSON"))
        }
        switch await http.send(.POST, "\(config.baseURL)/call", headers: headers, body: data) {
        case .failure(let fault): return .ended(.failed("Vapi create: \(fault)"))
        case .success(let r):
            if r.status == 429 { return .throttled(retryAfter: r.retryAfter) }
            if (200..<300).contains(r.status), let id = r.json?.string("id") { return .placed(providerCallId: id) }
            return .ended(.failed("Vapi create answered \(r.status): \(r.excerpt)"))
        }
    }

    public func poll(providerCallId id: String) async -> PollResult {
        switch await http.send(.GET, "\(config.baseURL)/call/\(id)", headers: headers, body: nil) {
        case .failure(let fault): return .pending(reason: "\(fault)")
        case .success(let r):
            guard r.status == 200, let call = r.json else { return .pending(reason: "Vapi answered \(r.status): \(r.excerpt)") }
            guard call.string("status") == "ended" else { return .pending(reason: nil) }
            return .final(CallResult(outcome: Self.outcome(endedReason: call.string("endedReason") ?? ""),
                                     durationSec: Self.duration(call)))
        }
    }

    public func webhook(_ request: WebhookRequest) -> WebhookVerdict {
        guard let given = request.headers["x-vapi-secret"] else { return .rejected("no x-vapi-secret") }
        guard WebhookSignature.equal(Array(given.utf8), Array(webhookSecret.utf8)) else {
            return .rejected("x-vapi-secret does not match")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let message = root.object("message") else { return .notFinal(providerCallId: nil) }
        let id = message.object("call")?.string("id")
        guard message.string("type") == "end-of-call-report", let id else { return .notFinal(providerCallId: id) }
        let duration = (message["durationSeconds"] as? NSNumber)?.doubleValue ?? Self.duration(message)
        return .final(providerCallId: id, result: CallResult(
            outcome: Self.outcome(endedReason: message.string("endedReason") ?? ""), durationSec: duration))
    }

    /// Vapi `endedReason` → outcome (SPEC §9).
    static func outcome(endedReason reason: String) -> CallOutcome {
        switch reason {
        case "customer-did-not-answer": return .noAnswer
        case "customer-busy": return .busy
        case "voicemail": return .voicemail
        default: return reason.contains("error") || reason.contains("failed") ? .failed : .completed
        }
    }

    /// Seconds between `startedAt` and `endedAt` (ISO 8601), or 0.
    static func duration(_ object: [String: Any]) -> Double {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func date(_ key: String) -> Date? {
            object.string(key).flatMap { f.date(from: $0) ?? ISO8601DateFormatter().date(from: $0) }
        }
        guard let start = date("startedAt"), let end = date("endedAt") else { return 0 }
        return max(0, end.timeIntervalSince(start))
    }
}
