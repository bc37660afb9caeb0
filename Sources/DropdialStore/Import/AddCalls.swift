import DropdialImport
import DropdialConfig
import Foundation
import GRDB

/// The batch `add-calls` writes into, as read before validating the file against its rules.
public struct AddCallsTarget: Sendable {
    public var id: Int64
    public var status: String
    /// The settings the batch was imported with (its inbox's rules and the manifest's overrides).
    public var settings: BatchSettings
}

/// One chunk of `add-calls`: up to 1000 valid calls, written in its own transaction.
public struct AddCallsChunk: Sendable {
    /// 1-based.
    public var number: Int
    public var calls: [CallDraft]

    public init(number: Int, calls: [CallDraft]) {
        self.number = number
        self.calls = calls
    }
}

/// What `add-calls` wrote (seeds 001/004: `totalAdded`, `ids`, `failedChunks`).
public struct AddCallsResult: Sendable, Equatable {
    /// Calls inserted or updated, in file order.
    public var ids: [Int64] = []
    /// New numbers.
    public var inserted = 0
    /// Numbers already pending in the batch: their data was updated.
    public var updated = 0
    /// Numbers whose call had ended: a new attempt cycle.
    public var requeued = 0
    public var failedChunks: [ChunkFailure] = []

    public struct ChunkFailure: Sendable, Equatable, Encodable {
        public var chunkNum: Int
        public var error: String
        /// The first and last file rows of the chunk, to retry them.
        public var firstRow: Int
        public var lastRow: Int

        public init(chunkNum: Int, error: String, firstRow: Int, lastRow: Int) {
            self.chunkNum = chunkNum
            self.error = error
            self.firstRow = firstRow
            self.lastRow = lastRow
        }
    }

    public init() {}
}

extension AddCallsResult {
    /// Writes each non-empty chunk with `write` (one transaction each) and sums what they wrote;
    /// a chunk that throws was rolled back alone and is reported with its rows.
    static func writing(_ chunks: [AddCallsChunk], _ write: (AddCallsChunk) throws -> AddCallsResult) -> AddCallsResult {
        var result = AddCallsResult()
        for chunk in chunks where !chunk.calls.isEmpty {
            do {
                let written = try write(chunk)
                result.ids += written.ids
                result.inserted += written.inserted
                result.updated += written.updated
                result.requeued += written.requeued
            } catch {
                result.failedChunks.append(.init(chunkNum: chunk.number, error: "\(error)",
                                                 firstRow: chunk.calls.first!.rowNumber, lastRow: chunk.calls.last!.rowNumber))
            }
        }
        return result
    }
}

/// Why `add-calls` cannot write into a batch.
public enum AddCallsError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownBatch(Int64)
    case cancelled(Int64)

    public var description: String {
        switch self {
        case .unknownBatch(let id): "no batch \(id); `dropdial batches` lists them"
        case .cancelled(let id): "batch \(id) is cancelled; calls cannot be added to it"
        }
    }
}

extension Store {
    /// The batch `add-calls` adds to, with the rules its file is validated against.
    public func addCallsTarget(_ id: Int64) throws -> AddCallsTarget {
        guard let row = try pool.read({ db in
            try Row.fetchOne(db, sql: "SELECT status, settings FROM batch WHERE id = ?", arguments: [id])
        }) else { throw AddCallsError.unknownBatch(id) }
        guard let settings = try settings(batch: id) else { throw AddCallsError.unknownBatch(id) }
        let status: String = row["status"]
        if status == BatchStatus.cancelled.rawValue { throw AddCallsError.cancelled(id) }
        return AddCallsTarget(id: id, status: status, settings: settings)
    }

    /// Writes `chunks` into batch `id`, each in its own transaction; a failed chunk is rolled back
    /// alone and reported. A number pending in the batch is updated; a number whose call ended gets
    /// a new attempt cycle (its attempts stay in its log); others are inserted. Added and requeued
    /// calls are due at max(`now`, scheduledAt), so a running dialer picks them up on its next pass,
    /// and a completed batch is active (or scheduled, if never dialed) again.
    /// `fault` runs at the end of each chunk's transaction (tests make a chunk fail with it).
    public func addCalls(batch id: Int64, chunks: [AddCallsChunk], now: Date = Date(),
                         fault: (@Sendable (Int) throws -> Void)? = nil) throws -> AddCallsResult {
        AddCallsResult.writing(chunks) { chunk in
            try pool.write { db in
                let chunkResult = try Self.write(chunk, batch: id, now: now, db: db)
                try fault?(chunk.number)
                return chunkResult
            }
        }
    }

    private static func write(_ chunk: AddCallsChunk, batch id: Int64, now: Date, db: Database) throws -> AddCallsResult {
        guard let batch = try Row.fetchOne(db, sql: "SELECT status, settings FROM batch WHERE id = ?", arguments: [id]) else {
            throw AddCallsError.unknownBatch(id)
        }
        let status: String = batch["status"]
        if status == BatchStatus.cancelled.rawValue { throw AddCallsError.cancelled(id) }
        let settings = try JSONDecoder.store.decode(BatchSettings.self, from: Data((batch["settings"] as String).utf8))
        // Calls of a paused batch wait with it; `resume` makes them pending.
        let waiting = (status == BatchStatus.paused.rawValue ? CallStatus.paused : .pending).rawValue
        let due = Int64(max(now, settings.scheduledAt ?? now).timeIntervalSince1970.rounded(.up))
        let createdAt = now
        let find = try db.cachedStatement(sql: "SELECT id, status FROM call WHERE batchId = ? AND phoneNumber = ?")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO call (batchId, phoneNumber, variables, timezone, zones, status, createdAt, nextAttemptAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let update = try db.cachedStatement(sql: "UPDATE call SET variables = ?, timezone = ?, zones = ? WHERE id = ?")
        let requeue = try db.cachedStatement(sql: """
            UPDATE call SET variables = ?, timezone = ?, zones = ?, status = ?, cycleBase = attempts, nextAttemptAt = ?
            WHERE id = ?
            """)
        var result = AddCallsResult()
        for call in chunk.calls {
            if let row = try Row.fetchOne(find, arguments: [id, call.phoneNumber]) {
                let callId: Int64 = row["id"]
                switch row["status"] as String {
                case CallStatus.done.rawValue, CallStatus.cancelled.rawValue:
                    try requeue.execute(arguments: [call.variablesJSON, call.timezone, call.zones, waiting, due, callId])
                    result.requeued += 1
                default:
                    // pending, paused, or dialing right now: the call keeps its place in its cycle.
                    try update.execute(arguments: [call.variablesJSON, call.timezone, call.zones, callId])
                    result.updated += 1
                }
                result.ids.append(callId)
            } else {
                try insert.execute(arguments: [id, call.phoneNumber, call.variablesJSON, call.timezone, call.zones,
                                               waiting, createdAt, due])
                result.ids.append(db.lastInsertedRowID)
                result.inserted += 1
            }
        }
        if result.inserted > 0 {
            try db.execute(sql: "UPDATE batch SET callCount = callCount + ? WHERE id = ?", arguments: [result.inserted, id])
        }
        if result.inserted + result.requeued > 0 {
            try db.execute(sql: """
                UPDATE batch SET status = CASE WHEN EXISTS (SELECT 1 FROM attempt WHERE batchId = batch.id)
                    THEN \(BatchStatus.active.sql) ELSE \(BatchStatus.scheduled.sql) END
                WHERE id = ? AND status = \(BatchStatus.completed.sql)
                """, arguments: [id])
        }
        return result
    }
}
