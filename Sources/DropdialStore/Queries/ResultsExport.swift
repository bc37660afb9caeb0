import DropdialBase
import DropdialConfig
import Foundation
import GRDB

/// The results export of one batch (SPEC §10; `dropdial export ID`, `GET /api/call/export/{id}`):
/// one row per call in call order, with its phone number, its variables, its zone, status,
/// attempts, last outcome, and its last and next attempt as local time and as UTC. Every cell
/// is text; the writers (CSV, XLSX) decide how a spreadsheet sees it.
public struct ResultsExport: Sendable {
    public let batchId: Int64
    /// The batch's variable names, in the order they first appear in its calls.
    public let variables: [String]
    public var header: [String] {
        ["phone_number"] + variables + ["timezone", "status", "attempts", "last_outcome",
                                        "last_attempt_local", "last_attempt_utc", "next_attempt_local", "next_attempt_utc"]
    }
    /// Calls read per page.
    public static let pageSize = 2_000

    /// One page of rows after call id `after`, and the last call id on it (nil: no more calls).
    public func page(_ store: any StoreEngine, after: Int64) throws -> (rows: [[String]], last: Int64?) {
        var zones: [String: TimeZone] = [:]
        let calls = try store.exportCalls(batch: batchId, after: after, limit: Self.pageSize)
        let out = calls.map { call -> [String] in
            let values = CallVariables.decode(call.variablesJSON)
            let first = String(call.zones.split(separator: ",").first ?? "")
            let zone = zones[first] ?? {
                let z = TimeZone(identifier: first) ?? TimeZone(secondsFromGMT: 0)!
                zones[first] = z
                return z
            }()
            // A final call has no next attempt, whatever time the row still holds.
            let pending = call.nextAttemptAt.map { Date(timeIntervalSince1970: TimeInterval($0)) }
                .flatMap { call.status == CallStatus.pending.rawValue || call.status == CallStatus.paused.rawValue ? $0 : nil }
            let last = call.lastAttemptAt
            return [call.phoneNumber] + variables.map { values[$0] ?? "" } + [
                call.zones, call.status, String(call.attempts), call.lastOutcome ?? "",
                Self.local(last, zone), last.map(Timestamp.iso8601Seconds) ?? "",
                Self.local(pending, zone), pending.map(Timestamp.iso8601Seconds) ?? "",
            ]
        }
        return (out, calls.last?.id)
    }

    /// Every row, a page at a time, in call order.
    public func forEachRow(_ store: any StoreEngine, _ body: ([String]) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let (rows, last) = try page(store, after: after)
            for row in rows { try body(row) }
            guard let last else { return }
            after = last
        }
    }

    private static func local(_ date: Date?, _ zone: TimeZone) -> String {
        guard let date else { return "" }
        return Timestamp.local(date, offsetSeconds: zone.secondsFromGMT(for: date))
    }
}

/// One call as the export reads it: its columns and when its last attempt began.
public struct ExportCall: Sendable {
    public var id: Int64
    public var phoneNumber: String
    public var variablesJSON: String
    public var zones: String
    public var status: String
    public var attempts: Int
    public var lastOutcome: String?
    public var nextAttemptAt: Int64?
    public var lastAttemptAt: Date?
}

extension Store {
    /// Up to `limit` calls of batch `id` after call id `after`, in call order.
    public func exportCalls(batch id: Int64, after: Int64, limit: Int) throws -> [ExportCall] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.phoneNumber, c.variables, c.zones, c.status, c.attempts, c.lastOutcome, c.nextAttemptAt,
                       (SELECT MAX(a.startedAt) FROM attempt AS a WHERE a.callId = c.id) AS lastAttemptAt
                FROM call AS c WHERE c.batchId = ? AND c.id > ? ORDER BY c.id LIMIT ?
                """, arguments: [id, after, limit]).map {
                ExportCall(id: $0["id"], phoneNumber: $0["phoneNumber"], variablesJSON: $0["variables"], zones: $0["zones"],
                           status: $0["status"], attempts: $0["attempts"], lastOutcome: $0["lastOutcome"],
                           nextAttemptAt: $0["nextAttemptAt"], lastAttemptAt: $0["lastAttemptAt"])
            }
        }
    }

    /// The export of batch `id`, or nil when there is no such batch.
    public func resultsExport(batch id: Int64) throws -> ResultsExport? {
        try pool.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM batch WHERE id = ?", arguments: [id]) == true else { return nil }
            // Names in the order they first appear: by the first call holding each, then by
            // their place in that call's object.
            // The grouping sorts a row per variable of every call: in files, not memory (the store's
            // temp_store is MEMORY), so a 1M-call batch's export stays in flat memory.
            try db.execute(sql: "PRAGMA temp_store = FILE")
            defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
            let names = try String.fetchAll(db, sql: """
                SELECT v.key FROM call AS c, json_each(c.variables) AS v WHERE c.batchId = ?
                GROUP BY v.key ORDER BY MIN(c.id * 65536 + v.id)
                """, arguments: [id])
            return ResultsExport(batchId: id, variables: names)
        }
    }
}
