import DropdialConfig
import Foundation

/// What a backend receives for one attempt: the call JSON of the exec and http backends.
public struct CallRequest: Sendable, Codable, Equatable {
    /// Deterministic per (batch, call, attempt): a backend that sees it twice must not dial twice.
    public var idempotencyKey: String
    public var batchId: Int64
    public var callId: Int64
    public var attempt: Int
    public var phoneNumber: String
    public var callingNumber: String?
    public var agentId: String?
    public var timezone: String
    /// The row's other columns, as imported.
    public var variables: [String: String]

    public init(idempotencyKey: String, batchId: Int64, callId: Int64, attempt: Int, phoneNumber: String,
                callingNumber: String?, agentId: String?, timezone: String, variables: [String: String]) {
        self.idempotencyKey = idempotencyKey
        self.batchId = batchId
        self.callId = callId
        self.attempt = attempt
        self.phoneNumber = phoneNumber
        self.callingNumber = callingNumber
        self.agentId = agentId
        self.timezone = timezone
        self.variables = variables
    }

    /// `b<batch>-c<call>-a<attempt>`.
    public static func key(batch: Int64, call: Int64, attempt: Int) -> String {
        "b\(batch)-c\(call)-a\(attempt)"
    }
}

/// What a backend reports back.
public struct CallResult: Sendable, Codable, Equatable {
    public var outcome: CallOutcome
    public var durationSec: Double
    /// Why the backend could not get an outcome (a timeout, an exit status, an HTTP error…); set
    /// only on `failed` results the backend made up itself. The dispatcher logs it.
    public var failure: String?

    public init(outcome: CallOutcome, durationSec: Double, failure: String? = nil) {
        self.outcome = outcome
        self.durationSec = durationSec
        self.failure = failure
    }

    /// `failed` because of `reason`, with no duration.
    public static func failed(_ reason: String) -> CallResult {
        CallResult(outcome: .failed, durationSec: 0, failure: reason)
    }
}
