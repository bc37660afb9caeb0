import DropdialTestKit
import DropdialConfig
import Foundation

/// The rules re-stated the slow, obvious way for property tests: Foundation `Calendar` reads each
/// instant's local date and time; searches step one minute at a time. Test-only.
struct BruteForceRules {
    let days: Set<Int>          // ISO 1…7
    let start: Int, end: Int    // minutes, already clipped by the guard
    let holidays: Set<String>
    let calendars: [Calendar]

    init(allowedDays: [Int], window: CallingWindow, guarded: Bool, holidays: [String], zones: [TimeZone]) {
        days = Set(allowedDays.filter { (0...7).contains($0) }.map { $0 == 0 ? 7 : $0 })
        start = guarded ? max(window.start.minutes, 8 * 60) : window.start.minutes
        end = guarded ? min(window.end.minutes, 21 * 60) : window.end.minutes
        self.holidays = Set(holidays)
        calendars = zones.map { z in
            var c = Calendar(identifier: .gregorian)
            c.timeZone = z
            return c
        }
    }

    func isEligible(_ t: Date) -> Bool {
        guard !calendars.isEmpty else { return false }
        return calendars.allSatisfy { cal in
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            let iso = c.weekday! == 1 ? 7 : c.weekday! - 1
            let minute = c.hour! * 60 + c.minute!
            return days.contains(iso) && minute >= start && minute < end && !holidays.contains(Self.dateText(c))
        }
    }

    /// First whole-minute instant at or after `t` (itself whole-minute) that is eligible, within `limit` minutes.
    func nextEligible(atOrAfter t: Date, limitMinutes: Int) -> Date? {
        for m in 0...limitMinutes {
            let u = t.addingTimeInterval(Double(m) * 60)
            if isEligible(u) { return u }
        }
        return nil
    }

    static func dateText(_ c: DateComponents) -> String {
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return pad(c.year!, 4) + "-" + pad(c.month!, 2) + "-" + pad(c.day!, 2)
    }
}
