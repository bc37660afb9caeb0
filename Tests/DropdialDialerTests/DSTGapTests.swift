import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// Spring-forward gaps: the skipped local hour never occurs, so windows inside it are empty that day.
@Suite struct DSTGapTests {
    // America/New_York 2026-03-08 (Sunday): EST (−5) until 07:00Z when 02:00 EST jumps to 03:00 EDT (−4).

    @Test func newYorkWindowInsideTheGapSkipsToTheNextDay() {
        let r = rules("02:00", "03:00")
        // 05:00Z = 00:00 EST Sunday. 02:00–03:00 never shows on Sunday; Monday 02:00 EDT = 06:00Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-08T05:00Z"), zones: [newYork]) == utc("2026-03-09T06:00Z"))
    }

    @Test func newYorkWindowAcrossTheGapIsContiguous() {
        let r = rules("01:30", "03:30")
        // 01:30 EST = 06:30Z; the clock then runs 01:59 EST → 03:00 EDT (07:00Z) → 03:30 EDT = 07:30Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-08T05:00Z"), zones: [newYork]) == utc("2026-03-08T06:30Z"))
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-03-08T05:00Z"), zones: [newYork])
                == utc("2026-03-08T06:30Z") ..< utc("2026-03-08T07:30Z"))
        #expect(r.isEligible(utc("2026-03-08T06:59:59Z"), zones: [newYork]))  // 01:59:59 EST
        #expect(r.isEligible(utc("2026-03-08T07:00Z"), zones: [newYork]))     // 03:00 EDT
        #expect(!r.isEligible(utc("2026-03-08T07:30Z"), zones: [newYork]))    // 03:30 EDT, end excluded
        // Asking from inside the window answers the instant itself.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-08T07:10Z"), zones: [newYork]) == utc("2026-03-08T07:10Z"))
    }

    @Test func newYorkWindowStartingInTheGapOpensAtTheGapsEnd() {
        let r = rules("02:30", "04:00")
        // 02:30 does not exist; the first reading inside the window is 03:00 EDT = 07:00Z; it closes 04:00 EDT = 08:00Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-03-08T05:00Z"), zones: [newYork])
                == utc("2026-03-08T07:00Z") ..< utc("2026-03-08T08:00Z"))
        // From 06:45Z (01:45 EST) too.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-08T06:45Z"), zones: [newYork]) == utc("2026-03-08T07:00Z"))
        #expect(!r.isEligible(utc("2026-03-08T06:59Z"), zones: [newYork]))
    }

    // Europe/Berlin 2026-03-29 (Sunday): CET (+1) until 01:00Z when 02:00 CET jumps to 03:00 CEST (+2).

    @Test func berlinWindowInsideTheGapSkipsToTheNextDay() {
        let r = rules("02:00", "03:00")
        // 23:00Z on the 28th = 00:00 CET Sunday; Monday 02:00 CEST = 00:00Z on the 30th.
        #expect(r.nextEligible(atOrAfter: utc("2026-03-28T23:00Z"), zones: [berlin]) == utc("2026-03-30T00:00Z"))
    }

    @Test func berlinWindowStartingInTheGap() {
        let r = rules("02:30", "04:00")
        // The gap ends at 01:00Z (03:00 CEST); the window closes at 04:00 CEST = 02:00Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-03-28T23:00Z"), zones: [berlin])
                == utc("2026-03-29T01:00Z") ..< utc("2026-03-29T02:00Z"))
    }

    // Australia/Sydney 2026-10-04 (Sunday): AEST (+10) until 2026-10-03T16:00Z when 02:00 jumps to 03:00 AEDT (+11).

    @Test func sydneyWindowInsideTheGapSkipsToTheNextDay() {
        let r = rules("02:00", "03:00")
        // 14:00Z on the 3rd = 00:00 AEST Sunday the 4th; Monday 02:00 AEDT = 2026-10-04T15:00Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-10-03T14:00Z"), zones: [sydney]) == utc("2026-10-04T15:00Z"))
    }

    @Test func sydneyWindowStartingInTheGap() {
        let r = rules("02:30", "04:00")
        // Opens at the gap's end 16:00Z (03:00 AEDT), closes at 04:00 AEDT = 17:00Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-10-03T14:00Z"), zones: [sydney])
                == utc("2026-10-03T16:00Z") ..< utc("2026-10-03T17:00Z"))
    }
}
