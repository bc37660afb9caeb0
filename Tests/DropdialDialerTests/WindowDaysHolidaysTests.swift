import DropdialBase
import DropdialTestKit
@testable import DropdialDialer
import DropdialConfig
import Foundation
import Testing

/// Allowed days, the calling-hours guard and holidays, each judged on the contact's local clock.
@Suite struct WindowDaysHolidaysTests {
    @Test(arguments: [[0], [7], [0, 7]])
    func sundayGivenAsZeroOrSeven(days: [Int]) {
        let r = rules("09:00", "17:00", days: days, guarded: true)
        // Saturday 2026-03-07 20:00 UTC → Sunday 2026-03-08 09:00 UTC.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-07T20:00Z"), zones: [utcZone]) == utc("2026-03-08T09:00Z"))
        // In New York, Friday 17:00 EST → Sunday 09:00 EDT (DST began 02:00 that morning) = 13:00Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-06T22:00Z"), zones: [newYork]) == utc("2026-03-08T13:00Z"))
    }

    @Test func saturdayIsSixAndExcludedFromWeekdays() {
        let r = rules("09:00", "17:00", days: mondayToFriday, guarded: true)
        // Saturday 2026-03-07 10:00 UTC is not allowed; Monday 2026-03-09 09:00 UTC is next.
        #expect(!r.isEligible(utc("2026-03-07T10:00Z"), zones: [utcZone]))
        #expect(r.nextEligible(atOrAfter: utc("2026-03-07T10:00Z"), zones: [utcZone]) == utc("2026-03-09T09:00Z"))
        #expect(rules("09:00", "17:00", days: [6]).isEligible(utc("2026-03-07T10:00Z"), zones: [utcZone]))
    }

    @Test func guardClipsAWideWindow() {
        let r = rules("07:00", "22:00", guarded: true)
        #expect(r.window == window("08:00", "21:00"))
        // Monday 2026-03-02 06:30 UTC: 07:00–08:00 is clipped away, so 08:00; it closes at 21:00, not 22:00.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-03-02T06:30Z"), zones: [utcZone])
                == utc("2026-03-02T08:00Z") ..< utc("2026-03-02T21:00Z"))
        #expect(r.isEligible(utc("2026-03-02T20:59:59Z"), zones: [utcZone]))
        #expect(!r.isEligible(utc("2026-03-02T21:00Z"), zones: [utcZone]))
        #expect(!r.isEligible(utc("2026-03-02T07:30Z"), zones: [utcZone]))
    }

    @Test func guardTurnedOff() {
        let r = rules("07:00", "22:00", guarded: false)
        #expect(r.window == window("07:00", "22:00"))
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-03-02T06:30Z"), zones: [utcZone])
                == utc("2026-03-02T07:00Z") ..< utc("2026-03-02T22:00Z"))
    }

    @Test func windowEntirelyOutsideTheGuardIsNeverEligible() {
        let r = rules("05:00", "07:00", guarded: true)
        #expect(r.window == nil && r.isNeverEligible)
        #expect(r.nextEligible(atOrAfter: utc("2026-03-02T00:00Z"), zones: [utcZone]) == nil)
        // Without the guard the same window opens at 05:00.
        #expect(rules("05:00", "07:00").nextEligible(atOrAfter: utc("2026-03-02T00:00Z"), zones: [utcZone])
                == utc("2026-03-02T05:00Z"))
    }

    @Test func windowUpToMidnightJoinsTheNextDay() {
        let r = rules("00:00", "24:00")
        // Every day, all day: one run, capped at the search horizon.
        let from = utc("2026-03-02T12:00Z")
        #expect(r.eligibleUntil(from, zones: [utcZone]) == from.addingTimeInterval(CallingRules.searchHorizon))
        // Monday–Friday all day: the run ends at Saturday 00:00 local.
        let weekdays = rules("00:00", "24:00", days: mondayToFriday)
        #expect(weekdays.eligibleUntil(from, zones: [utcZone]) == utc("2026-03-07T00:00Z"))
    }

    @Test func noAllowedDayIsNeverEligible() {
        #expect(rules("09:00", "17:00", days: []).nextEligible(atOrAfter: utc("2026-03-02T00:00Z"), zones: [utcZone]) == nil)
    }

    @Test func holidayIsTheLocalDateNotTheUTCDate() {
        let r = rules("00:00", "24:00", holidays: ["2026-07-03"])
        // 2026-07-03T02:00Z is still Thursday 2026-07-02 22:00 EDT: not the holiday.
        #expect(r.isEligible(utc("2026-07-03T02:00Z"), zones: [newYork]))
        // The holiday begins at 00:00 EDT = 04:00Z and lasts until 2026-07-04 00:00 EDT.
        #expect(r.eligibleUntil(utc("2026-07-03T02:00Z"), zones: [newYork]) == utc("2026-07-03T04:00Z"))
        #expect(!r.isEligible(utc("2026-07-03T04:00Z"), zones: [newYork]))
        #expect(r.nextEligible(atOrAfter: utc("2026-07-03T04:00Z"), zones: [newYork]) == utc("2026-07-04T04:00Z"))
        // 2026-07-02T20:00Z is already 2026-07-03 01:30 in Kolkata: the holiday; it ends 00:00 IST on the 4th = 18:30Z.
        #expect(!r.isEligible(utc("2026-07-02T20:00Z"), zones: [kolkata]))
        #expect(r.nextEligible(atOrAfter: utc("2026-07-02T20:00Z"), zones: [kolkata]) == utc("2026-07-03T18:30Z"))
    }

    @Test func holidaysCoveringEveryAllowedDayWithinTheHorizonGiveNil() {
        // Mondays only; every Monday from 2026-03-02 for 60 weeks (beyond 400 days) is a holiday.
        let first = CivilDay.parse("2026-03-02")!
        let mondays = (0..<60).map { w -> String in
            let (y, m, d) = CivilDay.date(first + 7 * w)
            return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        }
        let r = rules("09:00", "17:00", days: [1], guarded: true, holidays: mondays)
        #expect(r.nextEligible(atOrAfter: utc("2026-03-01T00:00Z"), zones: [utcZone]) == nil)
        // Dropping the 3rd Monday (2026-03-16) makes it the answer.
        let r2 = rules("09:00", "17:00", days: [1], guarded: true, holidays: mondays.filter { $0 != "2026-03-16" })
        #expect(r2.nextEligible(atOrAfter: utc("2026-03-01T00:00Z"), zones: [utcZone]) == utc("2026-03-16T09:00Z"))
    }

    @Test func unparseableHolidaysAreDropped() {
        #expect(rules("09:00", "17:00", holidays: ["2026-02-30", "someday", "2026-12-25"]).holidays == ["2026-12-25"])
    }

    @Test func fractionalInstantInsideTheWindowIsReturnedAsIs() {
        let t = utc("2026-03-02T10:00Z").addingTimeInterval(0.25)
        #expect(rules("09:00", "17:00").nextEligible(atOrAfter: t, zones: [utcZone]) == t)
        // 16:59:59.75 is still inside; 17:00:00.5 is past the close, so the next day's 09:00 sharp.
        let inside = utc("2026-03-02T16:59:59Z").addingTimeInterval(0.75)
        #expect(rules("09:00", "17:00").nextEligible(atOrAfter: inside, zones: [utcZone]) == inside)
        let late = utc("2026-03-02T17:00Z").addingTimeInterval(0.5)
        #expect(rules("09:00", "17:00").nextEligible(atOrAfter: late, zones: [utcZone]) == utc("2026-03-03T09:00Z"))
    }

    @Test func rulesFromBatchSettings() {
        var s = BatchSettings()
        s.allowedDays = [0, 6]
        s.callingWindow = window("07:00", "22:00")
        s.callingHoursGuard = false
        s.holidays = ["2026-03-07"]
        let r = CallingRules(s)
        #expect(r.allowedDays.days == [6, 7])
        #expect(r.window == window("07:00", "22:00"))
        // Saturday 2026-03-07 is a holiday; Sunday 07:00 EDT (after the DST change) = 11:00Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-07T12:00Z"), zones: [newYork]) == utc("2026-03-08T11:00Z"))
    }
}
