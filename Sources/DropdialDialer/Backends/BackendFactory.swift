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

    public static func make(_ config: DialerConfig) throws(Failure) -> any CallBackend {
        switch config.backend {
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
