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

    /// The event as one JSON object (`simulate --json`), keys in the order above. Written by hand:
    /// `simulate` prints 100,000 lines a second; a test holds it to the `Codable` form.
    public var jsonLine: String {
        var s = "{\"callId\":\(callId),\"batchId\":\(batchId),\"phoneNumber\":"
        JSONEscape.appendString(phoneNumber, to: &s)
        s += ",\"attempt\":\(attempt),\"at\":"
        JSONEscape.appendString(at, to: &s)
        s += ",\"timezone\":"
        JSONEscape.appendString(timezone, to: &s)
        s += ",\"outcome\":"
        JSONEscape.appendString(outcome, to: &s)
        s += "}"
        return s
    }
}
