import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// Half-hour offsets and zones without DST, 09:00–17:00 Monday–Friday with the guard on.
@Suite struct ZoneOffsetTests {
    let office = rules("09:00", "17:00", days: mondayToFriday, guarded: true)

    @Test func kolkataPlusFiveThirty() {
        // 2026-03-02 is a Monday; 00:00Z = 05:30 IST; 09:00 IST = 03:30Z.
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T00:00Z"), zones: [kolkata]) == utc("2026-03-02T03:30Z"))
        #expect(office.isEligible(utc("2026-03-02T11:29Z"), zones: [kolkata]))   // 16:59 IST
        #expect(!office.isEligible(utc("2026-03-02T11:30Z"), zones: [kolkata]))  // 17:00 IST, end excluded
        #expect(office.nextEligible(atOrAfter: utc("2026-03-02T11:30Z"), zones: [kolkata]) == utc("2026-03-03T03:30Z"))
        // Friday 17:00 IST → Monday 09:00 IST.
        #expect(office.nextEligible(atOrAfter: utc("2026-03-06T11:30Z"), zones: [kolkata]) == utc("2026-03-09T03:30Z"))
    }

    @Test func stJohnsMinusThreeThirtyThenMinusTwoThirty() {
        // Monday 2026-03-02 is NST (−3:30): 12:00Z = 08:30; 09:00 NST = 12:30Z; 17:00 NST = 20:30Z.
        #expect(office.nextEligibleInterval(atOrAfter: utc("2026-03-02T12:00Z"), zones: [stJohns])
                == utc("2026-03-02T12:30Z") ..< utc("2026-03-02T20:30Z"))
        // Monday 2026-03-09 is NDT (−2:30, from 2026-03-08): 09:00 NDT = 11:30Z; 17:00 NDT = 19:30Z.
        #expect(office.nextEligibleInterval(atOrAfter: utc("2026-03-09T11:00Z"), zones: [stJohns])
                == utc("2026-03-09T11:30Z") ..< utc("2026-03-09T19:30Z"))
    }

    @Test func phoenixKeepsStandardTimeWhileDenverMoves() {
        // Wednesday 2026-07-01 15:30Z: Phoenix MST (−7) reads 08:30, Denver MDT (−6) reads 09:30.
        let t = utc("2026-07-01T15:30Z")
        #expect(!office.isEligible(t, zones: [phoenix]))
        #expect(office.isEligible(t, zones: [denver]))
        #expect(office.nextEligible(atOrAfter: t, zones: [phoenix]) == utc("2026-07-01T16:00Z"))
        #expect(office.nextEligible(atOrAfter: t, zones: [denver]) == t)
        // Wednesday 2026-01-07: both on MST, both read 08:30, both open at 16:00Z.
        let winter = utc("2026-01-07T15:30Z")
        #expect(office.nextEligible(atOrAfter: winter, zones: [phoenix]) == utc("2026-01-07T16:00Z"))
        #expect(office.nextEligible(atOrAfter: winter, zones: [denver]) == utc("2026-01-07T16:00Z"))
    }
}
