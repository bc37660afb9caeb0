import DropdialTestKit
import DropdialConfig
import DropdialStore
import Foundation
import GRDB
import Testing

@Suite struct DialerQueryTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func storeWithBatch(calls n: Int, scheduledAt: Date? = nil) throws -> (Store, Int64) {
        let store = try Scratch.store("dq")
        var settings = BatchSettings()
        settings.scheduledAt = scheduledAt
        let id = try importBatch(store, phones: (0..<n).map { "+1415555\(String(format: "%04d", $0))" },
                                 settings: settings, at: t0)
        return (store, id)
    }

    @Test func importedCallsAreDueFromImportTimeOrScheduledAt() throws {
        let (store, _) = try storeWithBatch(calls: 3)
        #expect(try store.dueCalls(now: Int64(t0.timeIntervalSince1970) - 1, limit: 10).isEmpty)
        #expect(try store.dueCalls(now: Int64(t0.timeIntervalSince1970), limit: 10).count == 3)
        let later = t0.addingTimeInterval(86_400)
        let (scheduled, _) = try storeWithBatch(calls: 2, scheduledAt: later)
        #expect(try scheduled.nextDue() == Int64(later.timeIntervalSince1970))
    }

    @Test func dueSelectionUsesThePartialIndex() throws {
        let (store, _) = try storeWithBatch(calls: 1)
        let plan = try store.pool.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT id FROM call WHERE status = 'pending' AND nextAttemptAt <= 5
                ORDER BY nextAttemptAt LIMIT 10
                """).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX call_due") }, "\(plan)")
    }

    @Test func attemptLifecycleAndBatchStatus() throws {
        let (store, batch) = try storeWithBatch(calls: 1)
        let call = try #require(try store.dueCalls(now: .max, limit: 1).first)
        #expect(try store.beginAttempt(call: call, attempt: 1, key: "b-c-a1", callingNumber: nil, at: t0) == .began)
        #expect(try store.beginAttempt(call: call, attempt: 1, key: "b-c-a1x", callingNumber: nil, at: t0) == .notPending,
                "an attempt is recorded once; a second taker is refused")
        #expect(try store.batches().first?.status == "active")
        #expect(try store.dueCalls(now: .max, limit: 1).isEmpty, "a call in flight is not due")
        try store.finishAttempt(callId: call.id, attempt: 1, outcome: .busy, durationSec: 3, endedAt: t0, next: 42)
        #expect(try store.dueCalls(now: 42, limit: 1).first?.attempts == 1)
        let again = try #require(try store.dueCalls(now: 42, limit: 1).first)
        #expect(try store.beginAttempt(call: again, attempt: 2, key: "b-c-a2", callingNumber: nil, at: t0) == .began)
        try store.finishAttempt(callId: call.id, attempt: 2, outcome: .completed, durationSec: 9, endedAt: t0, next: nil)
        #expect(try store.batches().first { $0.id == batch }?.status == "completed")
        #expect(try store.batches().first?.calls == ["done": 1])
    }

    @Test func openAttemptsAreClosedAsFailedAtStartup() throws {
        let (store, _) = try storeWithBatch(calls: 2)
        let calls = try store.dueCalls(now: .max, limit: 2)
        for c in calls { _ = try store.beginAttempt(call: c, attempt: 1, key: "k\(c.id)", callingNumber: nil, at: t0) }
        try store.finishAttempt(callId: calls[0].id, attempt: 1, outcome: .completed, durationSec: 1, endedAt: t0, next: nil)
        let open = try store.closeOpenAttempts(at: t0.addingTimeInterval(60))
        #expect(open.map(\.callId) == [calls[1].id])
        #expect(try store.closeOpenAttempts(at: t0).isEmpty, "closed once")
    }

    @Test func pauseResumeCancel() throws {
        let (store, batch) = try storeWithBatch(calls: 3)
        #expect(try store.control(batch: batch, .pause) == "paused")
        #expect(try store.dueCalls(now: .max, limit: 10).isEmpty, "paused calls are not due")
        #expect(try store.control(batch: batch, .resume) == "scheduled")
        #expect(try store.dueCalls(now: .max, limit: 10).count == 3)
        #expect(try store.control(batch: batch, .cancel) == "cancelled")
        #expect(try store.dueCalls(now: .max, limit: 10).isEmpty)
        #expect(throws: BatchControlError.notAllowed(batch: batch, status: "cancelled", command: "resume")) {
            try store.control(batch: batch, .resume)
        }
        #expect(throws: BatchControlError.unknownBatch(999)) { try store.control(batch: 999, .pause) }
    }

    /// A call ringing when its batch is paused or cancelled must not come back as pending when the
    /// attempt ends with a retry: it follows its batch.
    @Test(arguments: [(BatchCommand.pause, "paused"), (BatchCommand.cancel, "cancelled")])
    func callRingingDuringPauseOrCancelFollowsItsBatch(command: BatchCommand, status: String) throws {
        let (store, batch) = try storeWithBatch(calls: 2)
        let calls = try store.dueCalls(now: .max, limit: 2)
        _ = try store.beginAttempt(call: calls[0], attempt: 1, key: "k", callingNumber: nil, at: t0)
        _ = try store.control(batch: batch, command)
        try store.finishAttempt(callId: calls[0].id, attempt: 1, outcome: .busy, durationSec: 1, endedAt: t0,
                                next: Int64(t0.timeIntervalSince1970) + 3600)
        #expect(try store.dueCalls(now: .max, limit: 10).isEmpty, "nothing of the batch is due")
        #expect(try store.batches().first?.calls == [status: 2])
        #expect(try store.callsInFlight().isEmpty)
    }
}
