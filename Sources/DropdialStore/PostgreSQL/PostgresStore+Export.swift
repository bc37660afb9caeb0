import Foundation

extension PostgresStore {
    /// The names in the order they first appear, as on SQLite: by the first call holding each,
    /// then by their place in its object (`json`, not `jsonb`, keeps the written order).
    public func resultsExport(batch id: Int64) throws -> ResultsExport? {
        try withConnection { c in
            guard try c.query("SELECT 1 FROM batch WHERE id = $1", [String(id)]).count == 1 else { return nil }
            let r = try c.query("""
                SELECT v.key FROM call AS c, json_each(c.variables::json) WITH ORDINALITY AS v(key, value, n)
                WHERE c.batchId = $1 GROUP BY v.key ORDER BY min(c.id * 65536 + v.n)
                """, [String(id)])
            return ResultsExport(batchId: id, variables: (0..<r.count).compactMap { r.string($0, 0) })
        }
    }

    public func exportCalls(batch id: Int64, after: Int64, limit: Int) throws -> [ExportCall] {
        try withConnection { c in
            let r = try c.query("""
                SELECT c.id, c.phoneNumber, c.variables, c.zones, c.status, c.attempts, c.lastOutcome, c.nextAttemptAt,
                       (SELECT extract(epoch FROM max(a.startedAt)) FROM attempt AS a WHERE a.callId = c.id)
                FROM call AS c WHERE c.batchId = $1 AND c.id > $2 ORDER BY c.id LIMIT $3
                """, [String(id), String(after), String(limit)])
            return (0..<r.count).map { i in
                ExportCall(id: r.int(i, 0) ?? 0, phoneNumber: r.string(i, 1) ?? "", variablesJSON: r.string(i, 2) ?? "{}",
                           zones: r.string(i, 3) ?? "", status: r.string(i, 4) ?? "", attempts: Int(r.int(i, 5) ?? 0),
                           lastOutcome: r.string(i, 6), nextAttemptAt: r.int(i, 7), lastAttemptAt: PGTime.date(r.string(i, 8)))
            }
        }
    }
}
