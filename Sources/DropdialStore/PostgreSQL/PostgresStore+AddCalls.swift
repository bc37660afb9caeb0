import DropdialConfig
import DropdialImport
import Foundation

extension PostgresStore {
    public func addCallsTarget(_ id: Int64) throws -> AddCallsTarget {
        let status = try withConnection { c in try c.query("SELECT status FROM batch WHERE id = $1", [String(id)]).string(0, 0) }
        guard let status, let settings = try settings(batch: id) else { throw AddCallsError.unknownBatch(id) }
        if status == BatchStatus.cancelled.rawValue { throw AddCallsError.cancelled(id) }
        return AddCallsTarget(id: id, status: status, settings: settings)
    }

    /// As on SQLite, each chunk in its own transaction, which locks the batch row first (as every
    /// write that can change a batch's status does), so a dialer finishing the batch's last call
    /// on another node at the same moment cannot leave it completed with new calls pending.
    public func addCalls(batch id: Int64, chunks: [AddCallsChunk], now: Date,
                         fault: (@Sendable (Int) throws -> Void)?) throws -> AddCallsResult {
        AddCallsResult.writing(chunks) { chunk in
            try withConnection { c in
                try c.transaction {
                    let r = try Self.write(chunk, batch: id, now: now, c)
                    try fault?(chunk.number)
                    return r
                }
            }
        }
    }

    private static func write(_ chunk: AddCallsChunk, batch id: Int64, now: Date, _ c: PGConnection) throws -> AddCallsResult {
        let b = try c.query("SELECT status, settings FROM batch WHERE id = $1 FOR UPDATE", [String(id)])
        guard b.count == 1, let status = b.string(0, 0) else { throw AddCallsError.unknownBatch(id) }
        if status == BatchStatus.cancelled.rawValue { throw AddCallsError.cancelled(id) }
        let settings = try JSONDecoder.store.decode(BatchSettings.self, from: Data((b.string(0, 1) ?? "").utf8))
        // Calls of a paused batch wait with it; `resume` makes them pending.
        let waiting = (status == BatchStatus.paused.rawValue ? CallStatus.paused : .pending).rawValue
        let due = String(Int64(max(now, settings.scheduledAt ?? now).timeIntervalSince1970.rounded(.up)))
        let createdAt = PGTime.seconds(now)
        var result = AddCallsResult()
        for call in chunk.calls {
            // PostgreSQL text cannot hold NUL: it becomes U+FFFD, as in the import.
            let variables = call.variablesJSON.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
            let found = try c.query("SELECT id, status FROM call WHERE batchId = $1 AND phoneNumber = $2",
                                    [String(id), call.phoneNumber])
            if let callId = found.int(0, 0) {
                switch found.string(0, 1) {
                case CallStatus.done.rawValue, CallStatus.cancelled.rawValue:
                    try c.query("""
                        UPDATE call SET variables = $1, timezone = $2, zones = $3, status = $4, cycleBase = attempts,
                            nextAttemptAt = $5 WHERE id = $6
                        """, [variables, call.timezone, call.zones, waiting, due, String(callId)])
                    result.requeued += 1
                default:
                    // pending, paused, or dialing right now: the call keeps its place in its cycle.
                    try c.query("UPDATE call SET variables = $1, timezone = $2, zones = $3 WHERE id = $4",
                                [variables, call.timezone, call.zones, String(callId)])
                    result.updated += 1
                }
                result.ids.append(callId)
            } else {
                let inserted = try c.query("""
                    INSERT INTO call (batchId, phoneNumber, variables, timezone, zones, status, createdAt, nextAttemptAt)
                    VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), $8) RETURNING id
                    """, [String(id), call.phoneNumber, variables, call.timezone, call.zones, waiting, createdAt, due])
                result.ids.append(inserted.int(0, 0) ?? 0)
                result.inserted += 1
            }
        }
        if result.inserted > 0 {
            try c.query("UPDATE batch SET callCount = callCount + $1 WHERE id = $2", [String(result.inserted), String(id)])
        }
        if result.inserted + result.requeued > 0 {
            try c.query("""
                UPDATE batch SET status = CASE WHEN EXISTS (SELECT 1 FROM attempt WHERE batchId = batch.id)
                    THEN \(BatchStatus.active.sql) ELSE \(BatchStatus.scheduled.sql) END
                WHERE id = $1 AND status = \(BatchStatus.completed.sql)
                """, [String(id)])
        }
        return result
    }
}
