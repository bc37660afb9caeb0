import DropdialBase
import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import DropdialTestKit
import Foundation
import Testing

/// SPEC §9 rate limits on a virtual clock: `simulate` and the dispatcher space call starts the same
/// way, and no window of a limit's period holds more starts than it allows.
@Suite struct RateLimitTests {
    /// Monday 2026-11-23 10:00 in New York (15:00Z), inside office hours: every call is due at once.
    let start = fixtureMonday.addingTimeInterval(15 * 3600)

    func starts(_ store: Store, _ rates: RateLimits, until: TimeInterval = 3600) async throws -> [Double] {
        let backend = SimulatedBackend(mode: .fixed(.completed), durationSec: 0)
        var events: [AttemptEvent] = []
        _ = try Simulation.run(store: store, backend: backend, start: start, until: start.addingTimeInterval(until),
                               retriedOutcomes: [], rateLimits: rates, onAttempt: { events.append($0) })
        let reference = try await DispatcherLoop.run(store: store, backend: backend, start: start,
                                                     until: start.addingTimeInterval(until), retriedOutcomes: [],
                                                     rateLimits: rates)
        #expect(events == reference, "simulate agrees with the dispatcher")
        return events.compactMap { Timestamp.parse($0.at)?.timeIntervalSince1970 }.map { $0 - start.timeIntervalSince1970 }
    }

    /// The most starts inside any window `[t, t + seconds)` that begins at a start.
    func busiest(_ times: [Double], _ seconds: Double) -> Int {
        times.map { t in times.filter { $0 >= t && $0 < t + seconds }.count }.max() ?? 0
    }

    func phones(_ n: Int, from first: Int = 100) -> [String] { (0..<n).map { "+1212555\(String(format: "%04d", first + $0))" } }

    @Test func callsPerSecondSpacesEveryStart() async throws {
        let s = try Scratch.store("cps")
        try importBatch(s, phones: phones(20), at: start)
        let times = try await starts(s, RateLimits(perSecond: 4))
        #expect(times.count == 20)
        // 4 a second: every second holds 4 starts (the printed instants are whole seconds).
        #expect(Dictionary(grouping: times, by: { $0 }).values.map(\.count).sorted() == [4, 4, 4, 4, 4])
        #expect(times.last == 4)
    }

    @Test func perBatchPerMinuteHoldsOneBatchAndNotAnother() async throws {
        let s = try Scratch.store("batch")
        try importBatch(s, phones: phones(6), name: "a", at: start)
        try importBatch(s, phones: phones(3, from: 500), name: "b", at: start)
        let times = try await starts(s, RateLimits(perMinutePerBatch: 2))
        // Each batch starts a call every 30 s; the other batch's calls do not wait for it.
        #expect(times.count == 9)
        #expect(times.sorted() == [0, 0, 30, 30, 60, 60, 90, 120, 150])
        #expect(busiest(times, 60) == 4)
    }

    @Test func perNumberPerMinuteRotatesTheCallingNumbers() async throws {
        let s = try Scratch.store("number")
        var settings = BatchSettings()
        settings.callingNumbers = ["+15550001", "+15550002"]
        try importBatch(s, phones: phones(8), settings: settings, at: start)
        let times = try await starts(s, RateLimits(perMinutePerNumber: 1))
        // Two calling numbers, one call a minute each: two starts a minute.
        #expect(times == [0, 0, 60, 60, 120, 120, 180, 180])
    }

    @Test func limitsCombine() async throws {
        let s = try Scratch.store("all")
        try importBatch(s, phones: phones(10), at: start)
        let times = try await starts(s, RateLimits(perSecond: 10, perMinutePerBatch: 6))
        // The batch limit (one per 10 s) binds before the 10 a second.
        #expect(times == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90])
    }

    @Test func aBucketIsFullAgainAfterItsGap() {
        var r = RateLimiter(RateLimits(perSecond: 2, perMinutePerNumber: 3, perMinutePerBatch: 0))
        #expect(r.availableAt(batch: 1, number: "n") == -.infinity)
        r.take(batch: 1, number: "n", at: 100)
        #expect(r.availableAt(batch: 2, number: nil) == 100.5)
        #expect(r.availableAt(batch: 1, number: "n") == 120)
        #expect(r.availableAt(number: "m") == -.infinity)
    }
}
