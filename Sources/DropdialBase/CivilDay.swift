/// Proleptic Gregorian day numbers (days since 1970-01-01) and their dates, without Foundation.
/// Local wall-clock times are handled as "local seconds": day number × 86 400 + seconds of the day.
public enum CivilDay {
    public static let secondsPerDay = 86_400

    /// The day number of a calendar date (H. Hinnant's `days_from_civil`).
    public static func number(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number (H. Hinnant's `civil_from_days`).
    public static func date(_ n: Int) -> (year: Int, month: Int, day: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ n: Int) -> Int {
        let r = (n + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// The day number containing a local-seconds value (floor division, so negatives work).
    public static func containing(localSeconds s: Double) -> Int {
        Int((s / Double(secondsPerDay)).rounded(.down))
    }

    /// Parses `YYYY-MM-DD`; nil for anything else, including impossible dates like 2026-02-30.
    public static func parse(_ text: String) -> Int? {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), d >= 1
        else { return nil }
        let n = number(year: y, month: m, day: d)
        return date(n) == (y, m, d) ? n : nil
    }
}
