import DropdialTestKit
import DropdialImport
import DropdialConfig
@testable import DropdialDialer
import DropdialStore
import Foundation
import GRDB
import Logging
import Testing

/// The do-not-call list at dial time, on the virtual clock with the real dispatcher and store.
@Suite struct DoNotCallDispatchTests {
    /// Monday 2026-11-23 00:00 UTC; New York's window (09:00–17:00 EST) opens at 14:00Z.
    let monday = Date(timeIntervalSince1970: 1_795_392_000)

    func store(_ settings: BatchSettings = BatchSettings(), phones: [String]) throws -> Store {
        let store = try Scratch.store("dnc")
        try importBatch(store, phones: phones, settings: settings, at: monday)
        return store
    }

    func dispatcher(_ store: Store, _ backend: Recorder, _ clock: VirtualClock) -> Dispatcher {
        Dispatcher(store: store, backend: backend, clock: clock, limits: .unlimited,
                   retriedOutcomes: CallOutcome.defaultRetried, logger: Logger(label: "t"))
    }

    /// Passes until nothing is due, jumping the clock to each next due time (as `simulate` does).
    func runUntilIdle(_ d: Dispatcher, _ store: Store, _ clock: VirtualClock) async throws {
        while true {
            if try await d.passAndSettle() > 0 { continue }
            guard let next = try store.nextDue() else { return }
            clock.advance(to: max(Date(timeIntervalSince1970: TimeInterval(next)), clock.now().addingTimeInterval(1)))
        }
    }

    func attempts(_ store: Store) throws -> [String] {
        try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT idempotencyKey FROM attempt ORDER BY id")
        }
    }

    @Test func aNumberListedAfterImportAndBeforeItsDialIsNeverDialed() async throws {
        let s = try store(phones: ["+12125550123", "+12125550124"])
        let clock = VirtualClock(start: monday.addingTimeInterval(13 * 3600))
        let backend = Recorder(.completed)
        let d = dispatcher(s, backend, clock)
        // 13:00Z: before the window; both calls are moved to 14:00Z, the dial is coming.
        #expect(try await d.passAndSettle() == 2)
        #expect(try s.nextDue() == Int64(monday.addingTimeInterval(14 * 3600).timeIntervalSince1970))
        #expect(backend.dialed.isEmpty)
        // Listed now, after the import and before the dial.
        try s.addToDNC(["+12125550124"], source: .manual)
        clock.advance(to: monday.addingTimeInterval(14 * 3600))
        try await runUntilIdle(d, s, clock)
        #expect(backend.dialed == ["+12125550123"])
        let batch = try s.batchDetails(1, try CallQuery())
        let suppressed = try #require(batch.calls.first { $0.phoneNumber == "+12125550124" })
        #expect(suppressed.status == "done" && suppressed.lastOutcome == "suppressed")
        #expect(suppressed.attempts == 0 && suppressed.phoneLogs.isEmpty, "no attempt: nothing was dialed")
        #expect(batch.status == "completed")
    }

    @Test func aListedNumberIsNotRetriedEither() async throws {
        var settings = BatchSettings()
        settings.retry = RetryPolicy(count: 3, intervalMinutes: 60)
        let s = try store(settings, phones: ["+12125550123"])
        let clock = VirtualClock(start: monday.addingTimeInterval(14 * 3600))
        let backend = Recorder(.busy)
        let d = dispatcher(s, backend, clock)
        #expect(try await d.passAndSettle() == 1)
        try s.addToDNC(["+12125550123"], source: .manual)
        try await runUntilIdle(d, s, clock)
        #expect(backend.dialed.count == 1, "the retry due at 15:00Z was suppressed")
        #expect(try s.batchDetails(1, try CallQuery()).calls.first?.lastOutcome == "suppressed")
    }

    @Test func declinedListsTheNumberWhenTheInboxSaysSo() async throws {
        for flag in [true, false] {
            var settings = BatchSettings()
            settings.dncOnDecline = flag
            let s = try store(settings, phones: ["+12125550123"])
            let clock = VirtualClock(start: monday.addingTimeInterval(14 * 3600))
            try await runUntilIdle(dispatcher(s, Recorder(.declined), clock), s, clock)
            #expect(try s.isOnDNC("+12125550123") == flag)
            if flag { #expect(try s.dncEntries().first?.sources == [.declined]) }
        }
    }

    /// `add-calls` requeues a finished call: a full new cycle of attempts (here 1 + 1 retry),
    /// numbered on from the earlier ones so every idempotency key stays unique.
    @Test func aRequeuedCallGetsAFullNewCycle() async throws {
        var settings = BatchSettings()
        settings.retry = RetryPolicy(count: 1, intervalMinutes: 60)
        let s = try store(settings, phones: ["+12125550123"])
        let clock = VirtualClock(start: monday.addingTimeInterval(14 * 3600))
        let backend = Recorder(.busy)
        let d = dispatcher(s, backend, clock)
        try await runUntilIdle(d, s, clock)
        #expect(try attempts(s) == ["b1-c1-a1", "b1-c1-a2"])
        #expect(try s.batches().first?.status == "completed")
        let result = try s.addCalls(batch: 1, chunks: [AddCallsChunk(number: 1, calls: [
            CallDraft(rowNumber: 2, phoneNumber: "+12125550123", variablesJSON: "{}", timezone: nil, zones: "America/New_York"),
        ])], now: clock.now())
        #expect(result.requeued == 1)
        try await runUntilIdle(d, s, clock)
        #expect(try attempts(s) == ["b1-c1-a1", "b1-c1-a2", "b1-c1-a3", "b1-c1-a4"])
        #expect(backend.dialed.count == 4)
        #expect(try s.batches().first?.status == "completed")
    }
}

/// A backend that records each dialed number and ends every call with one outcome.
final class Recorder: CallBackend, @unchecked Sendable {
    private let lock = NSLock()
    private var numbers: [String] = []
    let outcome: CallOutcome

    init(_ outcome: CallOutcome) { self.outcome = outcome }

    func place(_ call: CallRequest) async -> CallResult {
        lock.withLock { numbers.append(call.phoneNumber) }
        return CallResult(outcome: outcome, durationSec: 1)
    }

    var dialed: [String] { lock.withLock { numbers } }
}
