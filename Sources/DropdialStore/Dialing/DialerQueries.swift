import DropdialConfig
import Foundation
import GRDB

extension Store {
    /// Pending calls due at or before `now`, earliest first, through the `call_due` partial index.
    public func dueCalls(now: Int64, limit: Int, excluding skipped: Set<Int64> = []) throws -> [DueCall] {
        try pool.read { db in
            try DueCall.fetchAll(db.cachedStatement(sql: """
                SELECT id, batchId, phoneNumber, zones, variables, attempts, cycleBase, nextAttemptAt FROM call
                WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt <= ?
                    AND batchId NOT IN (SELECT value FROM json_each(?)) ORDER BY nextAttemptAt LIMIT ?
                """), arguments: [now, Self.idList(skipped), limit])
        }
    }

    /// How many pending calls are due at or before `now` (`dropdial_calls_due`), through the same index.
    public func dueCount(now: Int64) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT COUNT(*) FROM call WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt <= ?
                """), arguments: [now]) ?? 0
        }
    }

    /// The earliest next attempt time among pending calls (to know how long to sleep), leaving
    /// out the batches in `skipped`.
    public func nextDue(excluding skipped: Set<Int64> = []) throws -> Int64? {
        try pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT nextAttemptAt FROM call WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL
                    AND batchId NOT IN (SELECT value FROM json_each(?))
                ORDER BY nextAttemptAt LIMIT 1
                """), arguments: [Self.idList(skipped)])
        }
    }

    /// Ids as a JSON array, bound as one parameter whatever their count.
    static func idList(_ ids: Set<Int64>) -> String { "[" + ids.sorted().map(String.init).joined(separator: ",") + "]" }

    /// The settings a batch was imported with.
    public func settings(batch id: Int64) throws -> BatchSettings? {
        try pool.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT settings FROM batch WHERE id = ?", arguments: [id])
            else { return nil }
            do {
                return try JSONDecoder.store.decode(BatchSettings.self, from: Data(json.utf8))
            } catch {
                throw StoredSettingsUnreadable(batchId: id, reason: "\(error)")
            }
        }
    }

    /// Moves a pending call to a later time (its next eligible instant).
    public func reschedule(call id: Int64, to time: Int64) throws {
        try pool.write { db in
            try db.cachedStatement(sql: "UPDATE call SET nextAttemptAt = ? WHERE id = ? AND status = \(CallStatus.pending.sql)").execute(arguments: [time, id])
        }
    }

    /// Ends a call without dialing (no eligible time left, or suppressed): final with `outcome`.
    public func finishWithoutDialing(call id: Int64, outcome: UndialedEnd) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE call SET status = \(CallStatus.done.sql), lastOutcome = ?, nextAttemptAt = NULL WHERE id = ? AND status = \(CallStatus.pending.sql)
                """).execute(arguments: [outcome.rawValue, id])
            try Self.completeBatchIfDone(db, callId: id)
        }
    }

    /// Records attempt `attempt` BEFORE it is placed, in one transaction with the call and batch
    /// status. The do-not-call list is checked in the same transaction, right before the dial: a
    /// listed number ends `suppressed` without an attempt. `limits` are not counted here: one
    /// daemon dials a SQLite database (the daemon lock), and its dispatcher counts its own calls.
    public func beginAttempt(call: DueCall, attempt: Int, key: String, callingNumber: String?, at: Date,
                             limits: AttemptLimits) throws -> AttemptStart {
        try pool.write { db in
            if try Self.isOnDNC(db, call.phoneNumber) {
                try db.cachedStatement(sql: """
                    UPDATE call SET status = \(CallStatus.done.sql), lastOutcome = \(UndialedEnd.suppressed.sql), nextAttemptAt = NULL
                    WHERE id = ? AND status = \(CallStatus.pending.sql) AND attempts = ?
                    """).execute(arguments: [call.id, attempt - 1])
                guard db.changesCount == 1 else { return .notPending }
                try Self.completeBatchIfDone(db, callId: call.id)
                return .suppressed
            }
            try db.cachedStatement(sql: """
                UPDATE call SET status = \(CallStatus.dialing.sql), attempts = ?, nextAttemptAt = NULL
                WHERE id = ? AND status = \(CallStatus.pending.sql) AND attempts = ?
                """).execute(arguments: [attempt, call.id, attempt - 1])
            guard db.changesCount == 1 else { return .notPending }
            try db.cachedStatement(sql: """
                INSERT INTO attempt (batchId, callId, attempt, idempotencyKey, callingNumber, startedAt, phoneNumber)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [call.batchId, call.id, attempt, key, callingNumber, at, call.phoneNumber])
            try db.cachedStatement(sql: "UPDATE batch SET status = \(BatchStatus.active.sql) WHERE id = ? AND status = \(BatchStatus.scheduled.sql)").execute(arguments: [call.batchId])
            return .began
        }
    }

    /// Closes an attempt with its outcome; the call goes back to pending at `next` (paused or
    /// cancelled when its batch was paused or cancelled while it rang), or ends with the outcome
    /// when `next` is nil. A batch with nothing left to dial is completed.
    /// `listNumber` puts the number on the do-not-call list in the same transaction (`declined`
    /// in an inbox with `dnc_on_decline`).
    @discardableResult
    public func finishAttempt(callId: Int64, attempt: Int, outcome: CallOutcome, durationSec: Double, endedAt: Date,
                              next: Int64?, listNumber: String? = nil) throws -> Bool {
        try pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE attempt SET outcome = ?1, durationSec = ?2, endedAt = ?3 WHERE callId = ?4 AND attempt = ?5
                    AND (endedAt IS NULL OR (outcome = ?1 AND endedAt = ?3))
                """).execute(arguments: [outcome.rawValue, durationSec, endedAt, callId, attempt])
            guard db.changesCount == 1 else { return false }
            if let listNumber { _ = try Self.addToDNC(db, [listNumber], source: .declined, at: endedAt) }
            if let next {
                try db.cachedStatement(sql: """
                    UPDATE call SET status = \(DialingSQL.statusAfterAttempt),
                        nextAttemptAt = ?, lastOutcome = ? WHERE id = ?
                    """).execute(arguments: [next, outcome.rawValue, callId])
            } else {
                try db.cachedStatement(sql: """
                    UPDATE call SET status = CASE WHEN status = \(CallStatus.cancelled.sql) THEN status ELSE \(CallStatus.done.sql) END,
                        nextAttemptAt = NULL, lastOutcome = ? WHERE id = ?
                    """).execute(arguments: [outcome.rawValue, callId])
            }
            try Self.completeBatchIfDone(db, callId: callId)
            return true
        }
    }

    /// Attempts left open by a crash: closed as `failed` now, returned so retry rules can schedule them.
    /// With `keepingProviderCalls`, an attempt a provider accepted (it has its provider call id) is
    /// still open: its outcome still arrives by webhook or poll (SPEC §9).
    public func closeOpenAttempts(at now: Date, keepingProviderCalls: Bool = false) throws -> [OpenAttempt] {
        try pool.write { db in
            let keep = keepingProviderCalls ? " AND a.providerCallId IS NULL" : ""
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.callId, a.batchId, a.attempt, c.cycleBase, c.zones FROM attempt a JOIN call c ON c.id = a.callId
                WHERE a.endedAt IS NULL\(keep)
                """)
            try db.execute(sql: "UPDATE attempt AS a SET outcome = \(CallOutcome.failed.sql), durationSec = 0, endedAt = ? WHERE endedAt IS NULL\(keep)", arguments: [now])
            return rows.map { OpenAttempt(callId: $0["callId"], batchId: $0["batchId"], attempt: $0["attempt"],
                                     cycleBase: $0["cycleBase"], zones: $0["zones"]) }
        }
    }

    static func completeBatchIfDone(_ db: Database, callId: Int64) throws {
        try db.cachedStatement(sql: """
            UPDATE batch SET status = \(BatchStatus.completed.sql)
            WHERE id = (SELECT batchId FROM call WHERE id = ?) AND \(DialingSQL.batchMayComplete)
            """).execute(arguments: [callId])
    }
}

/// A batch whose stored settings cannot be decoded (written by an older version with a value the
/// current one refuses, or edited by hand). The dialer leaves that batch alone and dials the others.
public struct StoredSettingsUnreadable: Error, Sendable, CustomStringConvertible {
    public var batchId: Int64
    public var reason: String
    public var description: String {
        "the stored settings of batch \(batchId) cannot be read (\(reason)); its calls are not dialed — cancel the batch and import the file again"
    }
}
