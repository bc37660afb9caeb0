import DropdialBase
import DropdialTestKit
import Foundation
import Testing

@Suite struct CivilDayTests {
    @Test func epochIsDayZeroAndAThursday() {
        #expect(CivilDay.number(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilDay.weekday(0) == 4)  // 1970-01-01 was a Thursday
        #expect(CivilDay.weekday(-1) == 3) // and 1969-12-31 a Wednesday
    }

    @Test func knownDates() {
        // 2026-03-08 is the second Sunday of March (US DST start); 2026-10-25 the last Sunday of October.
        #expect(CivilDay.weekday(CivilDay.parse("2026-03-08")!) == 7)
        #expect(CivilDay.weekday(CivilDay.parse("2026-10-25")!) == 7)
        #expect(CivilDay.weekday(CivilDay.parse("2026-03-02")!) == 1)
        #expect(CivilDay.parse("2000-03-01")! - CivilDay.parse("2000-02-28")! == 2) // 2000 was leap
        #expect(CivilDay.parse("1900-03-01")! - CivilDay.parse("1900-02-28")! == 1) // 1900 was not
    }

    @Test func parseRejectsImpossibleDates() {
        #expect(CivilDay.parse("2026-02-29") == nil)
        #expect(CivilDay.parse("2024-02-29") != nil)
        #expect(CivilDay.parse("2026-13-01") == nil)
        #expect(CivilDay.parse("2026-1-01") == nil)
        #expect(CivilDay.parse("+026-01-01") == nil)
        #expect(CivilDay.parse("holiday") == nil)
    }

    @Test func agreesWithFoundationOverCenturies() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        for n in stride(from: -40_000, through: 80_000, by: 97) {
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(n) * 86_400))
            let (y, m, d) = CivilDay.date(n)
            #expect(y == c.year && m == c.month && d == c.day)
            #expect(CivilDay.number(year: y, month: m, day: d) == n)
            #expect(CivilDay.weekday(n) == (c.weekday! == 1 ? 7 : c.weekday! - 1))
        }
    }
}
