import Foundation
import GRDB

/// One batch as `dropdial batches` lists it.
public struct BatchSummary: Sendable, Codable, Equatable, FetchableRecord {
    public var id: Int64
    public var name: String
    public var inbox: String
    public var status: String
    public var sourceFile: String?
    public var createdAt: Date
    public var counts: Counts
    /// Calls by their current status (pending, completed, …).
    public var calls: [String: Int]

    public struct Counts: Sendable, Codable, Equatable {
        public var rows: Int
        public var imported: Int
        public var invalid: Int
        public var duplicates: Int
        public var suppressed: Int
    }

    init(id: Int64, name: String, inbox: String, status: String, sourceFile: String?, createdAt: Date,
         counts: Counts, calls: [String: Int] = [:]) {
        self.id = id
        self.name = name
        self.inbox = inbox
        self.status = status
        self.sourceFile = sourceFile
        self.createdAt = createdAt
        self.counts = counts
        self.calls = calls
    }

    public init(row: Row) {
        id = row["id"]
        name = row["name"]
        inbox = row["inbox"]
        status = row["status"]
        sourceFile = row["sourceFile"]
        createdAt = row["createdAt"]
        counts = Counts(rows: row["rows"], imported: row["imported"], invalid: row["invalid"],
                        duplicates: row["duplicates"], suppressed: row["suppressed"])
        calls = [:]
    }
}

extension Store {
    /// Every batch, oldest first, with its call counts by status.
    public func batches() throws -> [BatchSummary] {
        try pool.read { db in
            var list = try BatchSummary.fetchAll(db, sql: "SELECT * FROM batch ORDER BY id")
            let index = Dictionary(uniqueKeysWithValues: list.indices.map { (list[$0].id, $0) })
            let rows = try Row.fetchAll(db, sql: "SELECT batchId, status, COUNT(*) AS n FROM call GROUP BY batchId, status")
            for row in rows {
                if let i = index[row["batchId"]] { list[i].calls[row["status"]] = row["n"] }
            }
            return list
        }
    }

    /// The inbox batch `id` was imported into, or nil when there is no such batch.
    public func batchInbox(_ id: Int64) throws -> String? {
        try pool.read { db in try String.fetchOne(db.cachedStatement(sql: "SELECT inbox FROM batch WHERE id = ?"), arguments: [id]) }
    }

    /// True when a statement reaches the database (`/readyz`).
    public func isReachable() -> Bool {
        (try? pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
