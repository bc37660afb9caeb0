import DropdialTestKit
@testable import DropdialDialer
import Foundation
import Testing

/// Fall-back folds: the repeated local hour is eligible in both of its occurrences.
@Suite struct DSTFoldTests {
    // America/New_York 2026-11-01 (Sunday): EDT (−4) until 06:00Z when 02:00 EDT falls back to 01:00 EST (−5).

    @Test func newYorkBothOccurrencesOfTheRepeatedHourAreEligible() {
        let r = rules("01:30", "03:30")
        // 04:00Z = 00:00 EDT. First 01:30 is EDT = 05:30Z; at 06:00Z the clock falls back to 01:00 (outside).
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-11-01T04:00Z"), zones: [newYork])
                == utc("2026-11-01T05:30Z") ..< utc("2026-11-01T06:00Z"))
        // Second 01:30 is EST = 06:30Z; the window then runs to 03:30 EST = 08:30Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-11-01T06:00Z"), zones: [newYork])
                == utc("2026-11-01T06:30Z") ..< utc("2026-11-01T08:30Z"))
        #expect(r.isEligible(utc("2026-11-01T05:45Z"), zones: [newYork]))   // 01:45 EDT
        #expect(!r.isEligible(utc("2026-11-01T06:15Z"), zones: [newYork]))  // 01:15 EST
        #expect(r.isEligible(utc("2026-11-01T06:45Z"), zones: [newYork]))   // 01:45 EST, the same reading again
    }

    @Test func newYorkRepeatedHourAsTheWholeWindowRunsTwoHours() {
        let r = rules("01:00", "02:00")
        // 01:00 EDT (05:00Z) to the fall-back at 06:00Z, then 01:00 EST to 02:00 EST (07:00Z): one run.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-11-01T04:00Z"), zones: [newYork])
                == utc("2026-11-01T05:00Z") ..< utc("2026-11-01T07:00Z"))
        #expect(r.eligibleUntil(utc("2026-11-01T05:10Z"), zones: [newYork]) == utc("2026-11-01T07:00Z"))
    }

    @Test func newYorkWindowAfterTheFoldOpensOnStandardTime() {
        let r = rules("02:00", "03:00")
        // EDT never reaches 02:00 that night; 02:00 EST = 07:00Z to 03:00 EST = 08:00Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-11-01T04:00Z"), zones: [newYork])
                == utc("2026-11-01T07:00Z") ..< utc("2026-11-01T08:00Z"))
    }

    // Europe/Berlin 2026-10-25 (Sunday): CEST (+2) until 01:00Z when 03:00 CEST falls back to 02:00 CET (+1).

    @Test func berlinRepeatedHour() {
        let r = rules("02:00", "03:00")
        // 02:00 CEST = 00:00Z to 01:00Z, then 02:00 CET = 01:00Z to 03:00 CET = 02:00Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-10-24T22:00Z"), zones: [berlin])
                == utc("2026-10-25T00:00Z") ..< utc("2026-10-25T02:00Z"))
        #expect(r.isEligible(utc("2026-10-25T00:30Z"), zones: [berlin]))   // 02:30 CEST
        #expect(r.isEligible(utc("2026-10-25T01:30Z"), zones: [berlin]))   // 02:30 CET
        #expect(!r.isEligible(utc("2026-10-25T02:00Z"), zones: [berlin]))  // 03:00 CET
    }

    // Australia/Sydney 2026-04-05 (Sunday): AEDT (+11) until 2026-04-04T16:00Z when 03:00 AEDT falls back to 02:00 AEST (+10).

    @Test func sydneyRepeatedHour() {
        let r = rules("02:00", "03:00")
        // 02:00 AEDT = 15:00Z to 16:00Z, then 02:00 AEST = 16:00Z to 03:00 AEST = 17:00Z.
        #expect(r.nextEligible(atOrAfter: utc("2026-04-04T13:00Z"), zones: [sydney]) == utc("2026-04-04T15:00Z"))
        #expect(r.eligibleUntil(utc("2026-04-04T15:00Z"), zones: [sydney]) == utc("2026-04-04T17:00Z"))
    }

    @Test func sydneyWindowStraddlingTheFoldReopens() {
        let r = rules("01:30", "02:30")
        // 01:30–02:30 AEDT = 14:30Z–15:30Z; the clock then shows 02:30–03:00 AEDT (outside) until 16:00Z,
        // falls back to 02:00 AEST (inside again) and leaves at 02:30 AEST = 16:30Z.
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-04-04T13:00Z"), zones: [sydney])
                == utc("2026-04-04T14:30Z") ..< utc("2026-04-04T15:30Z"))
        #expect(r.nextEligibleInterval(atOrAfter: utc("2026-04-04T15:30Z"), zones: [sydney])
                == utc("2026-04-04T16:00Z") ..< utc("2026-04-04T16:30Z"))
    }
}
