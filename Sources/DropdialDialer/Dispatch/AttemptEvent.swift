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

    /// `YYYY-MM-DDTHH:MM:SSZ` of the whole second at or before `date`, without a formatter per call.
    static func utc(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = Int((Double(seconds) / 86_400).rounded(.down))
        let (y, m, d) = CivilDay.date(day)
        let s = seconds - day * 86_400
        var text = ""
        text.reserveCapacity(20)
        func pad(_ v: Int, _ width: Int) {
            let digits = String(v)
            text += String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        pad(y, 4); text += "-"; pad(m, 2); text += "-"; pad(d, 2); text += "T"
        pad(s / 3600, 2); text += ":"; pad(s / 60 % 60, 2); text += ":"; pad(s % 60, 2); text += "Z"
        return text
    }
}
