/// `[dialer]`: which backend places calls, and the concurrency limits (SPEC §7).
public struct DialerConfig: Sendable, Hashable {
    public enum Backend: String, Sendable, Hashable, Decodable {
        case simulate, exec, http, twilio, vapi, retell

        /// True for the backends that reach a voice provider's API (SPEC §9).
        public var isProvider: Bool { self == .twilio || self == .vapi || self == .retell }
    }

    public var backend: Backend
    /// Calls of one batch in flight at once (0 = unlimited).
    public var maxConcurrentPerBatch: Int
    /// Calls on one calling number at once (0 = unlimited).
    public var maxConcurrentPerNumber: Int
    /// Outcomes that are retried; the others are final.
    public var retriedOutcomes: [String]
    /// ``retriedOutcomes`` as outcomes (every name is checked to be one when the config is read).
    public var retried: Set<CallOutcome> { Set(retriedOutcomes.compactMap(CallOutcome.init(rawValue:))) }
    /// On SIGTERM/SIGINT, how long the dialer waits for calls in flight before cancelling them
    /// (they end `failed` and are retried later).
    public var stopTimeoutSeconds: Double
    /// SPEC §11: after this many seconds without a node's heartbeat, another node sharing the
    /// PostgreSQL database takes over its attempts in flight (1 to 86400; default 60).
    public var leaseSeconds: Double = 60
    /// Rate limits on call starts (SPEC §9), on the dialer's clock; 0 = unlimited. Unset
    /// `max_calls_per_second` takes the backend's default, ``callsPerSecond``.
    public var maxCallsPerSecond: Double?
    public var maxCallsPerMinutePerNumber: Int
    public var maxCallsPerMinutePerBatch: Int
    /// `max_calls_per_second` in force: as configured, else 1 for `twilio` (its default CPS) and 0
    /// (unlimited) for the others.
    public var callsPerSecond: Double { maxCallsPerSecond ?? (backend == .twilio ? 1 : 0) }
    public var rateLimits: RateLimits {
        RateLimits(perSecond: callsPerSecond, perMinutePerNumber: maxCallsPerMinutePerNumber,
                   perMinutePerBatch: maxCallsPerMinutePerBatch)
    }
    public var simulate: Simulate
    public var exec: Exec?
    public var http: HTTP?
    public var twilio: Twilio?
    public var vapi: Vapi?
    public var retell: Retell?
    /// The provider backends' timing (SPEC §9).
    public var provider = ProviderTiming()

    public struct ProviderTiming: Sendable, Hashable {
        /// How long a create request may take.
        public var requestTimeoutSeconds: Double = 30
        /// How long after a call was placed the dialer waits for its final webhook before polling.
        public var outcomeTimeoutSeconds: Double = 900
        public var pollIntervalSeconds: Double = 30
        /// A call still not final this long after it was placed is closed as `failed`.
        public var maxCallSeconds: Double = 3600

        public init() {}
    }

    /// `[dialer.twilio]`: the auth token is read from the environment variable `authTokenEnv`.
    public struct Twilio: Sendable, Hashable {
        public var baseURL: String
        public var accountSid: String
        public var authTokenEnv: String
        public var twimlURL: String

        public init(baseURL: String, accountSid: String, authTokenEnv: String, twimlURL: String) {
            self.baseURL = baseURL
            self.accountSid = accountSid
            self.authTokenEnv = authTokenEnv
            self.twimlURL = twimlURL
        }
    }

    /// `[dialer.vapi]`: the batch's calling numbers are Vapi phone-number ids.
    public struct Vapi: Sendable, Hashable {
        public var baseURL: String
        public var apiKeyEnv: String
        public var assistantId: String?
        public var webhookSecretEnv: String

        public init(baseURL: String, apiKeyEnv: String, assistantId: String?, webhookSecretEnv: String) {
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.assistantId = assistantId
            self.webhookSecretEnv = webhookSecretEnv
        }
    }

    /// `[dialer.retell]`
    public struct Retell: Sendable, Hashable {
        public var baseURL: String
        public var apiKeyEnv: String
        public var agentId: String?

        public init(baseURL: String, apiKeyEnv: String, agentId: String?) {
            self.baseURL = baseURL
            self.apiKeyEnv = apiKeyEnv
            self.agentId = agentId
        }
    }

    public struct Simulate: Sendable, Hashable {
        /// A fixed outcome for every attempt, or nil to draw from `weights`.
        public var outcome: String?
        public var weights: [String: Double]
        public var seed: UInt64
        public var durationSec: Double
    }

    public struct Exec: Sendable, Hashable {
        public var command: [String]
        public var timeoutSeconds: Double

        public init(command: [String], timeoutSeconds: Double) {
            self.command = command
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public struct HTTP: Sendable, Hashable {
        public var url: String
        public var statusURL: String?
        public var authHeader: String
        public var authEnv: String?
        public var timeoutSeconds: Double
        public var pollIntervalSeconds: Double
    }

    /// The longest `stop_timeout_seconds` accepted (one hour).
    public static let maxStopTimeoutSeconds = 3600.0
    /// The longest backend `timeout_seconds` accepted (one day).
    public static let maxCallSeconds = 86_400.0

    public static let outcomes = CallOutcome.allCases.map(\.rawValue)

    public init() {
        backend = .simulate
        maxConcurrentPerBatch = 10
        maxConcurrentPerNumber = 1
        retriedOutcomes = CallOutcome.allCases.filter(CallOutcome.defaultRetried.contains).map(\.rawValue)
        stopTimeoutSeconds = 30
        maxCallsPerSecond = nil
        maxCallsPerMinutePerNumber = 0
        maxCallsPerMinutePerBatch = 0
        let weights: [CallOutcome: Double] = [.completed: 0.6, .noAnswer: 0.25, .busy: 0.1, .voicemail: 0.05]
        simulate = Simulate(outcome: nil, weights: Dictionary(uniqueKeysWithValues: weights.map { ($0.rawValue, $1) }),
                            seed: 1, durationSec: 30)
    }
}

extension DialerConfig: Decodable {
    enum Key: String, CodingKey {
        case backend, max_concurrent_per_batch, max_concurrent_per_number, retried_outcomes, stop_timeout_seconds
        case max_calls_per_second, max_calls_per_minute_per_number, max_calls_per_minute_per_batch
        case simulate, exec, http, twilio, vapi, retell
        case request_timeout_seconds, outcome_timeout_seconds, poll_interval_seconds, max_call_seconds
        case lease_seconds
    }

    struct TwilioTable: Decodable {
        var base_url: String?
        var account_sid: String
        var auth_token_env: String?
        var twiml_url: String
    }

    struct VapiTable: Decodable {
        var base_url: String?
        var api_key_env: String?
        var assistant_id: String?
        var webhook_secret_env: String?
    }

    struct RetellTable: Decodable {
        var base_url: String?
        var api_key_env: String?
        var agent_id: String?
    }

    struct SimulateTable: Decodable {
        var outcome: String?
        var weights: [String: Number]?
        var seed: Int?
        var duration_sec: Number?
    }

    struct ExecTable: Decodable {
        var command: [String]
        var timeout_seconds: Number?
    }

    struct HTTPTable: Decodable {
        var url: String
        var status_url: String?
        var auth_header: String?
        var auth_env: String?
        var timeout_seconds: Number?
        var poll_interval_seconds: Number?
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Key.self)
        backend = try c.decodeIfPresent(Backend.self, forKey: .backend) ?? backend
        maxConcurrentPerBatch = try c.decodeIfPresent(Int.self, forKey: .max_concurrent_per_batch) ?? maxConcurrentPerBatch
        maxConcurrentPerNumber = try c.decodeIfPresent(Int.self, forKey: .max_concurrent_per_number) ?? maxConcurrentPerNumber
        retriedOutcomes = try c.decodeIfPresent([String].self, forKey: .retried_outcomes) ?? retriedOutcomes
        stopTimeoutSeconds = try c.decodeIfPresent(Number.self, forKey: .stop_timeout_seconds)?.value ?? stopTimeoutSeconds
        leaseSeconds = try c.decodeIfPresent(Number.self, forKey: .lease_seconds)?.value ?? leaseSeconds
        maxCallsPerSecond = try c.decodeIfPresent(Number.self, forKey: .max_calls_per_second)?.value
        maxCallsPerMinutePerNumber = try c.decodeIfPresent(Int.self, forKey: .max_calls_per_minute_per_number) ?? 0
        maxCallsPerMinutePerBatch = try c.decodeIfPresent(Int.self, forKey: .max_calls_per_minute_per_batch) ?? 0
        provider.requestTimeoutSeconds = try c.decodeIfPresent(Number.self, forKey: .request_timeout_seconds)?.value ?? 30
        provider.outcomeTimeoutSeconds = try c.decodeIfPresent(Number.self, forKey: .outcome_timeout_seconds)?.value ?? 900
        provider.pollIntervalSeconds = try c.decodeIfPresent(Number.self, forKey: .poll_interval_seconds)?.value ?? 30
        provider.maxCallSeconds = try c.decodeIfPresent(Number.self, forKey: .max_call_seconds)?.value ?? 3600
        if let t = try c.decodeIfPresent(TwilioTable.self, forKey: .twilio) {
            twilio = Twilio(baseURL: t.base_url ?? "https://api.twilio.com", accountSid: t.account_sid,
                            authTokenEnv: t.auth_token_env ?? "TWILIO_AUTH_TOKEN", twimlURL: t.twiml_url)
        }
        if let v = try c.decodeIfPresent(VapiTable.self, forKey: .vapi) {
            vapi = Vapi(baseURL: v.base_url ?? "https://api.vapi.ai", apiKeyEnv: v.api_key_env ?? "VAPI_API_KEY",
                        assistantId: v.assistant_id, webhookSecretEnv: v.webhook_secret_env ?? "VAPI_WEBHOOK_SECRET")
        }
        if let r = try c.decodeIfPresent(RetellTable.self, forKey: .retell) {
            retell = Retell(baseURL: r.base_url ?? "https://api.retellai.com", apiKeyEnv: r.api_key_env ?? "RETELL_API_KEY",
                            agentId: r.agent_id)
        }
        if let s = try c.decodeIfPresent(SimulateTable.self, forKey: .simulate) {
            simulate.outcome = s.outcome
            if let w = s.weights { simulate.weights = w.mapValues(\.value) }
            if let seed = s.seed { simulate.seed = UInt64(truncatingIfNeeded: seed) }
            if let d = s.duration_sec { simulate.durationSec = d.value }
        }
        if let e = try c.decodeIfPresent(ExecTable.self, forKey: .exec) {
            exec = Exec(command: e.command, timeoutSeconds: e.timeout_seconds?.value ?? 120)
        }
        if let h = try c.decodeIfPresent(HTTPTable.self, forKey: .http) {
            http = HTTP(url: h.url, statusURL: h.status_url, authHeader: h.auth_header ?? "Authorization",
                        authEnv: h.auth_env, timeoutSeconds: h.timeout_seconds?.value ?? 300,
                        pollIntervalSeconds: h.poll_interval_seconds?.value ?? 2)
        }
    }

    /// Semantic checks; (key, message) pairs under `dialer.`.
    func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        let known = Set(Self.outcomes)
        if let bad = retriedOutcomes.first(where: { !known.contains($0) }) {
            out.append(("retried_outcomes", "\"\(bad)\" is not an outcome; use \(Self.outcomes.joined(separator: ", "))"))
        }
        if let o = simulate.outcome, !known.contains(o) {
            out.append(("simulate.outcome", "\"\(o)\" is not an outcome; use \(Self.outcomes.joined(separator: ", "))"))
        }
        if let bad = simulate.weights.first(where: { !known.contains($0.key) || $0.value < 0 }) {
            out.append(("simulate.weights", "\"\(bad.key)\" must be an outcome with a weight of 0 or more"))
        }
        if maxConcurrentPerBatch < 0 { out.append(("max_concurrent_per_batch", "must be 0 (unlimited) or more")) }
        if maxConcurrentPerNumber < 0 { out.append(("max_concurrent_per_number", "must be 0 (unlimited) or more")) }
        if let r = maxCallsPerSecond, !(0...10_000).contains(r) {
            out.append(("max_calls_per_second", "must be 0 (unlimited) to 10000"))
        }
        if maxCallsPerMinutePerNumber < 0 { out.append(("max_calls_per_minute_per_number", "must be 0 (unlimited) or more")) }
        if maxCallsPerMinutePerBatch < 0 { out.append(("max_calls_per_minute_per_batch", "must be 0 (unlimited) or more")) }
        if !(1...86_400).contains(leaseSeconds) { out.append(("lease_seconds", "must be 1 to 86400 seconds")) }
        if !(0...Self.maxStopTimeoutSeconds).contains(stopTimeoutSeconds) {
            out.append(("stop_timeout_seconds", "must be 0 to \(Int(Self.maxStopTimeoutSeconds)) seconds"))
        }
        if let e = exec, !(e.timeoutSeconds > 0 && e.timeoutSeconds <= Self.maxCallSeconds) {
            out.append(("exec.timeout_seconds", "must be more than 0 and at most \(Int(Self.maxCallSeconds)) seconds"))
        }
        if let h = http, !(h.timeoutSeconds > 0 && h.timeoutSeconds <= Self.maxCallSeconds) {
            out.append(("http.timeout_seconds", "must be more than 0 and at most \(Int(Self.maxCallSeconds)) seconds"))
        }
        if let h = http, !(h.pollIntervalSeconds >= 0.01 && h.pollIntervalSeconds <= 3600) {
            out.append(("http.poll_interval_seconds", "must be 0.01 to 3600 seconds"))
        }
        let timing: [(String, Double, ClosedRange<Double>)] = [
            ("request_timeout_seconds", provider.requestTimeoutSeconds, 0.1...600),
            ("outcome_timeout_seconds", provider.outcomeTimeoutSeconds, 0.1...Self.maxCallSeconds),
            ("poll_interval_seconds", provider.pollIntervalSeconds, 0.1...3600),
            ("max_call_seconds", provider.maxCallSeconds, 1...Self.maxCallSeconds),
        ]
        for (key, value, range) in timing where !range.contains(value) {
            out.append((key, "must be \(range.lowerBound) to \(Int(range.upperBound)) seconds"))
        }
        for (key, url) in [("twilio.base_url", twilio?.baseURL), ("twilio.twiml_url", twilio?.twimlURL),
                           ("vapi.base_url", vapi?.baseURL), ("retell.base_url", retell?.baseURL)] {
            if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                out.append((key, "\"\(url)\" is not an http:// or https:// URL"))
            }
        }
        if backend == .twilio && twilio == nil {
            out.append(("twilio.account_sid", "backend \"twilio\" needs [dialer.twilio] account_sid and twiml_url"))
        }
        if backend == .vapi && vapi == nil {
            out.append(("vapi.api_key_env", "backend \"vapi\" needs a [dialer.vapi] table"))
        }
        if backend == .retell && retell == nil {
            out.append(("retell.api_key_env", "backend \"retell\" needs a [dialer.retell] table"))
        }
        if backend == .exec && (exec?.command.isEmpty ?? true) {
            out.append(("exec.command", "backend \"exec\" needs [dialer.exec] command = [\"/path/to/dialer\", …]"))
        }
        if backend == .http && http == nil {
            out.append(("http.url", "backend \"http\" needs [dialer.http] url = \"https://…\""))
        }
        return out
    }
}

/// The rate limits on call starts (SPEC §9); 0 = unlimited.
public struct RateLimits: Sendable, Hashable {
    public var perSecond: Double
    public var perMinutePerNumber: Int
    public var perMinutePerBatch: Int

    public init(perSecond: Double = 0, perMinutePerNumber: Int = 0, perMinutePerBatch: Int = 0) {
        self.perSecond = perSecond
        self.perMinutePerNumber = perMinutePerNumber
        self.perMinutePerBatch = perMinutePerBatch
    }

    public static let unlimited = RateLimits()
    public var isUnlimited: Bool { self == .unlimited }
}
