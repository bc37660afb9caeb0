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

/// The concurrency limits `beginAttempt` enforces over the attempts in flight of every node
/// (SPEC §11: `[dialer] max_concurrent_per_batch` and `max_concurrent_per_number`; 0 = unlimited).
/// On SQLite one daemon dials, and its dispatcher's own count is already the whole count.
public struct AttemptLimits: Sendable, Equatable {
    public var perBatch: Int
    public var perNumber: Int

    public init(perBatch: Int, perNumber: Int) {
        self.perBatch = perBatch
        self.perNumber = perNumber
    }

    public static let unlimited = AttemptLimits(perBatch: 0, perNumber: 0)
}
