import DropdialConfig
import Foundation
import GRDB

/// An attempt a provider accepted and whose outcome has not come yet (SPEC §9).
public struct ProviderAttempt: Sendable, Equatable {
    public var callId: Int64
    public var batchId: Int64
    public var attempt: Int
    public var cycleBase: Int
    public var zones: String
    public var phoneNumber: String
    public var callingNumber: String?
    public var providerCallId: String
    public var startedAt: Date
}

/// The provider backends' part of the attempt log: the provider's call id, kept with the attempt
/// when the create request is accepted, is how webhooks and polls find it again.
extension Store {
    /// Stores the provider's call id of an open attempt.
    public func setProviderCallId(_ id: String, callId: Int64, attempt: Int) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                UPDATE attempt SET providerCallId = ? WHERE callId = ? AND attempt = ? AND endedAt IS NULL
                """).execute(arguments: [id, callId, attempt])
        }
    }

    /// Attempts a provider accepted that have no outcome yet, oldest first.
    public func openProviderAttempts() throws -> [ProviderAttempt] {
        try openProviderAttempts(where: "a.providerCallId IS NOT NULL", [])
    }

    private func openProviderAttempts(where condition: String, _ arguments: StatementArguments) throws -> [ProviderAttempt] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.callId, a.batchId, a.attempt, c.cycleBase, c.zones, c.phoneNumber, a.callingNumber,
                       a.providerCallId, a.startedAt
                FROM attempt a JOIN call c ON c.id = a.callId
                WHERE a.endedAt IS NULL AND \(condition) ORDER BY a.startedAt
                """, arguments: arguments).map {
                ProviderAttempt(callId: $0["callId"], batchId: $0["batchId"], attempt: $0["attempt"],
                                cycleBase: $0["cycleBase"], zones: $0["zones"], phoneNumber: $0["phoneNumber"],
                                callingNumber: $0["callingNumber"], providerCallId: $0["providerCallId"],
                                startedAt: $0["startedAt"])
            }
        }
    }

    /// The open attempt with this provider call id, if any (a webhook another node's call may get).
    public func openProviderAttempt(_ id: String) throws -> ProviderAttempt? {
        try openProviderAttempts(where: "a.providerCallId = ?", [id]).first
    }

    /// True when an attempt with this provider call id exists (final or not).
    public func hasProviderCall(_ id: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM attempt WHERE providerCallId = ?"), arguments: [id]) ?? false
        }
    }

    /// Withdraws an open attempt nothing was placed for (the provider answered 429): the attempt
    /// row goes, and the call is due again at `due` with its attempt count as before (SPEC §9).
    public func withdrawAttempt(callId: Int64, attempt: Int, due: Int64) throws {
        try pool.write { db in
            try db.cachedStatement(sql: """
                DELETE FROM attempt WHERE callId = ? AND attempt = ? AND endedAt IS NULL AND providerCallId IS NULL
                """).execute(arguments: [callId, attempt])
            guard db.changesCount == 1 else { return }
            try db.cachedStatement(sql: """
                UPDATE call SET attempts = ?, nextAttemptAt = ?,
                    status = \(DialingSQL.statusAfterAttempt)
                WHERE id = ?
                """).execute(arguments: [attempt - 1, due, callId])
            try Self.completeBatchIfDone(db, callId: callId)
        }
    }
}
