import DropdialBase
import Foundation

/// One placed attempt, as `simulate --json` prints it (one JSON object per line, in time order).
public struct AttemptEvent: Sendable, Codable, Equatable {
    public var callId: Int64
    public var batchId: Int64
    public var phoneNumber: String
    public var attempt: Int
    /// UTC, ISO 8601 with `Z`.
    public var at: String
    public var timezone: String
    public var outcome: String
}
