import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import Foundation
import Testing

/// Plain `retry {count, intervalMinutes}`: 1 + count attempts, each retry the earliest eligible instant
/// at or after the previous end + interval (elapsed minutes).
@Suite struct PlainRetryTests {
    /// New York contact, 09:00–17:00 Monday–Friday, guard on, 2 retries an hour apart.
    func plan(count: Int = 2, interval: Int = 60, retried: Set<CallOutcome>? = nil) -> RetryPlan {
        var s = BatchSettings(callingWindow: window("09:00", "17:00"), allowedDays: mondayToFriday)
        s.retry = RetryPolicy(count: count, intervalMinutes: interval)
        return retried.map { RetryPlan(s, retriedOutcomes: $0) } ?? RetryPlan(s)
    }

    @Test func retryInsideTheWindow() {
        // Tuesday 2026-03-03 10:00 EST + 60 min = 11:00 EST = 16:00Z, still open.
        #expect(plan().next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .noAnswer, zones: [newYork])
                == utc("2026-03-03T16:00Z"))
    }

    @Test func retrySpillsPastTheWindowEndIntoTheNextDay() {
        // Tuesday 16:45 EST + 30 min = 17:15 (closed) → Wednesday 09:00 EST = 14:00Z.
        #expect(plan(interval: 30).next(afterAttempt: 1, endedAt: utc("2026-03-03T21:45Z"), outcome: .busy, zones: [newYork])
                == utc("2026-03-04T14:00Z"))
    }

    @Test func retrySpillsOverTheWeekendAndTheDSTChange() {
        // Friday 2026-03-06 16:30 EST + 60 = 17:30 (closed) → Monday 09:00, now EDT (−4) = 13:00Z.
        #expect(plan().next(afterAttempt: 1, endedAt: utc("2026-03-06T21:30Z"), outcome: .noAnswer, zones: [newYork])
                == utc("2026-03-09T13:00Z"))
        // Attempt 2 ends Monday 09:05 EDT → 10:05 EDT = 14:05Z.
        #expect(plan().next(afterAttempt: 2, endedAt: utc("2026-03-09T13:05Z"), outcome: .busy, zones: [newYork])
                == utc("2026-03-09T14:05Z"))
    }

    @Test func attemptsUsedUpIsNil() {
        // count 2 → 3 attempts in all; after the third, nothing.
        #expect(plan().maxAttempts == 3)
        #expect(plan().next(afterAttempt: 3, endedAt: utc("2026-03-03T15:00Z"), outcome: .noAnswer, zones: [newYork]) == nil)
        #expect(plan(count: 0).next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .noAnswer, zones: [newYork]) == nil)
    }

    @Test(arguments: [CallOutcome.completed, .invalidNumber, .declined])
    func finalOutcomeIsNil(outcome: CallOutcome) {
        #expect(plan().next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: outcome, zones: [newYork]) == nil)
    }

    @Test(arguments: [CallOutcome.noAnswer, .busy, .failed, .voicemail])
    func defaultRetriedOutcomes(outcome: CallOutcome) {
        #expect(plan().next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: outcome, zones: [newYork])
                == utc("2026-03-03T16:00Z"))
    }

    @Test func retriedSetIsConfigurable() {
        let onlyBusy = plan(retried: [.busy])
        #expect(onlyBusy.next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .noAnswer, zones: [newYork]) == nil)
        #expect(onlyBusy.next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .busy, zones: [newYork])
                == utc("2026-03-03T16:00Z"))
    }

    @Test func disabledSmartCallbackLeavesPlainRetry() {
        var s = BatchSettings(callingWindow: window("09:00", "17:00"), allowedDays: mondayToFriday)
        s.retry = RetryPolicy(count: 1, intervalMinutes: 60)
        s.smartCallbackConfig = SmartCallbackConfig(enabled: false, maxAttempts: 9, gaps: [CallbackGap(days: 1, hours: 0)])
        let p = RetryPlan(s)
        #expect(p.spacing == .plain(RetryPolicy(count: 1, intervalMinutes: 60)) && p.maxAttempts == 2)
        #expect(p.next(afterAttempt: 1, endedAt: utc("2026-03-03T15:00Z"), outcome: .busy, zones: [newYork]) == utc("2026-03-03T16:00Z"))
    }
}
