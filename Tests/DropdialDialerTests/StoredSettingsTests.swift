import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import Foundation
import Logging
import Testing

/// No stored value of one batch stops the dialer for the others, and stored retry settings from
/// before the bounds still cannot dial one person again and again.
@Suite struct StoredSettingsTests {
    let monday = Date(timeIntervalSince1970: 1_795_392_000)

    func store(_ batches: [BatchSettings]) throws -> Store {
        let store = try Scratch.store("stored")
        for (b, settings) in batches.enumerated() {
            try importBatch(store, phones: ["+1212555010\(b)"], settings: settings, name: "b\(b)", at: monday)
        }
        return store
    }

    var anyHour: BatchSettings {
        var s = BatchSettings()
        s.callingWindow = CallingWindow(start: LocalTime(minutes: 0), end: LocalTime(minutes: 24 * 60))
        s.allowedDays = [0, 1, 2, 3, 4, 5, 6]
        s.callingHoursGuard = false
        return s
    }

    @Test func aBatchWhoseSettingsCannotBeReadIsSkippedAndTheOthersDial() async throws {
        var broken = anyHour
        // What an older version let through: year −1, which the stored JSON cannot decode.
        broken.scheduledAt = Date(timeIntervalSince1970: -62_200_000_000)
        let s = try store([broken, anyHour])
        #expect(throws: StoredSettingsUnreadable.self) { try s.settings(batch: 1) }
        let clock = VirtualClock(start: monday.addingTimeInterval(15 * 3600))
        let backend = SimulatedBackend(mode: .fixed(.completed), durationSec: 0)
        let log = EventLog()
        let dispatcher = Dispatcher(store: s, backend: Observed(inner: backend, clock: clock, log: log), clock: clock,
                                    limits: .unlimited, retriedOutcomes: [], logger: Logger(label: "t"))
        try await dispatcher.recover()
        #expect(try await dispatcher.passAndSettle() == 1)
        #expect(log.all.map(\.batchId) == [2])
        #expect(await dispatcher.skippedBatches == [1])
        #expect(try s.nextDue(excluding: [1]) == nil, "the skipped batch does not keep the loop awake")
        #expect(try s.dueCalls(now: .max, limit: 10, excluding: [1]).isEmpty)
        // simulate leaves it out the same way and says so.
        let summary = try Simulation.run(store: s, backend: backend, start: clock.now(), until: nil,
                                         retriedOutcomes: [], onAttempt: { _ in })
        #expect(summary.skipped.count == 1 && summary.skipped[0].contains("batch 1"))
    }

    @Test func storedUnboundedRetriesAreClampedSoSimulateEnds() throws {
        var settings = anyHour
        settings.retry = RetryPolicy(count: 999_999_999, intervalMinutes: 0)
        let s = try store([settings])
        let backend = SimulatedBackend(mode: .fixed(.noAnswer), durationSec: 0)
        var events: [AttemptEvent] = []
        let start = monday.addingTimeInterval(15 * 3600)
        _ = try Simulation.run(store: s, backend: backend, start: start, until: start.addingTimeInterval(3600),
                               retriedOutcomes: [.noAnswer], onAttempt: { events.append($0) })
        // At most one attempt a minute, never 3.39 million at one instant.
        #expect(events.count == 21)
        #expect(Set(events.map(\.at)).count == events.count)
        _ = try Simulation.run(store: s, backend: backend, start: start, until: nil, retriedOutcomes: [.noAnswer],
                               onAttempt: { events.append($0) })
        #expect(events.count == 42, "without --until it ends after the clamped 21 attempts")
    }
}

@Suite struct MaskedNumberTests {
    @Test func theFirstFourAndLastTwoDigitsStay() {
        #expect(MaskedNumber("+14155550132").description == "+1415*****32")
        #expect(MaskedNumber("+442071838750").description == "+4420******50")
        #expect(MaskedNumber("+3312").description == "+3312")
    }
}

/// The one decision on a due call that the dispatcher and `simulate` share.
@Suite struct DueDecisionTests {
    @Test func endRescheduleOrDial() {
        let office = rules("09:00", "17:00", days: mondayToFriday)
        // Monday 2026-11-23 14:00Z is 09:00 in New York.
        #expect(DueDecision.of(office, at: utc("2026-11-23T14:00:00Z"), zones: [newYork]) == .dial)
        #expect(DueDecision.of(office, at: utc("2026-11-23T14:00:00Z").addingTimeInterval(-0.5), zones: [newYork]) == .dial,
                "less than a second away counts as now")
        #expect(DueDecision.of(office, at: utc("2026-11-23T13:00:00Z"), zones: [newYork])
                == .reschedule(Int64(utc("2026-11-23T14:00:00Z").timeIntervalSince1970)))
        let never = rules("09:00", "17:00", days: mondayToFriday, holidays: (0..<420).map { day in
            let d = Date(timeIntervalSince1970: 1_795_392_000 + Double(day) * 86_400)
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd"
            f.timeZone = newYork
            return f.string(from: d)
        })
        #expect(DueDecision.of(never, at: utc("2026-11-23T13:00:00Z"), zones: [newYork]) == .end)
    }
}
