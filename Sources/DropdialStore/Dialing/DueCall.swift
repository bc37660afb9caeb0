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
}
