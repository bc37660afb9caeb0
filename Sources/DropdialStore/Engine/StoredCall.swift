import Foundation
import GRDB

/// A call's columns as an engine stored them (for tests and diagnostics: both engines must keep
/// the same bytes).
public struct StoredCall: Sendable, Equatable, CustomStringConvertible {
    public var rowNumber: Int64?
    public var phoneNumber: String
    public var variables: String
    public var timezone: String?
    public var zones: String
    public var status: String
    public var attempts: Int64
    public var nextAttemptAt: Int64?

    public var description: String {
        "row \(rowNumber.map(String.init) ?? "-") \(phoneNumber) \(variables) tz=\(timezone ?? "-") zones=\(zones) \(status) attempts=\(attempts) next=\(nextAttemptAt.map(String.init) ?? "-")"
    }
}

extension StoredCall {
    static let columns = "rowNumber, phoneNumber, variables, timezone, zones, status, attempts, nextAttemptAt"
}

extension Store {
    /// Every call of batch `id` in id order, as stored.
    public func storedCalls(batch id: Int64) throws -> [StoredCall] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(StoredCall.columns) FROM call WHERE batchId = ? ORDER BY id", arguments: [id])
                .map { StoredCall(rowNumber: $0[0], phoneNumber: $0[1], variables: $0[2], timezone: $0[3], zones: $0[4],
                                  status: $0[5], attempts: $0[6], nextAttemptAt: $0[7]) }
        }
    }
}

extension PostgresStore {
    /// Every call of batch `id` in id order, as stored.
    public func storedCalls(batch id: Int64) throws -> [StoredCall] {
        try withConnection { c in
            let r = try c.query("SELECT \(StoredCall.columns) FROM call WHERE batchId = $1 ORDER BY id", [String(id)])
            return (0..<r.count).map {
                StoredCall(rowNumber: r.int($0, 0), phoneNumber: r.string($0, 1) ?? "", variables: r.string($0, 2) ?? "",
                           timezone: r.string($0, 3), zones: r.string($0, 4) ?? "", status: r.string($0, 5) ?? "",
                           attempts: r.int($0, 6) ?? 0, nextAttemptAt: r.int($0, 7))
            }
        }
    }
}
