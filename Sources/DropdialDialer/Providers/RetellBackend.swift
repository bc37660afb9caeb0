import AsyncHTTPClient
import DropdialConfig
import Foundation

/// Retell (SPEC §9): `POST /v2/create-phone-call` with a Bearer key; the outcome from the
/// `call_ended` event, accepted only with a valid `x-retell-signature` made within 5 minutes, or
/// from `GET /v2/get-call/{id}`.
public struct RetellBackend: ProviderBackend {
    public var name: String { "retell" }
    let config: DialerConfig.Retell
    let apiKey: String
    let http: ProviderHTTP

    /// How far a signature's time may be from now (SPEC §9: 5 minutes).
    static let signatureTolerance: Double = 300

    public init(config: DialerConfig.Retell, apiKey: String, timeoutSeconds: Double, client: HTTPClient = .shared) {
        self.config = config
        self.apiKey = apiKey
        http = ProviderHTTP(client: client, timeoutSeconds: timeoutSeconds)
    }

    var headers: [(String, String)] { [("Authorization", "Bearer \(apiKey)"), ("Content-Type", "application/json")] }

    public func create(_ call: CallRequest) async -> CreateResult {
        var body: [String: Any] = ["to_number": call.phoneNumber]
        if let from = call.callingNumber { body["from_number"] = from }
        if let agent = call.agentId ?? config.agentId { body["override_agent_id"] = agent }
        if !call.variables.isEmpty { body["retell_llm_dynamic_variables"] = call.variables }
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            return .ended(.failed("the Retell call cannot be encoded as JSON"))
        }
        switch await http.send(.POST, "\(config.baseURL)/v2/create-phone-call", headers: headers, body: data) {
        case .failure(let fault): return .ended(.failed("Retell create: \(fault)"))
        case .success(let r):
            if r.status == 429 { return .throttled(retryAfter: r.retryAfter) }
            if (200..<300).contains(r.status), let id = r.json?.string("call_id") { return .placed(providerCallId: id) }
            return .ended(.failed("Retell create answered \(r.status): \(r.excerpt)"))
        }
    }

    public func poll(providerCallId id: String) async -> PollResult {
        switch await http.send(.GET, "\(config.baseURL)/v2/get-call/\(id)", headers: headers, body: nil) {
        case .failure(let fault): return .pending(reason: "\(fault)")
        case .success(let r):
            guard r.status == 200, let call = r.json else { return .pending(reason: "Retell answered \(r.status): \(r.excerpt)") }
            guard let status = call.string("call_status"), Self.finalStatuses.contains(status) else { return .pending(reason: nil) }
            return .final(Self.result(call))
        }
    }

    /// Final `call_status` values when polling (SPEC §9).
    static let finalStatuses: Set<String> = ["ended", "error", "not_connected"]

    public func webhook(_ request: WebhookRequest) -> WebhookVerdict {
        guard let header = request.headers["x-retell-signature"] else { return .rejected("no x-retell-signature") }
        var ms: String?, hex: String?
        for part in header.split(separator: ",") {
            if part.hasPrefix("v=") { ms = String(part.dropFirst(2)) }
            if part.hasPrefix("d=") { hex = String(part.dropFirst(2)) }
        }
        guard let ms, let hex, let millis = Double(ms) else { return .rejected("x-retell-signature is not v=MS,d=HEX") }
        let expected = WebhookSignature.retell(body: request.body, milliseconds: ms, apiKey: apiKey)
        guard WebhookSignature.equal(Array(hex.lowercased().utf8), Array(expected.utf8)) else {
            return .rejected("x-retell-signature does not match")
        }
        guard abs(request.now.timeIntervalSince1970 - millis / 1000) <= Self.signatureTolerance else {
            return .rejected("x-retell-signature is more than 5 minutes from now")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let call = root.object("call") else { return .notFinal(providerCallId: nil) }
        let id = call.string("call_id")
        guard root.string("event") == "call_ended", let id else { return .notFinal(providerCallId: id) }
        return .final(providerCallId: id, result: Self.result(call))
    }

    static func result(_ call: [String: Any]) -> CallResult {
        let ms = (call["duration_ms"] as? NSNumber)?.doubleValue ?? 0
        return CallResult(outcome: outcome(disconnectionReason: call.string("disconnection_reason") ?? ""),
                          durationSec: ms / 1000)
    }

    /// Retell `disconnection_reason` → outcome (SPEC §9).
    static func outcome(disconnectionReason reason: String) -> CallOutcome {
        switch reason {
        case "dial_no_answer": return .noAnswer
        case "dial_busy": return .busy
        case "dial_failed": return .failed
        case "voicemail_reached", "machine_detected": return .voicemail
        case "user_declined": return .declined
        case "invalid_destination": return .invalidNumber
        default: return reason.contains("error") ? .failed : .completed
        }
    }
}
