import Foundation

/// Value checks shared by the config file and per-file manifests; each returns a message or nil.
public enum SettingsCheck {
    public static let ianaZones: Set<String> = Set(TimeZone.knownTimeZoneIdentifiers)

    /// True for an IANA zone name such as `America/New_York`, `UTC`, or a backward link like
    /// `US/Eastern`; abbreviations Foundation would map (`PST`) are not zone names.
    public static func isIANAZone(_ name: String) -> Bool {
        if ianaZones.contains(name) { return true }
        guard !name.isEmpty, !name.contains(".."), !name.hasPrefix("/"),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }),
              TimeZone(identifier: name) != nil
        else { return false }
        return FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + name)
    }

    public static func timezone(_ name: String) -> String? {
        isIANAZone(name) ? nil : "\"\(name)\" is not an IANA time zone; use a name like \"America/New_York\""
    }

    public static func window(_ w: CallingWindow) -> String? {
        w.start < w.end ? nil : "start \(w.start) must be before end \(w.end)"
    }

    public static func allowedDays(_ days: [Int]) -> String? {
        if days.isEmpty { return "must list at least one day (1=Monday … 6=Saturday, 0 or 7=Sunday)" }
        if let bad = days.first(where: { !(0...7).contains($0) }) {
            return "\(bad) is not a day; use 1=Monday … 6=Saturday, 0 or 7=Sunday"
        }
        return nil
    }

    public static func retry(_ r: RetryPolicy) -> String? {
        if r.count < 0 { return "count must be 0 or more" }
        if r.intervalMinutes < 0 { return "intervalMinutes must be 0 or more" }
        return nil
    }

    public static func smartCallback(_ s: SmartCallbackConfig) -> String? {
        if s.maxAttempts < 1 { return "maxAttempts must be at least 1" }
        if s.enabled && s.gaps.isEmpty && s.maxAttempts > 1 { return "gaps must list at least one {days, hours} gap" }
        if s.gaps.contains(where: { $0.days < 0 || $0.hours < 0 }) { return "gap days and hours must be 0 or more" }
        if s.gaps.contains(where: { $0.days == 0 && $0.hours == 0 }) { return "a gap must wait at least one hour or one day" }
        return nil
    }

    /// A holiday is a calendar date `YYYY-MM-DD`.
    public static func holiday(_ text: String) -> String? {
        isCalendarDate(text) ? nil : "\"\(text)\" is not a date; write YYYY-MM-DD"
    }

    static func isCalendarDate(_ text: String) -> Bool {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), d >= 1
        else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    /// Parses ISO 8601 with `Z` or an offset; without a designator the time is UTC (as in the seeds).
    public static func parseScheduledAt(_ text: String) -> Date? {
        guard isDateTimeSized(text) else { return nil }
        let withZone = ISO8601DateFormatter()
        withZone.formatOptions = [.withInternetDateTime]
        if let d = withZone.date(from: text) { return d }
        withZone.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = withZone.date(from: text) { return d }
        let bare = ISO8601DateFormatter()
        bare.timeZone = TimeZone(identifier: "UTC")
        for options: ISO8601DateFormatter.Options in [
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime],
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime, .withFractionalSeconds],
            [.withFullDate, .withDashSeparatorInDate],
        ] {
            bare.formatOptions = options
            if let d = bare.date(from: text) { return d }
        }
        // "2026-05-01T09:00" (no seconds) is common in hand-written manifests.
        if text.count == 16, let d = parseScheduledAt(text + ":00") { return d }
        return nil
    }

    /// Text ICU may be given: at most 64 bytes, no run of more than 9 digits (nanoseconds).
    /// ICU's date parser divides by zero (SIGFPE, the whole process) on a fraction of about 40
    /// digits, which a manifest can carry; found by the manifest fuzzer.
    static func isDateTimeSized(_ text: String) -> Bool {
        guard text.utf8.count <= 64 else { return false }
        var run = 0
        for byte in text.utf8 {
            run = (0x30...0x39).contains(byte) ? run + 1 : 0
            if run > 9 { return false }
        }
        return true
    }
}
