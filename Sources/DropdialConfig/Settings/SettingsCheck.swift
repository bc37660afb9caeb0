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

    /// How far retries may go, so a typo (`"count": 999999999`, `"intervalMinutes": 0`) cannot dial
    /// one person again and again. The dialer clamps stored settings to the same bounds.
    public enum Bounds {
        /// `retry.count`: retries after the first attempt.
        public static let retries = 0...20
        /// `retry.intervalMinutes`: at least a minute, at most 30 days.
        public static let intervalMinutes = 1...43_200
        /// `smartCallbackConfig.maxAttempts`: attempts in all.
        public static let attempts = 1...21
        /// `smartCallbackConfig.gaps`: how many gaps may be listed (the last one repeats).
        public static let gaps = 0...20
        public static let gapDays = 0...365
        public static let gapHours = 0...8_760
        /// `batchName`, in characters.
        public static let batchNameLength = 1...200
    }

    public static func retry(_ r: RetryPolicy) -> String? {
        if !Bounds.retries.contains(r.count) {
            return "count must be \(Bounds.retries.lowerBound)–\(Bounds.retries.upperBound) retries (got \(r.count))"
        }
        if !Bounds.intervalMinutes.contains(r.intervalMinutes) {
            return "intervalMinutes must be \(Bounds.intervalMinutes.lowerBound)–\(Bounds.intervalMinutes.upperBound) minutes (got \(r.intervalMinutes))"
        }
        return nil
    }

    public static func smartCallback(_ s: SmartCallbackConfig) -> String? {
        if !Bounds.attempts.contains(s.maxAttempts) {
            return "maxAttempts must be \(Bounds.attempts.lowerBound)–\(Bounds.attempts.upperBound) (got \(s.maxAttempts))"
        }
        if s.enabled && s.gaps.isEmpty && s.maxAttempts > 1 { return "gaps must list at least one {days, hours} gap" }
        if s.gaps.count > Bounds.gaps.upperBound { return "gaps may list at most \(Bounds.gaps.upperBound) gaps (the last one repeats)" }
        if let g = s.gaps.first(where: { !Bounds.gapDays.contains($0.days) }) {
            return "gap days must be \(Bounds.gapDays.lowerBound)–\(Bounds.gapDays.upperBound) (got \(g.days))"
        }
        if let g = s.gaps.first(where: { !Bounds.gapHours.contains($0.hours) }) {
            return "gap hours must be \(Bounds.gapHours.lowerBound)–\(Bounds.gapHours.upperBound) (got \(g.hours))"
        }
        if s.gaps.contains(where: { $0.days == 0 && $0.hours == 0 }) { return "a gap must wait at least one hour or one day" }
        return nil
    }

    public static func batchName(_ name: String) -> String? {
        if name.trimmingCharacters(in: .whitespaces).isEmpty { return "must not be empty" }
        if name.count > Bounds.batchNameLength.upperBound {
            return "must be at most \(Bounds.batchNameLength.upperBound) characters (got \(name.count))"
        }
        return nil
    }

    /// A holiday is a calendar date `YYYY-MM-DD`.
    public static func holiday(_ text: String) -> String? {
        isCalendarDate(text) ? nil : "\"\(text)\" is not a date; write YYYY-MM-DD"
    }

    static func isCalendarDate(_ text: String) -> Bool {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2])
        else { return false }
        return isCalendarDate(year: y, month: m, day: d)
    }

    /// True when `year-month-day` exists in the Gregorian calendar.
    static func isCalendarDate(year y: Int, month m: Int, day d: Int) -> Bool {
        guard (1...12).contains(m), d >= 1 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days
    }

    /// `scheduledAt` text as SPEC §7 spells it (see ``ScheduledAt``); nil for any other spelling.
    public static func parseScheduledAt(_ text: String) -> Date? { ScheduledAt.date(text) }
}
