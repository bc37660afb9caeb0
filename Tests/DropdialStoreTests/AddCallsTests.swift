import DropdialImport
import DropdialTestKit
import DropdialConfig
import DropdialStore
import Foundation
import GRDB
import Testing

/// `add-calls` at the store: the seeds' upsert (pending updated, final requeued, new inserted),
/// one transaction per chunk, and the batch waking up.
@Suite struct AddCallsTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    var later: Date { t0.addingTimeInterval(7200) }

    func draft(_ phone: String, _ variables: String = "{}", row: Int = 2) -> CallDraft {
        CallDraft(rowNumber: row, phoneNumber: phone, variablesJSON: variables, timezone: nil, zones: "America/New_York")
    }

    /// Dials `phone` once (attempt 1) and ends it with `outcome`, final.
    func dialOnce(_ store: Store, _ phone: String, outcome: CallOutcome) throws {
        let call = try #require(try store.dueCalls(now: .max, limit: 100).first { $0.phoneNumber == phone })
        #expect(try store.beginAttempt(call: call, attempt: 1, key: "k-\(phone)", callingNumber: nil, at: t0) == .began)
        try store.finishAttempt(callId: call.id, attempt: 1, outcome: outcome, durationSec: 5, endedAt: t0, next: nil)
    }

    func call(_ store: Store, _ batch: Int64, _ phone: String) throws -> CallDetail {
        let q = try CallQuery(filter: CallFilter(conditions: []), search: phone)
        return try #require(try store.batchDetails(batch, q).calls.first { $0.phoneNumber == phone })
    }

    @Test func pendingIsUpdatedFinalIsRequeuedNewIsInserted() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550001", variables: #"{"name":"Old"}"#),
                                            Contact(phone: "+14155550002", variables: #"{"name":"Done"}"#)], at: t0)
        try dialOnce(store, "+14155550002", outcome: .completed)
        let pendingBefore = try call(store, batch, "+14155550001")

        let result = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [
            draft("+14155550001", #"{"name":"New"}"#), draft("+14155550002", #"{"name":"Again"}"#),
            draft("+14155550003", #"{"name":"Fresh"}"#),
        ])], now: later)
        #expect((result.inserted, result.updated, result.requeued) == (1, 1, 1))
        #expect(result.failedChunks.isEmpty)

        let pending = try call(store, batch, "+14155550001")
        #expect(pending.id == pendingBefore.id && pending.status == "pending" && pending.attempts == 0)
        #expect(pending.variables == ["name": "New"])
        #expect(pending.nextAttemptAt == pendingBefore.nextAttemptAt, "a pending call keeps its place")

        let requeued = try call(store, batch, "+14155550002")
        #expect(requeued.status == "pending" && requeued.variables == ["name": "Again"])
        #expect(requeued.nextAttemptAt == later, "due now: the dialer's next pass takes it")
        #expect(requeued.attempts == 1 && requeued.phoneLogs.map(\.outcome) == ["completed"], "earlier attempts stay in its log")
        #expect(requeued.lastOutcome == "completed")

        let fresh = try call(store, batch, "+14155550003")
        #expect(fresh.status == "pending" && fresh.attempts == 0 && fresh.nextAttemptAt == later)
        #expect(result.ids == [pending.id, requeued.id, fresh.id], "ids in file order")
        #expect(try store.dueCalls(now: Int64(later.timeIntervalSince1970), limit: 10).count == 3)
    }

    /// The batch's kept call count (what an unfiltered batch-details page reports as `total`)
    /// is the number of its calls after an import with in-file duplicates and an add-calls that
    /// inserts, updates and requeues.
    @Test func theKeptCallCountIsTheBatchsCalls() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550001"), Contact(phone: "+14155550002"),
                                            Contact(phone: "+14155550001"), Contact(phone: "+14155550003")], at: t0)
        let other = try importBatch(store, phones: ["+14155550001", "+14155550009"], name: "other")
        try dialOnce(store, "+14155550002", outcome: .completed)
        _ = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [
            draft("+14155550001"), draft("+14155550002"), draft("+14155550004"), draft("+14155550005"),
        ])], now: later)
        for id in [batch, other] {
            let counted = try store.pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call WHERE batchId = ?", arguments: [id])
            }
            let details = try store.batchDetails(id, CallQuery())
            #expect(details.total == counted, "batch \(id)")
            // A filter that every call matches is counted in the call table, not from the kept count.
            let filtered = try store.batchDetails(id, try CallQuery(filter: CallFilter(json: #"{"nobodyHasThis": null}"#)))
            #expect(filtered.total == counted)
        }
        #expect(try store.batchDetails(batch, CallQuery()).total == 5)
    }

    @Test func aRequeuedCallStartsANewCycle() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550002")], at: t0)
        try dialOnce(store, "+14155550002", outcome: .noAnswer)
        _ = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [draft("+14155550002")])], now: later)
        let due = try #require(try store.dueCalls(now: .max, limit: 1).first)
        #expect(due.attempts == 1 && due.cycleBase == 1, "the next attempt is number 2, the first of its cycle")
    }

    @Test func aCompletedBatchIsActiveAgainAndANeverDialedOneScheduled() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550002")], at: t0)
        try dialOnce(store, "+14155550002", outcome: .completed)
        #expect(try store.batches().first?.status == "completed")
        _ = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [draft("+14155550009")])], now: later)
        #expect(try store.batches().first?.status == "active")
    }

    @Test func callsAddedToAPausedBatchWaitForResume() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550002")], at: t0)
        #expect(try store.control(batch: batch, .pause) == "paused")
        _ = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [draft("+14155550009")])], now: later)
        #expect(try store.dueCalls(now: .max, limit: 10).isEmpty)
        #expect(try store.control(batch: batch, .resume) == "scheduled")
        #expect(try store.dueCalls(now: .max, limit: 10).count == 2)
    }

    @Test func aCancelledOrUnknownBatchIsRefused() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550002")], at: t0)
        #expect(throws: AddCallsError.unknownBatch(batch + 1)) { try store.addCallsTarget(batch + 1) }
        _ = try store.control(batch: batch, .cancel)
        #expect(throws: AddCallsError.cancelled(batch)) { try store.addCallsTarget(batch) }
    }

    @Test func theSearchIndexFollowsUpdatedVariables() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550001", variables: #"{"name":"Oldname"}"#)], at: t0)
        try store.indexForSearch()
        _ = try store.addCalls(batch: batch, chunks: [AddCallsChunk(number: 1, calls: [
            draft("+14155550001", #"{"name":"Newname"}"#), draft("+14155550005", #"{"name":"Addedname"}"#),
        ])], now: later)
        // The update went through the trigger; the inserted call waits for the indexer.
        #expect(try !store.searchIndexIsCurrent())
        try store.indexForSearch()
        func found(_ text: String) throws -> [String] {
            try store.batchDetails(batch, try CallQuery(search: text)).calls.map(\.phoneNumber)
        }
        #expect(try found("oldname") == [])
        #expect(try found("newname") == ["+14155550001"])
        #expect(try found("addedname") == ["+14155550005"])
    }

    /// Three chunks; the fault hook throws at the end of chunk 2's transaction, after its rows
    /// were written: they must all be rolled back, while chunks 1 and 3 stay.
    @Test func aFailedChunkIsRolledBackAloneAndReported() throws {
        let store = try Scratch.store("add")
        let batch = try importBatch(store, [Contact(phone: "+14155550001")], at: t0)
        let phones = (0..<2500).map { String(format: "+1617555%04d", $0) }
        let chunks = stride(from: 0, to: 2500, by: 1000).map { start in
            AddCallsChunk(number: start / 1000 + 1, calls: (start..<min(start + 1000, 2500)).map { draft(phones[$0], row: $0 + 2) })
        }
        struct InjectedFault: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        let result = try store.addCalls(batch: batch, chunks: chunks, now: later) { chunk in
            if chunk == 2 { throw InjectedFault() }
        }
        #expect(result.failedChunks == [.init(chunkNum: 2, error: "disk on fire", firstRow: 1002, lastRow: 2001)])
        #expect(result.inserted == 1500 && result.ids.count == 1500)
        let stored = Set(try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT phoneNumber FROM call WHERE batchId = ?", arguments: [batch])
        })
        #expect(stored.count == 1501)
        #expect(phones[0..<1000].allSatisfy(stored.contains) && phones[2000..<2500].allSatisfy(stored.contains))
        #expect(!phones[1000..<2000].contains(where: stored.contains), "no row of the failed chunk is left")
    }
}
