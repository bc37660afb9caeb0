import DropdialBase
import DropdialImport
import Foundation
import GRDB

/// One file the daemon took, as `GET /api/files` lists it (SPEC §8).
public struct FileEntry: Sendable, Equatable, Encodable {
    public var id: Int64
    public var inbox: String
    /// The name as it was received (before any shortening or escaping).
    public var name: String
    /// Where it was archived, relative to its inbox (`processed/contacts.csv`); null until then.
    @NullWhenAbsent public var archivedAs: String?
    /// `imported`, `rejected`, `duplicate` or `failed`.
    public var status: String
    @NullWhenAbsent public var batchId: Int64?
    @NullWhenAbsent public var counts: ImportCounts?
    public var receivedAt: Date
}

/// A page of files, newest first.
public struct FileList: Sendable, Equatable, Encodable {
    public var page: Int
    public var limit: Int
    public var total: Int
    public var files: [FileEntry]
}

/// The outcomes a listed file can have: files still being imported (`claimed`) are not listed.
public enum FileOutcome: String, Sendable, CaseIterable {
    case imported, rejected, duplicate, failed
}

extension Store {
    /// The files of `inboxes` (all when empty) with `status` (any outcome when nil), newest first.
    public func files(inboxes: [String], status: FileOutcome?, page: Int, limit: Int) throws -> FileList {
        try pool.read { db in
            var conditions = ["state IN (SELECT value FROM json_each(?))"]
            var arguments: [any DatabaseValueConvertible] = [Self.jsonList(status.map { [$0.rawValue] } ?? FileOutcome.allCases.map(\.rawValue))]
            if !inboxes.isEmpty {
                conditions.append("inbox IN (SELECT value FROM json_each(?))")
                arguments.append(Self.jsonList(inboxes))
            }
            let predicate = conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM importedFile WHERE \(predicate)",
                                         arguments: StatementArguments(arguments)) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, inbox, COALESCE(json_extract(report, '$.receivedAs'), fileName) AS name, archivedAs, state,
                       batchId, json_extract(report, '$.counts') AS counts, createdAt
                FROM importedFile WHERE \(predicate) ORDER BY id DESC LIMIT ? OFFSET ?
                """, arguments: StatementArguments(arguments + [limit, (page - 1) * limit]))
            return FileList(page: page, limit: limit, total: total, files: rows.map(Self.fileEntry))
        }
    }

    static func fileEntry(_ row: Row) -> FileEntry {
        let counts = (row["counts"] as String?).flatMap { try? JSONDecoder().decode(ImportCounts.self, from: Data($0.utf8)) }
        return FileEntry(id: row["id"], inbox: row["inbox"], name: row["name"], archivedAs: row["archivedAs"],
                         status: row["state"], batchId: row["batchId"], counts: counts, receivedAt: row["createdAt"])
    }

    static func jsonList(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// One listed file with its stored report (JSON), or nil when there is none such.
    public func file(_ id: Int64) throws -> (entry: FileEntry, report: String?)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, inbox, COALESCE(json_extract(report, '$.receivedAs'), fileName) AS name, archivedAs, state,
                       batchId, json_extract(report, '$.counts') AS counts, createdAt, report
                FROM importedFile WHERE id = ? AND state IN (SELECT value FROM json_each(?))
                """, arguments: [id, Self.jsonList(FileOutcome.allCases.map(\.rawValue))]) else { return nil }
            return (Self.fileEntry(row), row["report"])
        }
    }

    /// Records where a claimed file was archived and the report written beside it.
    public func fileArchived(claimKey: String, archivedAs: String, report: String) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE importedFile SET archivedAs = ?, report = ?, updatedAt = ? WHERE claimKey = ?",
                           arguments: [archivedAs, report, Date(), claimKey])
        }
    }
}
