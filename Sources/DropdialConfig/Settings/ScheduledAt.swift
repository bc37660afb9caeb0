import Foundation

/// `scheduledAt` text (SPEC §7): ISO 8601 extended format and nothing else, parsed byte by byte
/// (no ICU, so no surprises from its lenient parser):
///
///     YYYY-MM-DDTHH:MM[:SS[(.|,)F…]][Z|±HH:MM]
///
/// - the year is 1970–9999, the month and day a real calendar date (`2026-02-30` is refused, not
///   moved to March), hours 00–23, minutes and seconds 00–59;
/// - the offset is two-digit hours and minutes within ±14:00; without a designator it is UTC;
/// - a fraction (1–9 digits) rounds *up* to the next whole second, so no attempt is ever placed
///   before the instant written.
public enum ScheduledAt {
    /// Why a text is refused, in words a person can act on.
    public static func problem(_ text: String) -> String? {
        switch parse(text) {
        case .success: return nil
        case .failure(let reason): return "\"\(text.prefix(64))\" \(reason.rawValue); write e.g. \"2026-05-01T09:00:00Z\" or \"2026-05-01T09:00-05:00\""
        }
    }

    /// The instant written, rounded up to a whole second; nil when the text is not of the form above.
    public static func date(_ text: String) -> Date? {
        if case .success(let d) = parse(text) { return d }
        return nil
    }

    public enum Refusal: String, Error, Sendable {
        case form = "is not an ISO 8601 date-time YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]"
        case year = "has a year outside 1970–9999"
        case date = "is not a calendar date"
        case time = "is not a time of day (hours 00–23, minutes and seconds 00–59)"
        case offset = "has an offset outside ±14:00 (write ±HH:MM)"
    }

    public static func parse(_ text: String) -> Result<Date, Refusal> {
        let b = Array(text.utf8)
        guard b.count >= 16, b.count <= 40 else { return .failure(.form) }
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        func byte(_ at: Int, _ c: Character) -> Bool { at < b.count && b[at] == c.asciiValue! }
        guard let year = digits(0, 4), byte(4, "-"), let month = digits(5, 2), byte(7, "-"), let day = digits(8, 2),
              byte(10, "T"), let hour = digits(11, 2), byte(13, ":"), let minute = digits(14, 2)
        else { return .failure(.form) }
        var i = 16
        var second = 0
        var roundUp = false
        if byte(i, ":") {
            guard let s = digits(i + 1, 2) else { return .failure(.form) }
            second = s
            i += 3
            if byte(i, ".") || byte(i, ",") {
                i += 1
                let start = i
                while i < b.count, (0x30...0x39).contains(b[i]) { i += 1 }
                guard (1...9).contains(i - start) else { return .failure(.form) }
                roundUp = b[start..<i].contains { $0 != 0x30 }
            }
        }
        var offsetSeconds = 0
        if i < b.count {
            if byte(i, "Z"), i + 1 == b.count {
                i += 1
            } else if byte(i, "+") || byte(i, "-") {
                guard i + 6 == b.count, let oh = digits(i + 1, 2), byte(i + 3, ":"), let om = digits(i + 4, 2)
                else { return .failure(.form) }
                guard om < 60, oh * 60 + om <= 14 * 60 else { return .failure(.offset) }
                offsetSeconds = (oh * 3600 + om * 60) * (byte(i, "-") ? -1 : 1)
                i += 6
            } else {
                return .failure(.form)
            }
        }
        guard i == b.count else { return .failure(.form) }
        guard (1970...9999).contains(year) else { return .failure(.year) }
        guard SettingsCheck.isCalendarDate(year: year, month: month, day: day) else { return .failure(.date) }
        guard hour < 24, minute < 60, second < 60 else { return .failure(.time) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let midnight = utc.date(from: DateComponents(year: year, month: month, day: day)) else {
            return .failure(.date)
        }
        let seconds = midnight.timeIntervalSince1970 + Double(hour * 3600 + minute * 60 + second + (roundUp ? 1 : 0))
            - Double(offsetSeconds)
        return .success(Date(timeIntervalSince1970: seconds))
    }
}
