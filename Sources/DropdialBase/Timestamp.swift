import Foundation

/// The one way dropdial writes an instant: UTC, ISO 8601 extended, `Z`. Reports, logs, the
/// command line's JSON and stored settings use milliseconds (`2026-03-08T06:30:00.250Z`);
/// `simulate`'s attempt lines use whole seconds (SPEC §7), the instant rounded down.
public enum Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, to the nearest millisecond (as Foundation's formatter).
    public static func iso8601(_ date: Date) -> String { text(date, milliseconds: true) }

    /// `YYYY-MM-DDTHH:MM:SSZ` of the whole second at or before `date`.
    public static func iso8601Seconds(_ date: Date) -> String { text(date, milliseconds: false) }

    /// Reads both forms (and any fraction); nil for other text.
    public static func parse(_ text: String) -> Date? {
        // What dropdial writes is read by hand: a formatter per instant cost a 1M-call batch's
        // detail page a fifth of its time (its settings hold instants).
        if let date = parseUTC(text) { return date }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f…]Z` exactly, or nil (offsets and other forms go to the formatter).
    static func parseUTC(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b.last == UInt8(ascii: "Z"), b[4] == 0x2D, b[7] == 0x2D, b[10] == UInt8(ascii: "T"),
              b[13] == 0x3A, b[16] == 0x3A else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                n = n * 10 + d
            }
            return n
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2),
              let mi = number(14, 2), let sec = number(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 60 else { return nil }
        var fraction = 0.0
        if b.count > 20 {
            guard b[19] == UInt8(ascii: "."), b.count > 21 else { return nil }
            guard b.count - 21 <= 9, let n = number(20, b.count - 21) else { return nil }
            var scale = 1.0
            for _ in 0..<(b.count - 21) { scale *= 10 }
            fraction = Double(n) / scale
        } else if b[19] != UInt8(ascii: "Z") {
            return nil
        }
        let day = CivilDay.number(year: y, month: mo, day: d)
        guard CivilDay.date(day) == (y, mo, d) else { return nil }
        let seconds = day * 86_400 + h * 3600 + mi * 60 + sec
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `YYYY-MM-DDTHH:MM:SS+hh:mm`: the whole second at or before `date` as a wall clock
    /// `offsetSeconds` east of UTC shows it (the results export's local times).
    public static func local(_ date: Date, offsetSeconds: Int) -> String {
        var out = text(date.addingTimeInterval(TimeInterval(offsetSeconds)), milliseconds: false)
        out.removeLast()
        let minutes = abs(offsetSeconds) / 60
        out += (offsetSeconds < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
        return out
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }

    private static func text(_ date: Date, milliseconds: Bool) -> String {
        let t = date.timeIntervalSince1970
        let millis = milliseconds ? Int((t * 1000).rounded()) : Int(t.rounded(.down)) * 1000
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (y, m, d) = CivilDay.date(day)
        let s = seconds - day * 86_400
        var out = ""
        out.reserveCapacity(24)
        func pad(_ v: Int, _ width: Int) {
            let digits = String(v)
            if digits.count < width { out += String(repeating: "0", count: width - digits.count) }
            out += digits
        }
        pad(y, 4); out += "-"; pad(m, 2); out += "-"; pad(d, 2); out += "T"
        pad(s / 3600, 2); out += ":"; pad(s / 60 % 60, 2); out += ":"; pad(s % 60, 2)
        if milliseconds { out += "."; pad(millis - seconds * 1000, 3) }
        out += "Z"
        return out
    }
}
