import DropdialBase
/// A parsed ISO 8601 date-time as written in an XLSX `t="d"` cell: `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM[:SS[.fff]]` with an optional `Z`/`±HH:MM` (ignored), or a bare time.
struct ISODateTime {
    /// Day number since 1970-01-01 (0 when there is no date part).
    var day = 0
    /// Seconds into the day, with the fraction.
    var seconds = 0.0
    var hasDate = false

    init?(_ text: String) {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                guard b[k] >= 48, b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += width
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        if b.count >= 10, b[4] == UInt8(ascii: "-") {
            guard let y = number(4), expect(UInt8(ascii: "-")), let m = number(2), (1...12).contains(m),
                  expect(UInt8(ascii: "-")), let d = number(2), (1...31).contains(d) else { return nil }
            day = CivilDay.number(year: y, month: m, day: d)
            hasDate = true
            if i == b.count { return }
            guard expect(UInt8(ascii: "T")) || expect(UInt8(ascii: " ")) else { return nil }
        } else {
            _ = expect(UInt8(ascii: "T"))
        }
        guard let h = number(2), h <= 24, expect(UInt8(ascii: ":")), let mi = number(2), mi < 60 else { return nil }
        var sec = 0.0
        if expect(UInt8(ascii: ":")) {
            guard let s = number(2), s <= 60 else { return nil }
            sec = Double(s)
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                var scale = 0.1
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    sec += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
        }
        // A zone designator may follow; the wall-clock time is kept as written.
        if i < b.count {
            guard b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
        }
        seconds = Double(h * 3600 + mi * 60) + sec
    }
}
