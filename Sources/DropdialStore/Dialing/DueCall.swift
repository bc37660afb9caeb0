import DropdialConfig
import Foundation
import GRDB

/// A pending call whose next attempt time has come, with what the dialer needs to place it.
public struct DueCall: Sendable, Equatable, FetchableRecord {
    public var id: Int64
    public var batchId: Int64
    public var phoneNumber: String
    /// Resolved zone(s), comma-separated.
    public var zones: String
    public var variablesJSON: String
    /// Attempts already made.
    public var attempts: Int
    /// Attempts made before the current attempt cycle (`add-calls` requeued a finished call).
    public var cycleBase: Int
    /// Unix seconds.
    public var nextAttemptAt: Int64

    public init(id: Int64, batchId: Int64, phoneNumber: String, zones: String, variablesJSON: String, attempts: Int,
                cycleBase: Int, nextAttemptAt: Int64) {
        self.id = id
        self.batchId = batchId
        self.phoneNumber = phoneNumber
        self.zones = zones
        self.variablesJSON = variablesJSON
        self.attempts = attempts
        self.cycleBase = cycleBase
        self.nextAttemptAt = nextAttemptAt
    }

    public init(row: Row) {
        id = row["id"]
        batchId = row["batchId"]
        phoneNumber = row["phoneNumber"]
        zones = row["zones"]
        variablesJSON = row["variables"]
        attempts = row["attempts"]
        cycleBase = row["cycleBase"]
        nextAttemptAt = row["nextAttemptAt"]
    }
}

/// An attempt found still open at startup: the process died while it was in flight.
public struct OpenAttempt: Sendable, Equatable {
    public var callId: Int64
    public var batchId: Int64
    public var attempt: Int
    /// Attempts made before the call's current cycle.
    public var cycleBase: Int
    public var zones: String
}

/// How `beginAttempt` ended.
public enum AttemptStart: Sendable, Equatable {
    /// Recorded: place the call now.
    case began
    /// The call was no longer pending (paused, cancelled, taken by another pass).
    case notPending
    /// The number is on the do-not-call list: the call ended `suppressed`, nothing to dial.
    case suppressed
    /// Nothing was recorded: the batch, or the calling number, already has as many attempts in
    /// flight as `AttemptLimits` allow, counted across every node. The call stays pending.
    case atLimit
}

/// The limits `beginAttempt` enforces over the attempts of every node (SPEC §11): the concurrency
/// limits (`[dialer] max_concurrent_per_batch` and `max_concurrent_per_number`; 0 = unlimited) over
/// the attempts in flight, the rate limits (`max_calls_per_second`…) as the least time between two
/// starts, and the compliance limits of the rules the call matches over its number's attempts.
/// On SQLite one daemon dials, and its dispatcher's own counts are already the whole count.
public struct AttemptLimits: Sendable, Equatable {
    public var perBatch: Int
    public var perNumber: Int
    /// The rate limits on call starts (all calls, per calling number, per batch).
    public var rates: RateLimits
    /// The compliance limits of the rules the call matches (set per call).
    public var perCalledNumber: [WindowLimit]

    public init(perBatch: Int, perNumber: Int, rates: RateLimits = .unlimited, perCalledNumber: [WindowLimit] = []) {
        self.perBatch = perBatch
        self.perNumber = perNumber
        self.rates = rates
        self.perCalledNumber = perCalledNumber
    }

    public static let unlimited = AttemptLimits(perBatch: 0, perNumber: 0)

    /// Seconds between two starts: of all calls, of one batch's calls, of calls on one calling
    /// number (0 = unlimited). A limit of `n` per period lets a call start every `period / n`, as
    /// the dispatcher's own token buckets do, so no window of the period holds more than `n`.
    var globalGap: Double { rates.perSecond > 0 ? 1 / rates.perSecond : 0 }
    var batchGap: Double { rates.perMinutePerBatch > 0 ? 60 / Double(rates.perMinutePerBatch) : 0 }
    var numberGap: Double { rates.perMinutePerNumber > 0 ? 60 / Double(rates.perMinutePerNumber) : 0 }
}

/// At most `attempts` attempts to one E.164 number in any `seconds` (a compliance rule's limit):
/// an attempt made at `a` counts for every instant `t` with `a <= t < a + seconds`.
public struct WindowLimit: Sendable, Equatable {
    public var attempts: Int
    public var seconds: Double

    public init(attempts: Int, seconds: Double) {
        self.attempts = attempts
        self.seconds = seconds
    }
}
