import DropdialBase
import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import Foundation
import Testing

/// `Simulation` keeps its calls in memory instead of asking the database per attempt; these tests
/// hold it to the real dispatcher's loop (`DispatcherLoop`) on mixed batches, zones, outcomes,
/// DST-crossing starts, attempts left in flight, `--until`, and paused and cancelled batches.
@Suite struct SimulationTests {
    static let zoneLists = ["America/New_York", "America/Chicago", "America/Phoenix", "America/St_Johns",
                            "Asia/Kolkata", "Australia/Sydney", "Europe/Berlin", "America/New_York,America/Denver",
                            "Europe/London,Europe/Lisbon"]

    /// A store with five batches of different rules, `n` calls each, some numbers on the do-not-call
    /// list, some attempts left in flight.
    func store(seed: UInt64, calls n: Int, importedAt: Date) throws -> Store {
        var rng = SplitMix64(seed: seed)
        let store = try Scratch.store("sim")
        var plain = BatchSettings()
        plain.retry = RetryPolicy(count: 3, intervalMinutes: 45)
        plain.dncOnDecline = true
        var smart = BatchSettings(allowedDays: [1, 2, 3, 4, 5, 6, 0])
        smart.smartCallbackConfig = SmartCallbackConfig(enabled: true, maxAttempts: 5,
                                                        gaps: [CallbackGap(days: 0, hours: 2), CallbackGap(days: 1, hours: 0)])
        smart.holidays = ["2026-03-09", "2026-11-03"]
        var late = BatchSettings(callingWindow: CallingWindow(start: LocalTime(minutes: 18 * 60), end: LocalTime(minutes: 23 * 60)),
                                 allowedDays: [6, 7], callingHoursGuard: false)
        late.scheduledAt = importedAt.addingTimeInterval(3 * 86_400 + 1234)
        let never = BatchSettings(callingWindow: CallingWindow(start: LocalTime(minutes: 22 * 60), end: LocalTime(minutes: 23 * 60)))
        // Batch 4 repeats batch 0's numbers: a number declined there (dnc_on_decline) is not dialed here.
        for (b, settings) in [plain, smart, late, never, plain].enumerated() {
            let contacts = (0..<n).map { i in
                Contact(phone: "+1212\(b % 4)\(String(format: "%06d", i))",
                        zones: Self.zoneLists[Int(rng.next() % UInt64(Self.zoneLists.count))])
            }
            try importBatch(store, contacts, settings: settings, name: "b\(b)",
                            at: importedAt.addingTimeInterval(Double(b * 97)))
        }
        _ = try store.addToDNC((0..<n).filter { _ in rng.next() % 8 == 0 }.map { "+12121\(String(format: "%06d", $0))" },
                               source: .manual, at: importedAt)
        for call in try store.dueCalls(now: .max, limit: n * 5) where rng.next() % 10 == 0 {
            _ = try store.beginAttempt(call: call, attempt: 1, key: "k\(call.id)", callingNumber: nil, at: importedAt)
        }
        return store
    }

    func compare(_ store: Store, seed: UInt64, start: Date, until: Date?) async throws -> [AttemptEvent] {
        let weights: [(CallOutcome, Double)] = [(.completed, 2), (.noAnswer, 3), (.busy, 2), (.failed, 1), (.voicemail, 1), (.declined, 0.5)]
        let backend = SimulatedBackend(mode: .weighted(weights, seed: seed), durationSec: 0)
        let retried = CallOutcome.defaultRetried
        var events: [AttemptEvent] = []
        let summary = try Simulation.run(store: store, backend: backend, start: start, until: until,
                                         retriedOutcomes: retried, onAttempt: { events.append($0) })
        let reference = try await DispatcherLoop.run(store: store, backend: backend, start: start, until: until,
                                                     retriedOutcomes: retried)
        #expect(summary.attempts == events.count)
        #expect(events.count == reference.count)
        if let i = zip(events, reference).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("first difference at attempt line \(i): \(events[i]) vs dispatcher \(reference[i])")
        }
        #expect(events.map(\.at) == events.map(\.at).sorted(), "time order")
        return events
    }

    /// Starts just before the US spring-forward, the EU fall-back and the Australian fall-back.
    @Test(arguments: [(UInt64(1), "2026-03-06T12:00:00Z"), (2, "2026-10-23T20:00:00Z"), (3, "2026-04-02T07:30:00Z")])
    func agreesWithTheDispatcher(seed: UInt64, start: String) async throws {
        let t = try #require(ISO8601DateFormatter().date(from: start))
        let s = try store(seed: seed, calls: 60, importedAt: t.addingTimeInterval(-3600))
        let events = try await compare(s, seed: seed, start: t, until: nil)
        #expect(events.count > 240, "every call dialed at least once, most of them retried")
        #expect(Set(events.map(\.attempt)).isSuperset(of: [1, 2, 3, 4, 5]))
        let listed = try Set(s.dncNumbers())
        #expect(!listed.isEmpty)
        #expect(events.allSatisfy { !listed.contains($0.phoneNumber) }, "listed numbers are never dialed")
        let declinedInBatch1 = Set(events.filter { $0.batchId == 1 && $0.outcome == "declined" }.map(\.phoneNumber))
        #expect(!declinedInBatch1.isEmpty)
        let laterInBatch5 = events.filter { $0.batchId == 5 && declinedInBatch1.contains($0.phoneNumber) }
        #expect(laterInBatch5.allSatisfy { e in
            !events.contains { $0.batchId == 1 && $0.phoneNumber == e.phoneNumber && $0.outcome == "declined" && $0.at < e.at }
        }, "a number declined in batch 1 is not dialed later in batch 5")
    }

    @Test func untilCutsBothTheSame() async throws {
        let t = try #require(ISO8601DateFormatter().date(from: "2026-03-06T12:00:00Z"))
        let s = try store(seed: 9, calls: 40, importedAt: t)
        let events = try await compare(s, seed: 9, start: t, until: t.addingTimeInterval(2 * 86_400))
        #expect(!events.isEmpty)
        #expect(events.last!.at <= "2026-03-08T12:00:00Z")
    }

    @Test func pausedAndCancelledBatchesAreNotDialed() async throws {
        let t = try #require(ISO8601DateFormatter().date(from: "2026-03-06T12:00:00Z"))
        let s = try store(seed: 5, calls: 30, importedAt: t)
        _ = try s.control(batch: 1, .pause)
        _ = try s.control(batch: 2, .cancel)
        let events = try await compare(s, seed: 5, start: t, until: nil)
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.batchId > 2 })
    }
}
