import DropdialConfig
import Foundation

extension PostgresStore {
    /// The same figures as on SQLite, counted exactly: the due chart reads every pending call of
    /// the batch (grouped in the server) where SQLite samples a large batch by its imported ids,
    /// which PostgreSQL's shared id sequence does not give.
    public func batchActivity(_ id: Int64, now: Date, hours: Int = 24) throws -> BatchActivity {
        try withConnection { c in
            try c.transaction {
                try c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                guard try c.query("SELECT 1 FROM batch WHERE id = $1", [String(id)]).count == 1 else { return BatchActivity.none }
                var byStatus: [String: Int] = [:]
                let s = try c.query("SELECT status, count(*) FROM call WHERE batchId = $1 GROUP BY status", [String(id)])
                for i in 0..<s.count { byStatus[s.string(i, 0) ?? ""] = Int(s.int(i, 1) ?? 0) }
                var byOutcome: [String: Int] = [:]
                if (byStatus[CallStatus.done.rawValue] ?? 0) > 0 {
                    let o = try c.query("""
                        SELECT lastOutcome, count(*) FROM call WHERE batchId = $1 AND status = \(CallStatus.done.sql) GROUP BY lastOutcome
                        """, [String(id)])
                    for i in 0..<o.count { byOutcome[o.string(i, 0) ?? "none"] = Int(o.int(i, 1) ?? 0) }
                }
                let first = BatchActivity.firstHour(now: now, hours: hours)
                let a = try c.query("""
                    SELECT floor(extract(epoch FROM startedAt) / 3600)::bigint AS h, count(*) FROM attempt
                    WHERE batchId = $1 AND startedAt >= to_timestamp($2) GROUP BY h
                    """, [String(id), String(first * 3600)])
                var perHour: [Int64: Int] = [:]
                for i in 0..<a.count { perHour[a.int(i, 0) ?? 0] = Int(a.int(i, 1) ?? 0) }
                let pending = byStatus[CallStatus.pending.rawValue] ?? 0
                var rows: [(zones: String, hour: Int64, count: Int)] = []
                if pending > 0 {
                    let d = try c.query("""
                        SELECT zones, nextAttemptAt / 3600 AS h, count(*) FROM call
                        WHERE batchId = $1 AND status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL GROUP BY zones, h
                        """, [String(id)])
                    rows = (0..<d.count).map { (d.string($0, 0) ?? "", d.int($0, 1) ?? 0, Int(d.int($0, 2) ?? 0)) }
                }
                let (due, _) = BatchActivity.dueByLocalHour(rows, pending: pending, sampled: nil)
                return BatchActivity(byStatus: byStatus, byOutcome: byOutcome,
                                     attemptsPerHour: BatchActivity.hours(perHour, now: now, hours: hours), dueByLocalHour: due)
            }
        }
    }
}
