import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import Foundation
import Logging
import Testing

/// The dispatcher over a real store on a virtual clock: no sleeps, every instant derived by hand.
@Suite struct DispatcherTests {
    /// Monday 2026-11-23 00:00 UTC.
    let monday = Date(timeIntervalSince1970: 1_795_392_000)

    func store(_ settings: BatchSettings, phones: [String], zones: String = "America/New_York",
               importedAt: Date? = nil) throws -> Store {
        let store = try Scratch.store("disp")
        try importBatch(store, phones: phones, zones: zones, settings: settings, at: importedAt ?? monday)
        return store
    }

    /// `Simulation`'s attempts, checked against the real dispatcher's loop over the same store.
    func simulate(_ store: Store, outcome: CallOutcome, start: Date? = nil, until: Date? = nil) async throws -> [AttemptEvent] {
        let backend = SimulatedBackend(mode: .fixed(outcome), durationSec: 0)
        let retried = CallOutcome.defaultRetried
        var events: [AttemptEvent] = []
        _ = try Simulation.run(store: store, backend: backend, start: start ?? monday, until: until,
                               retriedOutcomes: retried, onAttempt: { events.append($0) })
        let reference = try await DispatcherLoop.run(store: store, backend: backend, start: start ?? monday,
                                                     until: until, retriedOutcomes: retried)
        #expect(events == reference, "simulate agrees with the dispatcher")
        return events
    }

    @Test func firstAttemptWaitsForTheWindowInTheContactsZone() async throws {
        let s = try store(BatchSettings(), phones: ["+12125550123"])
        let events = try await simulate(s, outcome: .completed)
        // Monday 09:00 in New York (EST, UTC−5) is 14:00Z.
        #expect(events.map(\.at) == ["2026-11-23T14:00:00Z"])
        #expect(events.first?.attempt == 1)
    }

    @Test func retriesSpillPastTheWindowIntoTheNextAllowedDay() async throws {
        var settings = BatchSettings()
        settings.retry = RetryPolicy(count: 3, intervalMinutes: 180)
        let s = try store(settings, phones: ["+12125550123"])
        let events = try await simulate(s, outcome: .busy)
        // 09:00, 12:00, 15:00 local; 18:00 is past 17:00, so Tuesday 09:00.
        #expect(events.map(\.at) == ["2026-11-23T14:00:00Z", "2026-11-23T17:00:00Z", "2026-11-23T20:00:00Z",
                                     "2026-11-24T14:00:00Z"])
        #expect(events.map(\.attempt) == [1, 2, 3, 4])
        #expect(events.allSatisfy { $0.outcome == "busy" })
    }

    @Test func finalOutcomeIsNotRetried() async throws {
        let s = try store(BatchSettings(), phones: ["+12125550123", "+12125550124"])
        let events = try await simulate(s, outcome: .declined)
        #expect(events.count == 2)
        #expect(try s.batches().first?.status == "scheduled", "simulate leaves the real database as it was")
    }

    @Test func untilStopsTheClock() async throws {
        let s = try store(BatchSettings(), phones: ["+12125550123"])
        let events = try await simulate(s, outcome: .noAnswer, until: monday.addingTimeInterval(16 * 3600))
        // 14:00Z and 15:00Z are before 16:00Z; the attempt due at 16:00Z itself is not run (SPEC §7).
        #expect(events.map(\.at) == ["2026-11-23T14:00:00Z", "2026-11-23T15:00:00Z"])
        let oneLater = try await simulate(s, outcome: .noAnswer, until: monday.addingTimeInterval(16 * 3600 + 1))
        #expect(oneLater.map(\.at).last == "2026-11-23T16:00:00Z")
    }

    @Test func scheduledAtDelaysTheFirstAttempt() async throws {
        var settings = BatchSettings()
        settings.scheduledAt = monday.addingTimeInterval(2 * 86_400 + 15 * 3600)  // Wednesday 15:00Z
        let s = try store(settings, phones: ["+12125550123"])
        let events = try await simulate(s, outcome: .completed)
        #expect(events.map(\.at) == ["2026-11-25T15:00:00Z"])
    }

    @Test func multiZoneContactWaitsForEveryZone() async throws {
        let s = try store(BatchSettings(), phones: ["+16055550123"], zones: "America/New_York,America/Denver")
        let events = try await simulate(s, outcome: .completed)
        // 09:00 in Denver (MST, UTC−7) is 16:00Z, when New York (11:00) is open too.
        #expect(events.map(\.at) == ["2026-11-23T16:00:00Z"])
    }

    @Test func limitsAndCallingNumberRotation() async throws {
        var settings = BatchSettings()
        settings.callingNumbers = ["+12125550100", "+12125550101"]
        let s = try store(settings, phones: (0..<5).map { "+1212555020\($0)" })
        let clock = VirtualClock(start: monday.addingTimeInterval(14 * 3600))
        let gate = Gate()
        let dispatcher = Dispatcher(store: s, backend: gate, clock: clock, limits: AttemptLimits(perBatch: 0, perNumber: 1),
                                    retriedOutcomes: [], logger: Logger(label: "t"))
        let placed = try await dispatcher.pass()
        #expect(placed == 2, "one call per calling number at once")
        await gate.waitForCalls(2)
        #expect(gate.callingNumbers.sorted() == ["+12125550100", "+12125550101"])
        #expect(Set(gate.keys).count == 2)
        gate.open()
        await dispatcher.drain()
        #expect(try await dispatcher.pass() == 2, "slots freed when calls end")
        await gate.waitForCalls(2)
        gate.open()
        await dispatcher.drain()
    }

    @Test func attemptsLeftInFlightAreClosedAndRetriedLaterNeverAtOnce() async throws {
        let s = try store(BatchSettings(), phones: ["+12125550123"])
        let start = monday.addingTimeInterval(14 * 3600)
        let due = try #require(try s.dueCalls(now: .max, limit: 1).first)
        _ = try s.beginAttempt(call: due, attempt: 1, key: "b1-c1-a1", callingNumber: nil, at: start)
        // The process died here. A restart at 14:10Z closes attempt 1 as failed; the retry waits 60 minutes.
        let events = try await simulate(s, outcome: .completed, start: start.addingTimeInterval(600))
        #expect(events.map(\.attempt) == [2])
        #expect(events.map(\.at) == ["2026-11-23T15:10:00Z"])
    }

    /// Issue 11 case 10: a stop waited for calls in flight as long as their backend held them.
    /// `drain(within:)` waits at most the stop time, then cancels them: the attempt ends `failed`
    /// (the backend's answer when cancelled; it would say `completed` after its hour) and the call
    /// waits for its retry. The time bound is loose: synchronous end-to-end tests can hold both
    /// threads of the pool for a minute.
    @Test func drainWaitsAtMostTheStopTimeThenCancels() async throws {
        let s = try store(BatchSettings(), phones: ["+12125550123"])
        let clock = VirtualClock(start: monday.addingTimeInterval(14 * 3600))
        let dispatcher = Dispatcher(store: s, backend: UntilCancelled(), clock: clock, limits: AttemptLimits(perBatch: 0, perNumber: 0),
                                    retriedOutcomes: [.failed], logger: Logger(label: "t"))
        #expect(try await dispatcher.pass() == 1)
        let started = ContinuousClock.now
        await dispatcher.drain(within: .seconds(1))
        let waited = ContinuousClock.now - started
        #expect(waited < .seconds(300), "the backend would hold the call 3600 s; waited \(waited)")
        #expect(await dispatcher.inFlight == 0)
        let call = try #require(try s.batchDetails(1, try CallQuery()).calls.first)
        #expect(call.phoneLogs.map(\.outcome) == ["failed"])
        #expect(call.status == "pending" && call.nextAttemptAt != nil, "retried later, never at once")
    }
}

/// A backend that holds every call for an hour unless its task is cancelled.
struct UntilCancelled: CallBackend {
    func place(_ call: CallRequest) async -> CallResult {
        do {
            try await Task.sleep(for: .seconds(3600))
            return CallResult(outcome: .completed, durationSec: 3600)
        } catch {
            return .failed("cancelled")
        }
    }
}

/// A backend that holds every call until the test opens the gate.
final class Gate: CallBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var callingNumbers: [String] = []
    private(set) var keys: [String] = []

    func place(_ call: CallRequest) async -> CallResult {
        await withCheckedContinuation { c in
            lock.lock()
            waiting.append(c)
            callingNumbers.append(call.callingNumber ?? "-")
            keys.append(call.idempotencyKey)
            lock.unlock()
        }
        return CallResult(outcome: .completed, durationSec: 1)
    }

    /// Calls waiting at the gate now.
    var count: Int { lock.withLock { waiting.count } }

    func waitForCalls(_ n: Int) async {
        while count < n { await Task.yield() }
    }

    func open() {
        lock.lock()
        let all = waiting
        waiting = []
        lock.unlock()
        for c in all { c.resume() }
    }
}
