import DropdialConfig
import GRDB

extension Store {
    /// Every pending call with a next attempt time, in due-index order (time, then id), for
    /// `simulate`, which reads the calls once instead of querying per attempt. `variablesJSON` is
    /// left empty (the simulated backend never reads it), or with `stateColumn` holds only the
    /// row's `state` column (any letter case), which compliance rules match on.
    public func scheduledCalls(stateColumn: Bool = false) throws -> [DueCall] {
        try pool.read { db in
            try DueCall.fetchAll(db, sql: """
                SELECT id, batchId, phoneNumber, zones, \(Self.variablesColumn(stateColumn)) AS variables, attempts, cycleBase, nextAttemptAt FROM call
                WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL ORDER BY nextAttemptAt, id
                """)
        }
    }

    /// Calls whose attempt a crash left open (`dialing`), read without closing anything: `simulate`
    /// treats them as the dispatcher's recovery would, as `failed` at the clock's start (a paused
    /// or cancelled batch's calls are not requeued).
    /// `attempts` is the open attempt's number.
    public func callsInFlight(stateColumn: Bool = false) throws -> [DueCall] {
        try pool.read { db in
            try DueCall.fetchAll(db, sql: """
                SELECT c.id, c.batchId, c.phoneNumber, c.zones, \(Self.variablesColumn(stateColumn, of: "c")) AS variables, a.attempt AS attempts, c.cycleBase,
                       0 AS nextAttemptAt
                FROM attempt a JOIN call c ON c.id = a.callId JOIN batch b ON b.id = c.batchId
                WHERE a.endedAt IS NULL AND c.status = \(CallStatus.dialing.sql) AND b.status NOT IN \([BatchStatus.paused, .cancelled].sqlList)
                ORDER BY c.id
                """)
        }
    }

    /// The variables `simulate` reads: none, or `{"state": …}` from the row's `state` column.
    static func variablesColumn(_ stateColumn: Bool, of table: String = "call") -> String {
        guard stateColumn else { return "''" }
        return """
            IFNULL((SELECT json_object('state', value) FROM json_each(\(table).variables)
                    WHERE lower(key) = 'state' AND type = 'text' LIMIT 1), '{}')
            """
    }
}
