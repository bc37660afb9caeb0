/// What a cell's number format makes of a numeric value (SPEC §4): a plain number, a date
/// (or date-time), or a time-of-day/duration format.
public enum NumberFormatKind: UInt8, Sendable {
    case number, date, time

    /// Excel's built-in format ids: 14–17 dates, 18–21 times, 22 date-time, 45–47 times.
    public init(builtinID id: Int) {
        switch id {
        case 14...17, 22: self = .date
        case 18...21, 45...47: self = .time
        default: self = .number
        }
    }

    /// Classifies a format code by its date/time tokens (y, m, d, h, s) outside quoted text,
    /// `[...]` brackets (colours, locales; `[h]`, `[mm]`, `[ss]` elapsed time do count),
    /// backslash escapes and `_x`/`*x` padding. `AM/PM` and `A/P` are not tokens. A format
    /// with h, s or an elapsed bracket and no y or d is a time format; y, m or d alone make it a
    /// date.
    public init(code: String) {
        var hasY = false, hasM = false, hasD = false, hasH = false, hasS = false, elapsed = false
        let b = Array(code.utf8)
        var i = 0
        func lower(_ c: UInt8) -> UInt8 { c | 0x20 }
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") { i += 1 }
                i += 1
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 2
            case UInt8(ascii: "["):
                var j = i + 1
                while j < b.count, b[j] != UInt8(ascii: "]") { j += 1 }
                let inner = b[min(i + 1, b.count)..<min(j, b.count)].map(lower)
                if let first = inner.first, inner.allSatisfy({ $0 == first }),
                   first == UInt8(ascii: "h") || first == UInt8(ascii: "m") || first == UInt8(ascii: "s") {
                    elapsed = true
                }
                i = j + 1
            default:
                let l = lower(c)
                if l == UInt8(ascii: "a") {
                    let rest = b[i..<min(i + 5, b.count)].map(lower)
                    if rest.starts(with: Array("am/pm".utf8)) { i += 5; continue }
                    if rest.starts(with: Array("a/p".utf8)) { i += 3; continue }
                }
                switch l {
                case UInt8(ascii: "y"): hasY = true
                case UInt8(ascii: "m"): hasM = true
                case UInt8(ascii: "d"): hasD = true
                case UInt8(ascii: "h"): hasH = true
                case UInt8(ascii: "s"): hasS = true
                default: break
                }
                i += 1
            }
        }
        if (hasH || hasS || elapsed) && !hasY && !hasD {
            self = .time
        } else if hasY || hasM || hasD {
            self = .date
        } else {
            self = .number
        }
    }
}

extension CellText {
    /// Renders a numeric cell value under its number format: dates and times per
    /// `dateTime(serial:date1904:timeFormat:)`, everything else per `number(_:)`.
    public static func formatted(_ value: Double, kind: NumberFormatKind, date1904: Bool) -> String {
        switch kind {
        case .number: number(value)
        case .date: dateTime(serial: value, date1904: date1904, timeFormat: false)
        case .time: dateTime(serial: value, date1904: date1904, timeFormat: true)
        }
    }
}
