import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import DropdialTestKit
import Foundation
import Logging
import Testing

/// A provider call's life in the dispatcher on a virtual clock (SPEC §9): created once, its outcome
/// from the first webhook or poll, polls only once `outcome_timeout_seconds` pass and then every
/// `poll_interval_seconds`, closed as `failed` at `max_call_seconds`, a 429 withdrawn.
@Suite struct ProviderLifecycleTests {
    /// A provider whose answers the test sets; it counts what the dispatcher asked.
    final class FakeProvider: ProviderBackend, @unchecked Sendable {
        let lock = NSLock()
        var creates: [String] = []
        var polls: [(String, Date)] = []
        var createAnswer: CreateResult?
        var pollAnswer: PollResult = .pending(reason: nil)
        let clock: VirtualClock

        init(clock: VirtualClock) { self.clock = clock }

        var name: String { "fake" }

        func create(_ call: CallRequest) async -> CreateResult {
            lock.withLock {
                creates.append(call.idempotencyKey)
                return createAnswer ?? .placed(providerCallId: "P-\(call.callId)-\(call.attempt)")
            }
        }

        func poll(providerCallId: String) async -> PollResult {
            lock.withLock {
                polls.append((providerCallId, clock.now()))
                return pollAnswer
            }
        }

        func webhook(_ request: WebhookRequest) -> WebhookVerdict { .notFinal(providerCallId: nil) }

        func set(_ body: (FakeProvider) -> Void) { lock.withLock { body(self) } }
        var snapshot: (creates: [String], polls: [(String, Date)]) { lock.withLock { (creates, polls) } }
    }

    /// Monday 2026-11-23 15:00Z (10:00 in New York): office hours, every call due.
    let start = fixtureMonday.addingTimeInterval(15 * 3600)

    func rig(_ phones: [String], retry: RetryPolicy = RetryPolicy(count: 2, intervalMinutes: 60))
        throws -> (Store, Dispatcher, FakeProvider, VirtualClock) {
        let store = try Scratch.store("provider")
        var settings = BatchSettings()
        settings.retry = retry
        try importBatch(store, phones: phones, settings: settings, at: start)
        let clock = VirtualClock(start: start)
        let provider = FakeProvider(clock: clock)
        var timing = DialerConfig.ProviderTiming()
        timing.outcomeTimeoutSeconds = 900
        timing.pollIntervalSeconds = 30
        timing.maxCallSeconds = 3600
        let dispatcher = Dispatcher(store: store, backend: provider, clock: clock, limits: .unlimited,
                                    retriedOutcomes: [.busy, .failed], timing: timing,
                                    logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        return (store, dispatcher, provider, clock)
    }

    /// Passes at `clock`'s time until nothing more is in flight but the provider calls.
    func settle(_ d: Dispatcher) async throws {
        _ = try await d.pass()
        await d.settlePolls()
        await d.drain()
    }

    func advance(_ clock: VirtualClock, by seconds: Double, _ d: Dispatcher) async throws {
        clock.advance(to: clock.now().addingTimeInterval(seconds))
        try await settle(d)
        await d.drain()
    }

    @Test func aLostWebhookIsPolledAfterTheOutcomeTimeoutThenEveryInterval() async throws {
        let (store, d, provider, clock) = try rig(["+12125550100"])
        try await settle(d)
        #expect(provider.snapshot.creates == ["b1-c1-a1"])
        #expect(await d.inFlight == 1)
        try await advance(clock, by: 899, d)
        #expect(provider.snapshot.polls.isEmpty, "no poll before outcome_timeout_seconds")
        try await advance(clock, by: 1, d)
        try await advance(clock, by: 29, d)
        try await advance(clock, by: 1, d)
        #expect(provider.snapshot.polls.map { $0.1.timeIntervalSince(start) } == [900, 930])
        provider.set { $0.pollAnswer = .final(CallResult(outcome: .completed, durationSec: 42)) }
        try await advance(clock, by: 30, d)
        #expect(try store.batches().first?.calls == ["done": 1])
        #expect(await d.inFlight == 0)
        // A webhook after the poll's outcome changes nothing.
        #expect(await d.providerEvent(providerCallId: "P-1-1", result: CallResult(outcome: .busy, durationSec: 1)) == .duplicate)
        #expect(try store.batches().first?.calls == ["done": 1])
        #expect(provider.snapshot.creates.count == 1)
    }

    @Test func aCallNeverFinalIsClosedAtMaxCallSeconds() async throws {
        let (store, d, provider, clock) = try rig(["+12125550100"], retry: RetryPolicy(count: 0, intervalMinutes: 60))
        try await settle(d)
        for _ in 0..<100 { try await advance(clock, by: 30, d) }   // 3000 s: still open
        #expect(try store.batches().first?.calls == ["dialing": 1])
        for _ in 0..<20 { try await advance(clock, by: 30, d) }    // 3600 s
        #expect(try store.batches().first?.calls == ["done": 1])
        let polls = provider.snapshot.polls.map { $0.1.timeIntervalSince(start) }
        #expect(polls.first == 900 && polls.last! < 3600)
        #expect(provider.snapshot.creates.count == 1)
    }

    @Test func webhooksAreRecordedOnceAndUnknownCallsChangeNothing() async throws {
        let (store, d, provider, _) = try rig(["+12125550100", "+12125550101"])
        try await settle(d)
        #expect(await d.providerEvent(providerCallId: "P-1-1", result: CallResult(outcome: .busy, durationSec: 3)) == .accepted)
        #expect(await d.providerEvent(providerCallId: "P-1-1", result: CallResult(outcome: .completed, durationSec: 3)) == .duplicate)
        #expect(await d.providerEvent(providerCallId: "nope", result: CallResult(outcome: .completed, durationSec: 3)) == .unknownCall)
        let calls = try store.batchDetails(1, CallQuery()).calls
        // busy was retried once (one new due time), not twice; the other call is still open.
        #expect(calls.map(\.status) == ["pending", "dialing"])
        #expect(calls.map(\.attempts) == [1, 1])
        #expect(calls[0].lastOutcome == "busy")
        #expect(provider.snapshot.creates.count == 2)
    }

    @Test func aThrottledCreateIsWithdrawnAndDueAgainAfterRetryAfter() async throws {
        let (store, d, provider, clock) = try rig(["+12125550100"])
        provider.set { $0.createAnswer = .throttled(retryAfter: 5) }
        try await settle(d)
        var call = try #require(try store.batchDetails(1, CallQuery()).calls.first)
        #expect(call.attempts == 0 && call.status == "pending" && call.phoneLogs.isEmpty, "nothing placed, no attempt")
        #expect(call.nextAttemptAt == start.addingTimeInterval(5))
        provider.set { $0.createAnswer = nil }
        try await advance(clock, by: 4, d)
        #expect(provider.snapshot.creates.count == 1, "not before Retry-After")
        try await advance(clock, by: 1, d)
        call = try #require(try store.batchDetails(1, CallQuery()).calls.first)
        #expect(provider.snapshot.creates == ["b1-c1-a1", "b1-c1-a1"], "the same attempt, asked again")
        #expect(call.attempts == 1 && call.status == "dialing")
    }

    @Test func openCallsSurviveARestartAndKeepTheirSlots() async throws {
        let (store, d, provider, clock) = try rig(["+12125550100", "+12125550101"])
        try await settle(d)
        // A new dispatcher on the same store, as after kill -9.
        let again = Dispatcher(store: store, backend: provider, clock: clock, limits: AttemptLimits(perBatch: 2, perNumber: 0),
                               retriedOutcomes: [], logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await again.recover()
        #expect(await again.inFlight == 2)
        #expect(try store.batches().first?.calls == ["dialing": 2], "still open, not closed as failed")
        #expect(await again.providerEvent(providerCallId: "P-2-1", result: CallResult(outcome: .completed, durationSec: 9)) == .accepted)
        #expect(try store.batches().first?.calls == ["dialing": 1, "done": 1])
        #expect(provider.snapshot.creates.count == 2, "nothing created again")
    }
}
