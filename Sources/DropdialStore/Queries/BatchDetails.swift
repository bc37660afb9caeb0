import DropdialBase
import DropdialConfig
import Foundation
import DropdialImport
import GRDB

/// `dropdial batch ID --json` (seed 002): the batch and one page of its calls, each with its
/// attempts (the seed's phone logs). `total` and `totalPages` count the calls that match.
public struct BatchDetails: Sendable, Equatable, Encodable {
    public var id: Int64
    public var name: String
    public var status: String
    public var inbox: String
    public var createdAt: Date
    /// nil only for a batch whose stored settings cannot be read (it is not dialed either).
    @NullWhenAbsent public var settings: BatchSettingsSummary?
    public var page: Int
    public var limit: Int
    public var total: Int
    public var totalPages: Int
    public var calls: [CallDetail]
    /// `settings` as ``prettyJSON()`` writes it, indented for its place, when the store had it
    /// at hand (not encoded: derived from `settings`).
    var settingsJSON: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status, inbox, createdAt, settings, page, limit, total, totalPages, calls
    }
}

/// One call as `batch` prints it; every key is written, null included, so scripts can rely on the shape.
public struct CallDetail: Sendable, Equatable, Encodable {
    public var id: Int64
    public var phoneNumber: String
    public var variables: [String: String]
    /// The zone(s) the call is dialed in (row cell, else phone prefix, else batch zone), comma-separated.
    public var timezone: String
    public var status: String
    /// Attempts made, over every cycle.
    public var attempts: Int
    @NullWhenAbsent public var nextAttemptAt: Date?
    @NullWhenAbsent public var lastOutcome: String?
    public var createdAt: Date
    public var phoneLogs: [PhoneLog]
    /// The `[[compliance]]` rules that match the call (SPEC §9), by name, in config order.
    public var complianceRules: [String] = []
    /// The contact's US state or Canadian province: the row's `state` column, else its area code's.
    @NullWhenAbsent public var state: String?
}

/// One attempt of a call.
public struct PhoneLog: Sendable, Equatable, Encodable {
    public var attempt: Int
    public var at: Date
    /// nil while the attempt is in flight.
    @NullWhenAbsent public var outcome: String?
    @NullWhenAbsent public var durationSec: Double?
    @NullWhenAbsent public var callingNumber: String?
    /// The provider's id of the call (twilio, vapi, retell backends).
    @NullWhenAbsent public var providerCallId: String?
}

extension Store {
    /// One page of batch `id`'s calls matching `query`. A search of 3 characters or more reads
    /// the trigram index (`CallSearch`) and then only the matching calls; shorter ones, and any
    /// search while the index is behind (`indexForSearch`), scan the batch.
    ///
    /// A batch whose inbox `visible` refuses is `unknownBatch`, as one that does not exist (the
    /// API's key scopes, checked in the same read).
    /// `compliance` are the config's rules: each call shows the ones that match it, and its state.
    public func batchDetails(_ id: Int64, _ query: CallQuery, compliance: [ComplianceRule] = [],
                             visible: (String) -> Bool = { _ in true }) throws -> BatchDetails {
        try pool.read { db in
            // Cached statements: a page is served often, and preparing (and authorizing) each
            // statement anew was a tenth of its cost.
            guard let batch = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT id, name, status, inbox, createdAt, settings, callCount, importedIdsFrom, importedIdsTo FROM batch WHERE id = ?
                """), arguments: [id]), visible(batch["inbox"]) else {
                throw CallQueryError.unknownBatch(id)
            }
            var sql = CallSQL(batch: id)
            sql.add(query.filter)
            if let search = query.search {
                sql.add(search: search, idsFrom: batch["importedIdsFrom"], indexed: try CallSearch.isCurrent(db))
            }
            let order = try sql.order(query.sort, db: db)
            let total = query.filter.conditions.isEmpty && query.search == nil
                ? batch["callCount"]
                : try Self.count(db, sql, filtered: !query.filter.conditions.isEmpty,
                                 importedIds: (batch["importedIdsFrom"], batch["importedIdsTo"]))
            let offset = query.offset
            var calls: [CallDetail] = []
            if offset < total {
                let rows = try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT c.id, c.phoneNumber, c.variables, c.zones, c.status, c.attempts, c.nextAttemptAt,
                           c.lastOutcome, c.createdAt
                    FROM \(sql.from) WHERE \(sql.predicate) ORDER BY \(order.sql) LIMIT ? OFFSET ?
                    """), arguments: StatementArguments(sql.fromArguments + sql.arguments + order.arguments + [query.limit, offset]))
                calls = rows.map(Self.callDetail)
                try Self.attachPhoneLogs(db, to: &calls)
                Self.attachCompliance(compliance, to: &calls)
            }
            let settings = SettingsCache.shared.entry(batch["settings"])
            return BatchDetails(
                id: batch["id"], name: batch["name"], status: batch["status"], inbox: batch["inbox"],
                createdAt: batch["createdAt"], settings: settings.summary,
                page: query.page, limit: query.limit, total: total,
                totalPages: (total + query.limit - 1) / query.limit, calls: calls, settingsJSON: settings.json)
        }
    }

    /// How many calls match. A search alone is counted in the index: matches within the ids the
    /// import created are this batch's without reading the calls; only matches with higher ids
    /// (added later, or other batches') are checked against the call table.
    private static func count(_ db: Database, _ sql: CallSQL, filtered: Bool,
                              importedIds: (from: Int64?, to: Int64?)) throws -> Int {
        guard !filtered, let match = sql.match, let from = importedIds.from, let to = importedIds.to else {
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(sql.from) WHERE \(sql.predicate)",
                                    arguments: StatementArguments(sql.fromArguments + sql.arguments)) ?? 0
        }
        let imported = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM call_search WHERE call_search MATCH ? AND rowid BETWEEN ? AND ?
            """, arguments: [match, from, to]) ?? 0
        let added = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM (SELECT rowid AS id FROM call_search WHERE call_search MATCH ? AND rowid > ?) AS m
            CROSS JOIN call AS c ON c.id = m.id WHERE c.batchId = ?
            """, arguments: [match, to, sql.arguments[0]]) ?? 0
        return imported + added
    }

    private static func callDetail(_ row: Row) -> CallDetail {
        let next: Int64? = row["nextAttemptAt"]
        return CallDetail(
            id: row["id"], phoneNumber: row["phoneNumber"], variables: CallVariables.decode(row["variables"]), timezone: row["zones"],
            status: row["status"], attempts: row["attempts"],
            nextAttemptAt: next.map { Date(timeIntervalSince1970: TimeInterval($0)) }, lastOutcome: row["lastOutcome"],
            createdAt: row["createdAt"], phoneLogs: [])
    }

    /// Each call's matching compliance rules and state (SPEC §9), from the same facts the dialer uses.
    static func attachCompliance(_ rules: [ComplianceRule], to calls: inout [CallDetail]) {
        for i in calls.indices {
            let e164 = calls[i].phoneNumber
            let facts = ContactFacts.of(e164: e164, variables: calls[i].variables, needRegion: false)
            let region = ContactFacts.regionOnce(e164)
            calls[i].state = facts.state
            calls[i].complianceRules = rules.filter { $0.matches(facts, region: region) }.map(\.name)
        }
    }

    private static func attachPhoneLogs(_ db: Database, to calls: inout [CallDetail]) throws {
        guard !calls.isEmpty else { return }
        let index = Dictionary(uniqueKeysWithValues: calls.indices.map { (calls[$0].id, $0) })
        let marks = Array(repeating: "?", count: calls.count).joined(separator: ",")
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT callId, attempt, startedAt, outcome, durationSec, callingNumber, providerCallId FROM attempt
            WHERE callId IN (\(marks)) ORDER BY callId, attempt
            """), arguments: StatementArguments(calls.map(\.id)))
        for row in rows {
            guard let i = index[row["callId"]] else { continue }
            calls[i].phoneLogs.append(PhoneLog(attempt: row["attempt"], at: row["startedAt"], outcome: row["outcome"],
                                               durationSec: row["durationSec"], callingNumber: row["callingNumber"],
                                               providerCallId: row["providerCallId"]))
        }
    }
}

/// The FROM and WHERE of a batch query, built from the filter and search with bound arguments.
struct CallSQL {
    var from = "call AS c"
    var fromArguments: [any DatabaseValueConvertible] = []
    var predicate: String
    var arguments: [any DatabaseValueConvertible]
    /// The index query, when the search goes through the index.
    var match: String?

    init(batch: Int64) {
        predicate = "c.batchId = ?"
        arguments = [batch]
    }

    /// Each condition's values travel as one bound JSON array read with `json_each`, so a filter
    /// of any number of values is one parameter and one expression (a 1,000-value `OR` chain
    /// passed SQLite's expression depth limit; 32,766 values its parameter limit).
    mutating func add(_ filter: CallFilter) {
        for condition in filter.conditions {
            let column = Self.column(condition.field)
            let values = condition.values.compactMap { $0 }
            var alternatives: [String] = []
            if !values.isEmpty {
                let list = String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
                if condition.field == .timezone {
                    // One of the call's zones (a multi-zone call lists them comma-separated).
                    alternatives.append("""
                        EXISTS (SELECT 1 FROM json_each(?) AS v WHERE instr(',' || c.zones || ',', ',' || v.value || ',') > 0)
                        """)
                    arguments.append(list)
                } else {
                    alternatives.append("\(column.sql) IN (SELECT value FROM json_each(?))")
                    arguments += column.arguments + [list]
                }
            }
            if values.count < condition.values.count {
                alternatives.append("\(column.sql) IS NULL")
                arguments += column.arguments
            }
            predicate += " AND (" + alternatives.joined(separator: " OR ") + ")"
        }
    }

    /// Searches through the trigram index (driving the query from its matches), or scans when the
    /// text is too short for it or the index has not caught up with every call yet. No call of the
    /// batch has an id below `idsFrom` (its first imported call), so the index skips older
    /// batches' matches.
    mutating func add(search: String, idsFrom: Int64?, indexed: Bool) {
        if indexed, let match = CallSearch.matchQuery(search) {
            from = """
                (SELECT rowid AS id FROM call_search WHERE call_search MATCH ? AND rowid >= ?) AS m
                CROSS JOIN call AS c ON c.id = m.id
                """
            fromArguments = [match, idsFrom ?? 0]
            self.match = match
        } else {
            // An ASCII text without quote or backslash is spelled the same inside the variables'
            // JSON, so SQLite's own LIKE (ASCII case-insensitive) can rule out most calls before
            // the exact check runs on the rest.
            if search.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
                let pattern = "%" + search.replacingOccurrences(of: "!", with: "!!").replacingOccurrences(of: "%", with: "!%")
                    .replacingOccurrences(of: "_", with: "!_") + "%"
                predicate += " AND (c.phoneNumber LIKE ? ESCAPE '!' OR c.variables LIKE ? ESCAPE '!')"
                arguments += [pattern, pattern]
            }
            predicate += " AND dd_contains(c.phoneNumber, c.variables, ?)"
            arguments.append(search)
        }
    }

    /// ORDER BY for `sort`, ties in ascending id (file) order whatever the direction. A variable no call of the batch has is refused, so a
    /// typo does not silently sort nothing.
    func order(_ sort: CallSort, db: Database) throws -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let direction = sort.descending ? "DESC" : "ASC"
        let column = Self.column(sort.field)
        if case .variable(let name) = sort.field {
            let exists = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM call AS c WHERE c.batchId = ? AND \(column.sql) IS NOT NULL LIMIT 1
                """, arguments: StatementArguments([arguments[0]] + column.arguments)) ?? false
            let any = try Bool.fetchOne(db, sql: "SELECT 1 FROM call WHERE batchId = ? LIMIT 1",
                                        arguments: [arguments[0]]) ?? false
            if any && !exists { throw CallQueryError.unknownSortField(name) }
            return ("dd_sort_key(\(column.sql)) \(direction), c.id", column.arguments)
        }
        // Driven by the index, id order is the index's own rowid order: no sort, and LIMIT stops early.
        if sort.field == .id { return ("\(from == "call AS c" ? "c.id" : "m.id") \(direction)", []) }
        return ("\(column.sql) \(direction), c.id", column.arguments)
    }

    /// The SQL of a field; a variable is read by its JSON path (bound), or through `json_each`
    /// when its name holds characters a path cannot quote.
    static func column(_ field: CallField) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        switch field {
        case .id: ("c.id", [])
        case .phoneNumber: ("c.phoneNumber", [])
        case .timezone: ("c.zones", [])
        case .callStatus: ("c.status", [])
        case .attempts: ("c.attempts", [])
        case .nextAttemptAt: ("c.nextAttemptAt", [])
        case .outcome: ("c.lastOutcome", [])
        case .createdAt: ("c.createdAt", [])
        case .variable(let name) where !name.contains("\"") && !name.contains("\\"):
            ("json_extract(c.variables, ?)", ["$.\"" + name + "\""])
        case .variable(let name):
            ("(SELECT value FROM json_each(c.variables) WHERE key = ?)", [name])
        }
    }
}
