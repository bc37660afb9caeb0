import DropdialConfig
import Foundation

/// The dialer's part of the store on PostgreSQL: the same statements as the SQLite engine's
/// (`DialerQueries.swift`, `ProviderAttempts.swift`, `AttemptHistoryQueries.swift`,
/// `BatchControl.swift`), made safe for several nodes sharing the database:
/// - an attempt begins only if its call is still pending with the attempt count the node saw (a
///   row-locked compare-and-set: of two nodes taking one due call, one begins, the other gets
///   `notPending`), and the attempt's idempotency key is unique, so no call is placed twice;
/// - every write that can change a batch's status locks the batch row first, so the last two
///   calls of a batch finished on two nodes at once still complete it;
/// - each attempt records the node that placed it, and a node that starts closes only its own
///   attempts left open.
extension PostgresStore {
    public func dueCalls(now: Int64, limit: Int, excluding skipped: Set<Int64> = []) throws -> [DueCall] {
        try withConnection { c in
            let r = try c.query("""
                SELECT id, batchId, phoneNumber, zones, variables, attempts, cycleBase, nextAttemptAt FROM call
                WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt <= $1 AND batchId <> ALL($2::bigint[])
                ORDER BY nextAttemptAt, id LIMIT $3
                """, [String(now), PGArray.ids(skipped), String(limit)])
            return Self.dueCalls(r)
        }
    }

    public func dueCount(now: Int64) throws -> Int {
        try withConnection { c in
            Int(try c.query("SELECT COUNT(*) FROM call WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt <= $1",
                            [String(now)]).int(0, 0) ?? 0)
        }
    }

    public func nextDue(excluding skipped: Set<Int64> = []) throws -> Int64? {
        try withConnection { c in
            try c.query("""
                SELECT nextAttemptAt FROM call WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL
                    AND batchId <> ALL($1::bigint[])
                ORDER BY nextAttemptAt LIMIT 1
                """, [PGArray.ids(skipped)]).int(0, 0)
        }
    }

    public func settings(batch id: Int64) throws -> BatchSettings? {
        let json = try withConnection { c in try c.query("SELECT settings FROM batch WHERE id = $1", [String(id)]).string(0, 0) }
        guard let json else { return nil }
        do {
            return try JSONDecoder.store.decode(BatchSettings.self, from: Data(json.utf8))
        } catch {
            throw StoredSettingsUnreadable(batchId: id, reason: "\(error)")
        }
    }

    public func reschedule(call id: Int64, to time: Int64) throws {
        try withConnection { c in
            try c.query("UPDATE call SET nextAttemptAt = $1 WHERE id = $2 AND status = \(CallStatus.pending.sql)",
                        [String(time), String(id)])
        }
    }

    public func finishWithoutDialing(call id: Int64, outcome: UndialedEnd) throws {
        try withConnection { c in
            try c.transaction {
                guard let batch = try Self.lockBatch(c, ofCall: id) else { return }
                try c.query("""
                    UPDATE call SET status = \(CallStatus.done.sql), lastOutcome = $1, nextAttemptAt = NULL
                    WHERE id = $2 AND status = \(CallStatus.pending.sql)
                    """, [outcome.rawValue, String(id)])
                try Self.completeBatchIfDone(c, batch: batch)
            }
        }
    }

    /// Records the attempt before it is placed (see `StoreEngine`). The batch row is locked first,
    /// so every node's attempts of one batch begin one at a time and its count of attempts in
    /// flight is exact; the calling number's count is taken under a transaction advisory lock on
    /// the number, always after the batch row, so two batches sharing a number cannot both pass.
    public func beginAttempt(call: DueCall, attempt: Int, key: String, callingNumber: String?, at: Date,
                             limits: AttemptLimits) throws -> AttemptStart {
        try withConnection { c in
            try c.transaction { () throws -> AttemptStart in
                try c.query("SELECT 1 FROM batch WHERE id = $1 FOR UPDATE", [String(call.batchId)])
                guard try Self.withinLimits(c, call: call, callingNumber: callingNumber, at: at, limits) else { return .atLimit }
                let listed = try c.query("SELECT 1 FROM dnc WHERE phoneNumber = $1 LIMIT 1", [call.phoneNumber]).count > 0
                if listed {
                    let ended = try c.query("""
                        UPDATE call SET status = \(CallStatus.done.sql), lastOutcome = \(UndialedEnd.suppressed.sql), nextAttemptAt = NULL
                        WHERE id = $1 AND status = \(CallStatus.pending.sql) AND attempts = $2
                        """, [String(call.id), String(attempt - 1)]).changes
                    guard ended == 1 else { return .notPending }
                    try Self.completeBatchIfDone(c, batch: call.batchId)
                    return .suppressed
                }
                let taken = try c.query("""
                    UPDATE call SET status = \(CallStatus.dialing.sql), attempts = $1, nextAttemptAt = NULL
                    WHERE id = $2 AND status = \(CallStatus.pending.sql) AND attempts = $3
                    """, [String(attempt), String(call.id), String(attempt - 1)]).changes
                guard taken == 1 else { return .notPending }
                try c.query("""
                    INSERT INTO attempt (batchId, callId, attempt, idempotencyKey, callingNumber, startedAt, phoneNumber, node)
                    VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7, $8)
                    """, [String(call.batchId), String(call.id), String(attempt), key, callingNumber, PGTime.seconds(at),
                          call.phoneNumber, node])
                try c.query("UPDATE batch SET status = \(BatchStatus.active.sql) WHERE id = $1 AND status = \(BatchStatus.scheduled.sql)",
                            [String(call.batchId)])
                return .began
            }
        }
    }

    /// True when `limits` leave room for an attempt of `call` on `callingNumber` starting `at`,
    /// counted over every node's attempts. Called with the batch row locked; each count is made
    /// after the lock it relies on (a statement sees what was committed when it began): the
    /// calling number's, the called number's, then the one of all starts, always in that order.
    static func withinLimits(_ c: PGConnection, call: DueCall, callingNumber: String?, at: Date,
                             _ limits: AttemptLimits) throws -> Bool {
        let number = limits.perNumber > 0 || limits.numberGap > 0 ? callingNumber : nil
        if let number {
            try c.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.numberLockClass), hashtext($1))", [number])
        }
        if !limits.perCalledNumber.isEmpty {
            try c.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.calledLockClass), hashtext($1))", [call.phoneNumber])
        }
        if limits.globalGap > 0 {
            try c.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.rateLockClass), 0)")
        }
        // One statement for every count: NULL where a limit is off.
        let t = at.timeIntervalSince1970
        let since = { (seconds: Double) in PGTime.seconds(Date(timeIntervalSince1970: t - seconds)) }
        var selects: [String] = [], binds: [String?] = []
        func bind(_ value: String?) -> String { binds.append(value); return "$\(binds.count)" }
        if limits.perBatch > 0 {
            selects.append("(SELECT count(*) >= \(limits.perBatch) FROM attempt WHERE batchId = \(bind(String(call.batchId))) AND endedAt IS NULL)")
        }
        if let number, limits.perNumber > 0 {
            selects.append("(SELECT count(*) >= \(limits.perNumber) FROM attempt WHERE callingNumber = \(bind(number)) AND endedAt IS NULL)")
        }
        if limits.batchGap > 0 {
            selects.append("EXISTS (SELECT 1 FROM attempt WHERE batchId = \(bind(String(call.batchId))) AND startedAt > to_timestamp(\(bind(since(limits.batchGap)))))")
        }
        if let number, limits.numberGap > 0 {
            selects.append("EXISTS (SELECT 1 FROM attempt WHERE callingNumber = \(bind(number)) AND startedAt > to_timestamp(\(bind(since(limits.numberGap)))))")
        }
        if limits.globalGap > 0 {
            selects.append("EXISTS (SELECT 1 FROM attempt WHERE startedAt > to_timestamp(\(bind(since(limits.globalGap)))))")
        }
        // No upper bound: another node's pass may have begun after this one and stamped its
        // attempt later than `at`; it counts all the same.
        for window in limits.perCalledNumber where window.attempts > 0 {
            selects.append("""
                (SELECT count(*) >= \(window.attempts) FROM attempt WHERE phoneNumber = \(bind(call.phoneNumber))
                    AND startedAt > to_timestamp(\(bind(since(window.seconds)))))
                """)
        }
        guard !selects.isEmpty else { return true }
        let r = try c.query("SELECT " + selects.joined(separator: ", "), binds)
        return (0..<selects.count).allSatisfy { r.string(0, $0) != "t" }
    }

    public func finishAttempt(callId: Int64, attempt: Int, outcome: CallOutcome, durationSec: Double, endedAt: Date,
                              next: Int64?, listNumber: String? = nil) throws -> Bool {
        try withConnection { c in
            try c.transaction {
                guard let batch = try Self.lockBatch(c, ofCall: callId) else { return false }
                // Only an open attempt (another node may have taken its webhook and closed it first),
                // or one closed with this very outcome and time (`closeOpenAttempts`, then this).
                let closed = try c.query("""
                    UPDATE attempt SET outcome = $1, durationSec = $2, endedAt = to_timestamp($3)
                    WHERE callId = $4 AND attempt = $5
                        AND (endedAt IS NULL OR (outcome = $1 AND endedAt = to_timestamp($3)))
                    """, [outcome.rawValue, String(durationSec), PGTime.seconds(endedAt), String(callId), String(attempt)]).changes
                guard closed == 1 else { return false }
                if let listNumber { _ = try Self.addToDNC(c, [listNumber], source: .declined, at: endedAt) }
                if let next {
                    try c.query("""
                        UPDATE call SET status = \(DialingSQL.statusAfterAttempt),
                            nextAttemptAt = $1, lastOutcome = $2 WHERE id = $3
                        """, [String(next), outcome.rawValue, String(callId)])
                } else {
                    try c.query("""
                        UPDATE call SET status = CASE WHEN status = \(CallStatus.cancelled.sql) THEN status ELSE \(CallStatus.done.sql) END,
                            nextAttemptAt = NULL, lastOutcome = $1 WHERE id = $2
                        """, [outcome.rawValue, String(callId)])
                }
                try Self.completeBatchIfDone(c, batch: batch)
                return true
            }
        }
    }

    /// This node's attempts left open by a crash or a kill: closed as `failed` now, returned so
    /// the retry rules schedule them. Other nodes' attempts are theirs.
    public func closeOpenAttempts(at now: Date, keepingProviderCalls: Bool = false) throws -> [OpenAttempt] {
        try withConnection { c in
            try c.transaction {
                let keep = keepingProviderCalls ? " AND a.providerCallId IS NULL" : ""
                let r = try c.query("""
                    UPDATE attempt AS a SET outcome = \(CallOutcome.failed.sql), durationSec = 0, endedAt = to_timestamp($1)
                    FROM call c WHERE c.id = a.callId AND a.endedAt IS NULL AND a.node = $2\(keep)
                    RETURNING a.callId, a.batchId, a.attempt, c.cycleBase, c.zones
                    """, [PGTime.seconds(now), node])
                return Self.openAttempts(r)
            }
        }
    }

    /// The heartbeat and the lease use the server's clock, so nodes whose clocks differ agree on
    /// who is silent. An attempt a provider accepted keeps waiting for its outcome when
    /// `keepingProviderCalls` (whichever node receives the webhook records it).
    public func takeOverSilentNodes(leaseSeconds: Double, at now: Date, keepingProviderCalls: Bool) throws -> [OpenAttempt] {
        try withConnection { c in
            try c.transaction {
                try c.query("""
                    INSERT INTO node (name, heartbeatAt) VALUES ($1, now())
                    ON CONFLICT (name) DO UPDATE SET heartbeatAt = excluded.heartbeatAt
                    """, [node])
                let keep = keepingProviderCalls ? " AND a.providerCallId IS NULL" : ""
                let r = try c.query("""
                    UPDATE attempt AS a SET outcome = \(CallOutcome.failed.sql), durationSec = 0, endedAt = to_timestamp($1)
                    FROM call c WHERE c.id = a.callId AND a.endedAt IS NULL AND a.node IS DISTINCT FROM $2\(keep)
                        AND NOT EXISTS (SELECT 1 FROM node n WHERE n.name = a.node
                                        AND n.heartbeatAt > now() - make_interval(secs => $3::double precision))
                    RETURNING a.callId, a.batchId, a.attempt, c.cycleBase, c.zones
                    """, [PGTime.seconds(now), node, String(leaseSeconds)])
                if keepingProviderCalls {
                    // The silent node's calls a provider accepted become this node's: it polls them
                    // once late (their webhooks are taken by any node, SPEC §11).
                    try c.query("""
                        UPDATE attempt AS a SET node = $1
                        WHERE a.endedAt IS NULL AND a.providerCallId IS NOT NULL AND a.node IS DISTINCT FROM $1
                            AND NOT EXISTS (SELECT 1 FROM node n WHERE n.name = a.node
                                            AND n.heartbeatAt > now() - make_interval(secs => $2::double precision))
                        """, [node, String(leaseSeconds)])
                }
                return Self.openAttempts(r)
            }
        }
    }

    public func setProviderCallId(_ id: String, callId: Int64, attempt: Int) throws {
        try withConnection { c in
            try c.query("UPDATE attempt SET providerCallId = $1 WHERE callId = $2 AND attempt = $3 AND endedAt IS NULL",
                        [id, String(callId), String(attempt)])
        }
    }

    public func openProviderAttempts() throws -> [ProviderAttempt] {
        try withConnection { c in
            Self.providerAttempts(try c.query("""
                SELECT a.callId, a.batchId, a.attempt, c.cycleBase, c.zones, c.phoneNumber, a.callingNumber,
                       a.providerCallId, extract(epoch FROM a.startedAt)
                FROM attempt a JOIN call c ON c.id = a.callId
                WHERE a.endedAt IS NULL AND a.providerCallId IS NOT NULL AND a.node = $1 ORDER BY a.startedAt
                """, [node]))
        }
    }

    public func openProviderAttempt(_ id: String) throws -> ProviderAttempt? {
        try withConnection { c in
            Self.providerAttempts(try c.query("""
                SELECT a.callId, a.batchId, a.attempt, c.cycleBase, c.zones, c.phoneNumber, a.callingNumber,
                       a.providerCallId, extract(epoch FROM a.startedAt)
                FROM attempt a JOIN call c ON c.id = a.callId
                WHERE a.providerCallId = $1 AND a.endedAt IS NULL
                """, [id])).first
        }
    }

    static func providerAttempts(_ r: PGRows) -> [ProviderAttempt] {
        (0..<r.count).map {
            ProviderAttempt(callId: r.int($0, 0) ?? 0, batchId: r.int($0, 1) ?? 0, attempt: Int(r.int($0, 2) ?? 0),
                            cycleBase: Int(r.int($0, 3) ?? 0), zones: r.string($0, 4) ?? "", phoneNumber: r.string($0, 5) ?? "",
                            callingNumber: r.string($0, 6), providerCallId: r.string($0, 7) ?? "",
                            startedAt: PGTime.date(r.string($0, 8)) ?? Date(timeIntervalSince1970: 0))
        }
    }

    public func hasProviderCall(_ id: String) throws -> Bool {
        try withConnection { c in try c.query("SELECT 1 FROM attempt WHERE providerCallId = $1", [id]).count > 0 }
    }

    public func withdrawAttempt(callId: Int64, attempt: Int, due: Int64) throws {
        try withConnection { c in
            try c.transaction {
                guard let batch = try Self.lockBatch(c, ofCall: callId) else { return }
                let gone = try c.query("""
                    DELETE FROM attempt WHERE callId = $1 AND attempt = $2 AND endedAt IS NULL AND providerCallId IS NULL
                    """, [String(callId), String(attempt)]).changes
                guard gone == 1 else { return }
                try c.query("""
                    UPDATE call SET attempts = $1, nextAttemptAt = $2,
                        status = \(DialingSQL.statusAfterAttempt)
                    WHERE id = $3
                    """, [String(attempt - 1), String(due), String(callId)])
                try Self.completeBatchIfDone(c, batch: batch)
            }
        }
    }

    public func attemptStarts(since: Date) throws -> [(phoneNumber: String, startedAt: Date)] {
        try withConnection { c in
            let r = try c.query("""
                SELECT phoneNumber, extract(epoch FROM startedAt) FROM attempt WHERE phoneNumber IS NOT NULL AND startedAt >= to_timestamp($1)
                """, [PGTime.seconds(since)])
            return (0..<r.count).map { (r.string($0, 0) ?? "", PGTime.date(r.string($0, 1)) ?? since) }
        }
    }

    public func attemptStarts(phoneNumbers: [String], since: Date) throws -> [String: [Date]] {
        guard !phoneNumbers.isEmpty else { return [:] }
        return try withConnection { c in
            let r = try c.query("""
                SELECT phoneNumber, extract(epoch FROM startedAt) FROM attempt
                WHERE phoneNumber = ANY($1::text[]) AND startedAt >= to_timestamp($2)
                ORDER BY phoneNumber, startedAt DESC
                """, [PGArray.text(Array(Set(phoneNumbers))), PGTime.seconds(since)])
            var out: [String: [Date]] = [:]
            for i in 0..<r.count { out[r.string(i, 0) ?? "", default: []].append(PGTime.date(r.string(i, 1)) ?? since) }
            return out
        }
    }

    public func control(batch id: Int64, _ command: BatchCommand, strict: Bool = false) throws -> String {
        try withConnection { c in
            try c.transaction { () throws -> String in
                guard let status = try c.query("SELECT status FROM batch WHERE id = $1 FOR UPDATE", [String(id)]).string(0, 0) else {
                    throw BatchControlError.unknownBatch(id)
                }
                let batch = String(id)
                switch try command.transition(batch: id, from: status, strict: strict) {
                case .pause:
                    try c.query("UPDATE call SET status = \(CallStatus.paused.sql) WHERE batchId = $1 AND status = \(CallStatus.pending.sql)", [batch])
                    try c.query("UPDATE batch SET status = \(BatchStatus.paused.sql) WHERE id = $1", [batch])
                    return BatchStatus.paused.rawValue
                case .resume:
                    try c.query("UPDATE call SET status = \(CallStatus.pending.sql) WHERE batchId = $1 AND status = \(CallStatus.paused.sql)", [batch])
                    let dialed = try c.query("SELECT 1 FROM attempt WHERE batchId = $1 LIMIT 1", [batch]).count > 0
                    let next = (dialed ? BatchStatus.active : .scheduled).rawValue
                    try c.query("UPDATE batch SET status = $1 WHERE id = $2", [next, batch])
                    return next
                case .cancel:
                    try c.query("""
                        UPDATE call SET status = \(CallStatus.cancelled.sql), nextAttemptAt = NULL
                        WHERE batchId = $1 AND status IN \([CallStatus.pending, .paused].sqlList)
                        """, [batch])
                    try c.query("UPDATE batch SET status = \(BatchStatus.cancelled.sql) WHERE id = $1", [batch])
                    return BatchStatus.cancelled.rawValue
                case .unchanged:
                    return status
                }
            }
        }
    }

    public func fileArchived(claimKey: String, archivedAs: String, report: String) throws {
        try withConnection { c in
            try c.query("UPDATE importedFile SET archivedAs = $1, report = $2, updatedAt = now() WHERE claimKey = $3",
                        [archivedAs, report, claimKey])
        }
    }

    public func releaseMemory() {}

    /// The rows of `RETURNING a.callId, a.batchId, a.attempt, c.cycleBase, c.zones`.
    static func openAttempts(_ r: PGRows) -> [OpenAttempt] {
        (0..<r.count).map {
            OpenAttempt(callId: r.int($0, 0) ?? 0, batchId: r.int($0, 1) ?? 0, attempt: Int(r.int($0, 2) ?? 0),
                        cycleBase: Int(r.int($0, 3) ?? 0), zones: r.string($0, 4) ?? "")
        }
    }

    /// Locks the batch of call `id` (the order every status-changing write takes: batch, then
    /// call) and returns its id; nil when there is no such call.
    static func lockBatch(_ c: PGConnection, ofCall id: Int64) throws -> Int64? {
        try c.query("SELECT b.id FROM batch b JOIN call c ON c.batchId = b.id WHERE c.id = $1 FOR UPDATE OF b",
                    [String(id)]).int(0, 0)
    }

    /// Completes `batch` when nothing of it is left to dial (its row is locked by the caller).
    static func completeBatchIfDone(_ c: PGConnection, batch: Int64) throws {
        try c.query("""
            UPDATE batch SET status = \(BatchStatus.completed.sql)
            WHERE id = $1 AND \(DialingSQL.batchMayComplete)
            """, [String(batch)])
    }
}

extension PGArray {
    /// A `bigint[]` literal.
    static func ids(_ ids: Set<Int64>) -> String { "{" + ids.sorted().map(String.init).joined(separator: ",") + "}" }
}

extension PostgresStore {
    public func scheduledCalls(stateColumn: Bool = false) throws -> [DueCall] {
        try withConnection { c in
            Self.dueCalls(try c.query("""
                SELECT id, batchId, phoneNumber, zones, \(Self.stateVariables(stateColumn, of: "call")), attempts, cycleBase,
                       nextAttemptAt FROM call
                WHERE status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL ORDER BY nextAttemptAt, id
                """))
        }
    }

    public func callsInFlight(stateColumn: Bool = false) throws -> [DueCall] {
        try withConnection { c in
            Self.dueCalls(try c.query("""
                SELECT c.id, c.batchId, c.phoneNumber, c.zones, \(Self.stateVariables(stateColumn, of: "c")), a.attempt, c.cycleBase, 0
                FROM attempt a JOIN call c ON c.id = a.callId JOIN batch b ON b.id = c.batchId
                WHERE a.endedAt IS NULL AND c.status = \(CallStatus.dialing.sql)
                    AND b.status NOT IN (\(BatchStatus.paused.sql), \(BatchStatus.cancelled.sql))
                ORDER BY c.id
                """))
        }
    }

    /// `simulate`'s variables: none, or `{"state": …}` from the row's `state` column (any case).
    static func stateVariables(_ stateColumn: Bool, of table: String) -> String {
        guard stateColumn else { return "''" }
        return """
            COALESCE((SELECT json_build_object('state', v.value)::text FROM json_each_text(\(table).variables::json) AS v
                      WHERE lower(v.key) = 'state' LIMIT 1), '{}')
            """
    }

    static func dueCalls(_ r: PGRows) -> [DueCall] {
        (0..<r.count).map {
            DueCall(id: r.int($0, 0) ?? 0, batchId: r.int($0, 1) ?? 0, phoneNumber: r.string($0, 2) ?? "",
                    zones: r.string($0, 3) ?? "", variablesJSON: r.string($0, 4) ?? "", attempts: Int(r.int($0, 5) ?? 0),
                    cycleBase: Int(r.int($0, 6) ?? 0), nextAttemptAt: r.int($0, 7) ?? 0)
        }
    }
}
