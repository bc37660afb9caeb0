import AsyncHTTPClient
import DropdialConfig
import Foundation

/// Twilio Programmable Voice (SPEC §9): `POST /2010-04-01/Accounts/{AccountSid}/Calls.json`,
/// form-encoded with basic auth; the outcome from the `completed` status callback, signed with
/// `X-Twilio-Signature`, or from `GET …/Calls/{Sid}.json`.
public struct TwilioBackend: ProviderBackend {
    public var name: String { "twilio" }
    let config: DialerConfig.Twilio
    let authToken: String
    /// `{public_url}/webhooks/twilio`.
    let callbackURL: String
    let http: ProviderHTTP

    public init(config: DialerConfig.Twilio, authToken: String, callbackURL: String, timeoutSeconds: Double,
                client: HTTPClient = .shared) {
        self.config = config
        self.authToken = authToken
        self.callbackURL = callbackURL
        http = ProviderHTTP(client: client, timeoutSeconds: timeoutSeconds)
    }

    var callsURL: String { "\(config.baseURL)/2010-04-01/Accounts/\(config.accountSid)/Calls" }
    var auth: (String, String) {
        ("Authorization", "Basic " + Data("\(config.accountSid):\(authToken)".utf8).base64EncodedString())
    }

    /// The TwiML URL with each of the contact's variables as a query parameter under its own name.
    func twimlURL(_ variables: [String: String]) -> String {
        guard var parts = URLComponents(string: config.twimlURL) else { return config.twimlURL }
        var items = parts.queryItems ?? []
        items += variables.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        parts.queryItems = items.isEmpty ? nil : items
        return parts.string ?? config.twimlURL
    }

    public func create(_ call: CallRequest) async -> CreateResult {
        var form: [(String, String)] = [
            ("To", call.phoneNumber), ("Url", twimlURL(call.variables)),
            ("StatusCallback", callbackURL), ("StatusCallbackEvent", "completed"), ("StatusCallbackMethod", "POST"),
            ("MachineDetection", "Enable"),
        ]
        if let from = call.callingNumber { form.insert(("From", from), at: 1) }
        let reply = await http.send(.POST, callsURL + ".json",
                                    headers: [auth, ("Content-Type", "application/x-www-form-urlencoded")],
                                    body: Data(FormEncoding.encode(form).utf8))
        switch reply {
        case .failure(let fault): return .ended(.failed("Twilio create: \(fault)"))
        case .success(let r):
            if r.status == 429 { return .throttled(retryAfter: r.retryAfter) }
            if (200..<300).contains(r.status), let sid = r.json?.string("sid") { return .placed(providerCallId: sid) }
            let code = r.json?.string("code").flatMap(Int.init)
            let outcome: CallOutcome = code.map(Self.invalidNumberCodes.contains) == true ? .invalidNumber : .failed
            return .ended(CallResult(outcome: outcome, durationSec: 0,
                                     failure: "Twilio create answered \(r.status): \(r.excerpt)"))
        }
    }

    /// REST errors on the create that mean the number cannot be called (SPEC §9).
    static let invalidNumberCodes: Set<Int> = [21211, 21614]

    public func poll(providerCallId sid: String) async -> PollResult {
        switch await http.send(.GET, "\(callsURL)/\(sid).json", headers: [auth], body: nil) {
        case .failure(let fault): return .pending(reason: "\(fault)")
        case .success(let r):
            guard r.status == 200, let call = r.json, let status = call.string("status") else {
                return .pending(reason: "Twilio answered \(r.status): \(r.excerpt)")
            }
            guard let outcome = Self.outcome(status: status, answeredBy: call.string("answered_by")) else {
                return .pending(reason: nil)
            }
            return .final(CallResult(outcome: outcome, durationSec: call.string("duration").flatMap(Double.init) ?? 0))
        }
    }

    public func webhook(_ request: WebhookRequest) -> WebhookVerdict {
        let params = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
        guard let given = request.headers["x-twilio-signature"] else { return .rejected("no X-Twilio-Signature") }
        let expected = WebhookSignature.twilio(url: request.url, parameters: params, authToken: authToken)
        guard WebhookSignature.equal(Array(given.utf8), Array(expected.utf8)) else {
            return .rejected("X-Twilio-Signature does not match")
        }
        let fields = Dictionary(params, uniquingKeysWith: { first, _ in first })
        guard let sid = fields["CallSid"], let status = fields["CallStatus"] else { return .notFinal(providerCallId: nil) }
        guard let outcome = Self.outcome(status: status, answeredBy: fields["AnsweredBy"]) else {
            return .notFinal(providerCallId: sid)
        }
        let duration = fields["CallDuration"].flatMap(Double.init) ?? fields["Duration"].flatMap(Double.init) ?? 0
        return .final(providerCallId: sid, result: CallResult(outcome: outcome, durationSec: duration))
    }

    /// Twilio `CallStatus` (and `AnsweredBy`) → outcome; nil while the call is not final.
    static func outcome(status: String, answeredBy: String?) -> CallOutcome? {
        switch status {
        case "completed":
            if answeredBy == "fax" { return .failed }
            return answeredBy?.hasPrefix("machine") == true ? .voicemail : .completed
        case "busy": return .busy
        case "no-answer": return .noAnswer
        case "failed", "canceled": return .failed
        default: return nil  // queued, initiated, ringing, in-progress
        }
    }
}

/// `application/x-www-form-urlencoded`, as Twilio sends and reads it.
enum FormEncoding {
    static let allowed: CharacterSet = {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
    }()

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ s: String) -> String {
        (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: "%20", with: "+")
    }

    static func decode(_ body: String) -> [(String, String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (unescape(kv[0]), kv.count > 1 ? unescape(kv[1]) : "")
        }
    }
}
