import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import Foundation
import Testing

/// Smart callback: the k-th retry waits gaps[k-1] — `days` on the first zone's wall clock (same time of
/// day), then `hours` elapsed — then the earliest eligible instant; at most `maxAttempts` in all.
@Suite struct SmartCallbackTests {
    func plan(_ gaps: [(Int, Int)], maxAttempts: Int = 3, rules r: CallingRules = rules("09:00", "17:00", guarded: true)) -> RetryPlan {
        RetryPlan(rules: r, spacing: .smart(SmartCallbackConfig(
            enabled: true, maxAttempts: maxAttempts, gaps: gaps.map { CallbackGap(days: $0.0, hours: $0.1) })))
    }

    @Test func dayGapKeepsTheTimeOfDayAcrossSpringForward() {
        // Saturday 2026-03-07 10:00 EST (15:00Z) + 1 day = Sunday 10:00 EDT = 14:00Z: only 23 h elapsed.
        #expect(plan([(1, 0)]).next(afterAttempt: 1, endedAt: utc("2026-03-07T15:00Z"), outcome: .noAnswer, zones: [newYork])
                == utc("2026-03-08T14:00Z"))
        // Then 2 elapsed hours: 12:00 EDT = 16:00Z.
        #expect(plan([(1, 2)]).next(afterAttempt: 1, endedAt: utc("2026-03-07T15:00Z"), outcome: .noAnswer, zones: [newYork])
                == utc("2026-03-08T16:00Z"))
    }

    @Test func dayGapKeepsTheTimeOfDayAcrossFallBack() {
        // Saturday 2026-10-31 10:00 EDT (14:00Z) + 1 day = Sunday 10:00 EST = 15:00Z: 25 h elapsed.
        #expect(plan([(1, 0)]).next(afterAttempt: 1, endedAt: utc("2026-10-31T14:00Z"), outcome: .busy, zones: [newYork])
                == utc("2026-11-01T15:00Z"))
    }

    @Test func dayGapLandingInTheGapMovesToItsEnd() {
        let open = rules("00:00", "24:00")
        // Saturday 02:30 EST (07:30Z) + 1 day = Sunday 02:30, which does not exist → 03:00 EDT = 07:00Z.
        #expect(plan([(1, 0)], rules: open).earliestRetry(afterAttempt: 1, endedAt: utc("2026-03-07T07:30Z"), zones: [newYork])
                == utc("2026-03-08T07:00Z"))
        // Hours are added after the move: + 1 h = 08:00Z.
        #expect(plan([(1, 1)], rules: open).next(afterAttempt: 1, endedAt: utc("2026-03-07T07:30Z"), outcome: .busy, zones: [newYork])
                == utc("2026-03-08T08:00Z"))
    }

    @Test func dayGapLandingInTheFoldTakesTheFirstOccurrence() {
        let open = rules("00:00", "24:00")
        // Saturday 01:30 EDT (05:30Z) + 1 day = Sunday 01:30, first shown at 01:30 EDT = 05:30Z (not 06:30Z EST).
        #expect(plan([(1, 0)], rules: open).next(afterAttempt: 1, endedAt: utc("2026-10-31T05:30Z"), outcome: .busy, zones: [newYork])
                == utc("2026-11-01T05:30Z"))
        // + 1 elapsed hour = 06:30Z, which reads 01:30 EST.
        #expect(plan([(1, 1)], rules: open).next(afterAttempt: 1, endedAt: utc("2026-10-31T05:30Z"), outcome: .busy, zones: [newYork])
                == utc("2026-11-01T06:30Z"))
    }

    @Test func hoursOnlyGapFromTheFoldsSecondOccurrenceDoesNotGoBack() {
        // Ends at 01:30 EST (06:30Z), the second 01:30 of the night; 0 days + 1 hour = 07:30Z.
        #expect(plan([(0, 1)], rules: rules("00:00", "24:00"))
                .next(afterAttempt: 1, endedAt: utc("2026-11-01T06:30Z"), outcome: .busy, zones: [newYork]) == utc("2026-11-01T07:30Z"))
    }

    @Test func lastGapRepeatsUntilMaxAttempts() {
        let p = plan([(1, 0), (2, 0)], maxAttempts: 5)
        let ny = [newYork]
        // Monday 2026-03-02 10:00 EST = 15:00Z; every landing is 10:00 local, inside 09:00–17:00, every day allowed.
        #expect(p.next(afterAttempt: 1, endedAt: utc("2026-03-02T15:00Z"), outcome: .noAnswer, zones: ny) == utc("2026-03-03T15:00Z")) // gap 1: +1 day
        #expect(p.next(afterAttempt: 2, endedAt: utc("2026-03-03T15:00Z"), outcome: .noAnswer, zones: ny) == utc("2026-03-05T15:00Z")) // gap 2: +2 days
        #expect(p.next(afterAttempt: 3, endedAt: utc("2026-03-05T15:00Z"), outcome: .noAnswer, zones: ny) == utc("2026-03-07T15:00Z")) // gap 2 again
        // Saturday 10:00 EST + 2 days = Monday 10:00 EDT = 14:00Z.
        #expect(p.next(afterAttempt: 4, endedAt: utc("2026-03-07T15:00Z"), outcome: .noAnswer, zones: ny) == utc("2026-03-09T14:00Z"))
        // Five attempts made: final.
        #expect(p.next(afterAttempt: 5, endedAt: utc("2026-03-09T14:00Z"), outcome: .noAnswer, zones: ny) == nil)
    }

    @Test func landingOutsideTheRulesWaitsForTheNextEligibleInstant() {
        let weekdays = plan([(1, 0)], rules: rules("09:00", "17:00", days: mondayToFriday, guarded: true))
        // Friday 16:30 EST + 1 day = Saturday 16:30 (not allowed) → Monday 09:00 EDT = 13:00Z.
        #expect(weekdays.next(afterAttempt: 1, endedAt: utc("2026-03-06T21:30Z"), outcome: .voicemail, zones: [newYork])
                == utc("2026-03-09T13:00Z"))
        // Monday 15:00 EST + 3 h = 18:00 (closed) → Tuesday 09:00 EST = 14:00Z.
        #expect(plan([(0, 3)]).next(afterAttempt: 1, endedAt: utc("2026-03-02T20:00Z"), outcome: .busy, zones: [newYork])
                == utc("2026-03-03T14:00Z"))
    }

    @Test func multiZoneContactCountsDaysOnItsFirstZone() {
        let open = rules("00:00", "24:00")
        // Saturday 2026-03-07 17:00Z reads 10:00 in Denver and in Phoenix (both MST). + 1 day:
        // on Denver's clock Sunday 10:00 MDT = 16:00Z; on Phoenix's clock Sunday 10:00 MST = 17:00Z.
        #expect(plan([(1, 0)], rules: open).next(afterAttempt: 1, endedAt: utc("2026-03-07T17:00Z"), outcome: .busy, zones: [denver, phoenix])
                == utc("2026-03-08T16:00Z"))
        #expect(plan([(1, 0)], rules: open).next(afterAttempt: 1, endedAt: utc("2026-03-07T17:00Z"), outcome: .busy, zones: [phoenix, denver])
                == utc("2026-03-08T17:00Z"))
    }

    @Test func smartReplacesPlainRetryWhenEnabled() {
        var s = BatchSettings(callingWindow: window("09:00", "17:00"), allowedDays: everyDay)
        s.retry = RetryPolicy(count: 5, intervalMinutes: 10)
        s.smartCallbackConfig = SmartCallbackConfig(enabled: true, maxAttempts: 2, gaps: [CallbackGap(days: 1, hours: 0)])
        let p = RetryPlan(s)
        #expect(p.maxAttempts == 2)
        // Tuesday 10:00 EST → Wednesday 10:00 EST (not 10:10 as plain retry would say).
        #expect(p.next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .busy, zones: [newYork]) == utc("2026-03-04T15:00Z"))
        #expect(p.next(afterAttempt: 2, endedAt: utc("2026-03-04T15:00Z"), outcome: .busy, zones: [newYork]) == nil)
    }

    @Test func finalOutcomeAndSingleAttempt() {
        #expect(plan([(1, 0)]).next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .completed, zones: [newYork]) == nil)
        #expect(plan([(1, 0)], maxAttempts: 1).next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .busy, zones: [newYork]) == nil)
        #expect(plan([(1, 0)]).next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .busy, zones: []) == nil)
    }
}
