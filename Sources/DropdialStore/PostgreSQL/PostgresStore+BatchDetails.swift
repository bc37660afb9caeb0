import DropdialConfig
import Foundation

extension PostgresStore {
    /// The same page as the SQLite engine's ``Store/batchDetails(_:_:compliance:visible:)``: the
    /// same filter, order (text in byte order, numbers before text for a variable, nulls first
    /// ascending) and search (case-insensitive, in the phone number and every variable value).
    /// The search scans the batch: PostgreSQL has no trigram index here yet.
    public func batchDetails(_ id: Int64, _ query: CallQuery, compliance: [ComplianceRule] = [],
                             visible: (String) -> Bool = { _ in true }) throws -> BatchDetails {
        try withConnection { c in
            try c.transaction {
                // One snapshot for the batch, the count and the page.
                try c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let b = try c.query("""
                    SELECT id, name, status, inbox, extract(epoch FROM createdAt), settings, callCount FROM batch WHERE id = $1
                    """, [String(id)])
                guard b.count == 1, let inbox = b.string(0, 3), visible(inbox) else { throw CallQueryError.unknownBatch(id) }
                var sql = PGCallSQL(batch: id)
                sql.add(query.filter)
                if let search = query.search { sql.add(search: search) }
                let order = try sql.order(query.sort, c)
                let total = query.filter.conditions.isEmpty && query.search == nil
                    ? Int(b.int(0, 6) ?? 0)
                    : Int(try c.query("SELECT count(*) FROM call AS c WHERE \(sql.predicate)", sql.binds).int(0, 0) ?? 0)
                var calls: [CallDetail] = []
                if query.offset < total {
                    var binds = sql.binds + order.binds
                    binds += [String(query.limit), String(query.offset)]
                    let r = try c.query("""
                        SELECT c.id, c.phoneNumber, c.variables, c.zones, c.status, c.attempts, c.nextAttemptAt, c.lastOutcome,
                               extract(epoch FROM c.createdAt)
                        FROM call AS c WHERE \(sql.predicate) ORDER BY \(order.sql)
                        LIMIT $\(binds.count - 1) OFFSET $\(binds.count)
                        """, binds)
                    calls = (0..<r.count).map { i in
                        CallDetail(id: r.int(i, 0) ?? 0, phoneNumber: r.string(i, 1) ?? "",
                                   variables: CallVariables.decode(r.string(i, 2) ?? "{}"), timezone: r.string(i, 3) ?? "",
                                   status: r.string(i, 4) ?? "", attempts: Int(r.int(i, 5) ?? 0),
                                   nextAttemptAt: r.int(i, 6).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                   lastOutcome: r.string(i, 7), createdAt: PGTime.date(r.string(i, 8)) ?? Date(), phoneLogs: [])
                    }
                    try Self.attachPhoneLogs(c, to: &calls)
                    Store.attachCompliance(compliance, to: &calls)
                }
                let settings = SettingsCache.shared.entry(b.string(0, 5) ?? "")
                return BatchDetails(
                    id: id, name: b.string(0, 1) ?? "", status: b.string(0, 2) ?? "", inbox: inbox,
                    createdAt: PGTime.date(b.string(0, 4)) ?? Date(), settings: settings.summary,
                    page: query.page, limit: query.limit, total: total,
                    totalPages: (total + query.limit - 1) / query.limit, calls: calls, settingsJSON: settings.json)
            }
        }
    }

    private static func attachPhoneLogs(_ c: PGConnection, to calls: inout [CallDetail]) throws {
        guard !calls.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: calls.indices.map { (calls[$0].id, $0) })
        let r = try c.query("""
            SELECT callId, attempt, extract(epoch FROM startedAt), outcome, durationSec, callingNumber, providerCallId
            FROM attempt WHERE callId = ANY($1::bigint[]) ORDER BY callId, attempt
            """, ["{" + calls.map { String($0.id) }.joined(separator: ",") + "}"])
        for i in 0..<r.count {
            guard let call = r.int(i, 0), let at = index[call] else { continue }
            calls[at].phoneLogs.append(PhoneLog(attempt: Int(r.int(i, 1) ?? 0), at: PGTime.date(r.string(i, 2)) ?? Date(),
                                                outcome: r.string(i, 3), durationSec: r.double(i, 4),
                                                callingNumber: r.string(i, 5), providerCallId: r.string(i, 6)))
        }
    }
}

/// The WHERE and ORDER BY of a batch query on PostgreSQL, with bound parameters (as `CallSQL`
/// builds them for SQLite). Lists of values travel as one JSON array each.
struct PGCallSQL {
    var predicate: String
    var binds: [String?]

    init(batch: Int64) {
        binds = [String(batch)]
        predicate = "c.batchId = $1"
    }

    /// The next parameter's placeholder, bound to `value`.
    mutating func bind(_ value: String?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func add(_ filter: CallFilter) {
        for condition in filter.conditions {
            let values = condition.values.compactMap { $0 }
            var alternatives: [String] = []
            let column = column(condition.field)
            if !values.isEmpty {
                let list = bind(String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self))
                if condition.field == .timezone {
                    // One of the call's zones (a multi-zone call lists them comma-separated).
                    alternatives.append("""
                        EXISTS (SELECT 1 FROM jsonb_array_elements_text(\(list)::jsonb) AS v(z)
                                WHERE strpos(',' || c.zones || ',', ',' || v.z || ',') > 0)
                        """)
                } else {
                    alternatives.append("\(column) IN (SELECT jsonb_array_elements_text(\(list)::jsonb))")
                }
            }
            if values.count < condition.values.count { alternatives.append("\(column) IS NULL") }
            predicate += " AND (" + alternatives.joined(separator: " OR ") + ")"
        }
    }

    /// Case-insensitive (ICU's lower case, whatever the database's locale) in the phone number
    /// or any variable value.
    mutating func add(search: String) {
        let text = bind(search)
        predicate += """
             AND (strpos(lower(c.phoneNumber COLLATE "und-x-icu"), lower(\(text) COLLATE "und-x-icu")) > 0
                  OR EXISTS (SELECT 1 FROM jsonb_each_text(c.variables::jsonb) AS v
                             WHERE strpos(lower(v.value COLLATE "und-x-icu"), lower(\(text) COLLATE "und-x-icu")) > 0))
            """
    }

    /// The SQL of a field (a variable's placeholder is bound here).
    mutating func column(_ field: CallField) -> String {
        switch field {
        case .id: "c.id"
        case .phoneNumber: "c.phoneNumber"
        case .timezone: "c.zones"
        case .callStatus: "c.status"
        case .attempts: "c.attempts"
        case .nextAttemptAt: "c.nextAttemptAt"
        case .outcome: "c.lastOutcome"
        case .createdAt: "c.createdAt"
        case .variable(let name): "(c.variables::jsonb ->> \(bind(name)))"
        }
    }

    /// ORDER BY for `sort`, ties in ascending id order; SQLite's order: nulls first ascending, text
    /// in byte order, and for a variable numbers (by value) before text. A variable no call of
    /// the batch has is refused.
    func order(_ sort: CallSort, _ c: PGConnection) throws -> (sql: String, binds: [String?]) {
        var copy = self
        let first = binds.count
        let column = copy.column(sort.field)
        let binds = Array(copy.binds[first...])
        let direction = sort.descending ? "DESC NULLS LAST" : "ASC NULLS FIRST"
        switch sort.field {
        case .id:
            return ("c.id \(sort.descending ? "DESC" : "ASC")", binds)
        case .phoneNumber, .timezone, .callStatus, .outcome:
            return ("\(column) COLLATE \"C\" \(direction), c.id", binds)
        case .attempts, .nextAttemptAt, .createdAt:
            return ("\(column) \(direction), c.id", binds)
        case .variable(let name):
            let any = try c.query("SELECT 1 FROM call WHERE batchId = $1 LIMIT 1", [self.binds[0]]).count > 0
            let has = try c.query("SELECT 1 FROM call WHERE batchId = $1 AND (variables::jsonb ->> $2) IS NOT NULL LIMIT 1",
                                  [self.binds[0], name]).count > 0
            if any && !has { throw CallQueryError.unknownSortField(name) }
            // Nulls, then numbers by value, then text in byte order (`dd_sort_key` on SQLite).
            let number = #"'^[ \t]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*$'"#
            let rank = "CASE WHEN \(column) IS NULL THEN 0 WHEN \(column) ~ \(number) THEN 1 ELSE 2 END"
            let numeric = "CASE WHEN \(column) ~ \(number) THEN trim(\(column), E' \\t')::double precision END"
            let text = "CASE WHEN \(column) !~ \(number) THEN \(column) END COLLATE \"C\""
            let d = sort.descending ? "DESC" : "ASC"
            return ("\(rank) \(d), \(numeric) \(d), \(text) \(d), c.id", binds)
        }
    }
}
