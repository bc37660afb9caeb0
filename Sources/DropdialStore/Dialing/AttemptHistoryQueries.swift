import Foundation
import GRDB

/// The attempts compliance limits count (SPEC §9): to one E.164 number, over every batch and
/// inbox, through the `attempt_number_started` index.
extension Store {
    /// Every attempt started at or after `since`, as (number, start): what `simulate` seeds its
    /// limits with.
    public func attemptStarts(since: Date) throws -> [(phoneNumber: String, startedAt: Date)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT phoneNumber, startedAt FROM attempt WHERE phoneNumber IS NOT NULL AND startedAt >= ?
                """, arguments: [since]).map { ($0["phoneNumber"], $0["startedAt"]) }
        }
    }

    /// When the attempts to each of `phoneNumbers` started, at or after `since`, most recent first:
    /// one statement for a whole pass of due calls, each number one range of the index.
    public func attemptStarts(phoneNumbers: [String], since: Date) throws -> [String: [Date]] {
        guard !phoneNumbers.isEmpty else { return [:] }
        let list = String(decoding: try JSONEncoder().encode(Array(Set(phoneNumbers))), as: UTF8.self)
        return try pool.read { db in
            var out: [String: [Date]] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT phoneNumber, startedAt FROM attempt
                WHERE phoneNumber IN (SELECT value FROM json_each(?)) AND startedAt >= ?
                ORDER BY phoneNumber, startedAt DESC
                """), arguments: [list, since])
            while let row = try rows.next() { out[row["phoneNumber"], default: []].append(row["startedAt"]) }
            return out
        }
    }
}
