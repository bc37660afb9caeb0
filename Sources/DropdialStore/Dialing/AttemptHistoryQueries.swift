import Foundation
import GRDB

/// The attempts compliance limits count (SPEC §9): to one E.164 number, over every batch and
/// inbox, through the `attempt_number_started` index.
extension Store {
    /// When the most recent `limit` attempts to `phoneNumber` started, most recent first, leaving
    /// out those before `since`.
    public func attemptStarts(phoneNumber: String, since: Date, limit: Int) throws -> [Date] {
        try pool.read { db in
            try Date.fetchAll(db.cachedStatement(sql: """
                SELECT startedAt FROM attempt WHERE phoneNumber = ? AND startedAt >= ?
                ORDER BY startedAt DESC LIMIT ?
                """), arguments: [phoneNumber, since, limit])
        }
    }

    /// Every attempt started at or after `since`, as (number, start): what `simulate` seeds its
    /// limits with.
    public func attemptStarts(since: Date) throws -> [(phoneNumber: String, startedAt: Date)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT phoneNumber, startedAt FROM attempt WHERE phoneNumber IS NOT NULL AND startedAt >= ?
                """, arguments: [since]).map { ($0["phoneNumber"], $0["startedAt"]) }
        }
    }
}
