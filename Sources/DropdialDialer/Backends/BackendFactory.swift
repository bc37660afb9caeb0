import DropdialConfig
import Foundation

/// Builds the configured backend (SPEC §7).
public enum BackendFactory {
    public enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        public var description: String {
            switch self { case .unavailable(let m): m }
        }
    }

    /// The simulated backend of `[dialer.simulate]`, or every attempt ending with `fixed`.
    public static func simulated(_ config: DialerConfig, fixed: CallOutcome? = nil) -> SimulatedBackend {
        let s = config.simulate
        if let outcome = fixed ?? s.outcome.flatMap(CallOutcome.init(rawValue:)) {
            return SimulatedBackend(mode: .fixed(outcome), durationSec: s.durationSec)
        }
        let weights = CallOutcome.allCases.compactMap { o in s.weights[o.rawValue].map { (o, $0) } }
        return SimulatedBackend(mode: .weighted(weights, seed: s.seed), durationSec: s.durationSec)
    }

    /// The environment variable `name`, which must be set and not empty.
    static func secret(_ name: String, for table: String) throws(Failure) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw .unavailable("[dialer.\(table)] reads its secret from the environment variable \(name), which is not set")
        }
        return value
    }

    /// The configured backend; `publicBase` is where providers post their webhooks (`[http] public_url`).
    public static func make(_ config: DialerConfig, publicBase: String = "http://127.0.0.1:8080") throws(Failure) -> any CallBackend {
        let timeout = config.provider.requestTimeoutSeconds
        switch config.backend {
        case .twilio:
            guard let t = config.twilio else { throw .unavailable("[dialer.twilio] is missing") }
            return TwilioBackend(config: t, authToken: try secret(t.authTokenEnv, for: "twilio"),
                                 callbackURL: publicBase + "/webhooks/twilio", timeoutSeconds: timeout)
        case .vapi:
            guard let v = config.vapi else { throw .unavailable("[dialer.vapi] is missing") }
            return VapiBackend(config: v, apiKey: try secret(v.apiKeyEnv, for: "vapi"),
                               webhookSecret: try secret(v.webhookSecretEnv, for: "vapi"), timeoutSeconds: timeout)
        case .retell:
            guard let r = config.retell else { throw .unavailable("[dialer.retell] is missing") }
            return RetellBackend(config: r, apiKey: try secret(r.apiKeyEnv, for: "retell"), timeoutSeconds: timeout)
        case .simulate:
            return simulated(config)
        case .exec:
            guard let exec = config.exec else { throw .unavailable("[dialer.exec] command is missing") }
            return ExecBackend(command: exec.command, timeoutSeconds: exec.timeoutSeconds)
        case .http:
            guard let http = config.http else { throw .unavailable("[dialer.http] url is missing") }
            var authValue: String?
            if let name = http.authEnv {
                guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                    throw .unavailable("[dialer.http] auth_env names \(name), which is not set in the environment")
                }
                authValue = value
            }
            return HTTPBackend(settings: .init(url: http.url, statusURL: http.statusURL, authHeader: http.authHeader,
                                               authValue: authValue, timeoutSeconds: http.timeoutSeconds,
                                               pollIntervalSeconds: http.pollIntervalSeconds))
        }
    }
}
