import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// A contact whose number maps to several zones is called only while every zone is open.
@Suite struct MultiZoneTests {
    let office = rules("09:00", "17:00", days: mondayToFriday, guarded: true)

    @Test func newYorkAndChicagoOverlapTenToFiveEastern() {
        // Monday 2026-03-02: EST −5, CST −6. Chicago opens 09:00 CST = 10:00 EST = 15:00Z; New York closes 17:00 EST = 22:00Z.
        let from = utc("2026-03-02T13:00Z")
        for zones in [[newYork, chicago], [chicago, newYork]] {
            #expect(office.nextEligibleInterval(atOrAfter: from, zones: zones) == utc("2026-03-02T15:00Z") ..< utc("2026-03-02T22:00Z"))
        }
        // 14:30Z: New York (09:30) is open, Chicago (08:30) is not.
        #expect(office.isEligible(utc("2026-03-02T14:30Z"), zones: [newYork]))
        #expect(!office.isEligible(utc("2026-03-02T14:30Z"), zones: [newYork, chicago]))
        // After 22:00Z Monday → Tuesday 15:00Z.
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T22:00Z"), zones: [newYork, chicago]) == utc("2026-03-03T15:00Z"))
    }

    @Test func overlapChangesWithDST() {
        // July: New York EDT −4, Phoenix MST −7: 09:00 MST = 16:00Z to 17:00 EDT = 21:00Z.
        #expect(office.nextEligibleInterval(atOrAfter: utc("2026-07-01T12:00Z"), zones: [newYork, phoenix])
                == utc("2026-07-01T16:00Z") ..< utc("2026-07-01T21:00Z"))
        // January: New York EST −5: 09:00 MST = 16:00Z to 17:00 EST = 22:00Z.
        #expect(office.nextEligibleInterval(atOrAfter: utc("2026-01-07T12:00Z"), zones: [newYork, phoenix])
                == utc("2026-01-07T16:00Z") ..< utc("2026-01-07T22:00Z"))
    }

    @Test func weekendInOneZoneBlocksTheOther() {
        // All-day window, Monday–Friday. Tokyo (+9) leaves Friday at 2026-03-06T15:00Z while New York (−5)
        // is still on Friday 10:00 EST; at 00:00Z New York reads Thursday 19:00 and Tokyo Friday 09:00.
        let allDay = rules("00:00", "24:00", days: mondayToFriday)
        #expect(allDay.nextEligibleInterval(atOrAfter: utc("2026-03-06T00:00Z"), zones: [newYork, tokyo])
                == utc("2026-03-06T00:00Z") ..< utc("2026-03-06T15:00Z"))
        // Tokyo's Monday starts Sunday 15:00Z (Sunday in New York); New York's Monday starts 00:00 EDT
        // (DST began on the 8th) = 2026-03-09T04:00Z, when Tokyo reads Monday 13:00.
        #expect(allDay.nextEligible(atOrAfter: utc("2026-03-06T15:00Z"), zones: [newYork, tokyo]) == utc("2026-03-09T04:00Z"))
    }

    @Test func noOverlapIsNil() {
        // New York and Tokyo are 14 h apart; two 8-hour windows never meet.
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T00:00Z"), zones: [newYork, tokyo]) == nil)
    }

    @Test func emptyZoneListIsNeverEligible() {
        #expect(!office.isEligible(utc("2026-03-02T15:00Z"), zones: []))
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T15:00Z"), zones: []) == nil)
    }

    @Test func sameZoneTwiceIsTheZoneOnce() {
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T13:00Z"), zones: [newYork, newYork]) == utc("2026-03-02T14:00Z"))
    }
}
