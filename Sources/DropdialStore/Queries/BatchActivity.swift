import DropdialConfig
import Foundation
import GRDB

/// What the batch page draws (SPEC §10): its calls by status and by last outcome, the attempts of
/// each of the last hours, and the calls still due by the local hour they are due at.
public struct BatchActivity: Sendable, Equatable {
    /// Calls by status (`pending`, `dialing`, `paused`, `done`, `cancelled`).
    public var byStatus: [String: Int]
    /// Finished calls by their last outcome (`completed`, `no_answer`, …).
    public var byOutcome: [String: Int]
    /// Attempts started in each hour, oldest first, ending with the hour of `now`.
    public var attemptsPerHour: [HourCount]
    /// Pending calls by the hour of the day (0–23) of their next attempt in the call's own zone
    /// (its first zone when the number spans several).
    public var dueByLocalHour: [Int]
    /// When the batch has more pending calls than ``exactDueLimit``, ``dueByLocalHour`` is scaled
    /// from this many calls spread evenly over the batch's imported ids (nil: counted exactly).
    public var dueSampled: Int?

    /// Up to this many pending calls, the due chart counts every one.
    public static let exactDueLimit = 20_000
    /// The calls read for a larger batch's due chart.
    public static let dueSampleSize = 5_000

    public struct HourCount: Sendable, Equatable {
        /// The start of the hour (UTC).
        public var hour: Date
        public var count: Int
    }

    /// Calls that will not be dialed again.
    public var finalCalls: Int { (byStatus[CallStatus.done.rawValue] ?? 0) + (byStatus[CallStatus.cancelled.rawValue] ?? 0) }
    public var allCalls: Int { byStatus.values.reduce(0, +) }
}

extension Store {
    /// Batch `id`'s ``BatchActivity`` over the `hours` hours up to `now`.
    public func batchActivity(_ id: Int64, now: Date, hours: Int = 24) throws -> BatchActivity {
        try pool.read { db in
            guard let batch = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT callCount, importedIdsFrom, importedIdsTo FROM batch WHERE id = ?
                """), arguments: [id]) else {
                return BatchActivity.none
            }
            let ids: (from: Int64?, to: Int64?) = (batch["importedIdsFrom"], batch["importedIdsTo"])
            let byStatus = try Self.statusCounts(db, batch: id, callCount: batch["callCount"], ids: ids)
            var byOutcome: [String: Int] = [:]
            if (byStatus[CallStatus.done.rawValue] ?? 0) > 0 {
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT lastOutcome, COUNT(*) AS n FROM call WHERE batchId = ? AND status = \(CallStatus.done.sql)
                    GROUP BY lastOutcome
                    """), arguments: [id]) {
                    byOutcome[row["lastOutcome"] ?? "none"] = row["n"]
                }
            }
            let firstHour = BatchActivity.firstHour(now: now, hours: hours)
            var perHour: [Int64: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT CAST(strftime('%s', startedAt) AS INTEGER) / 3600 AS h, COUNT(*) AS n FROM attempt
                WHERE batchId = ? AND startedAt >= ? GROUP BY h
                """), arguments: [id, Date(timeIntervalSince1970: TimeInterval(firstHour * 3600))]) {
                perHour[row["h"]] = row["n"]
            }
            let attempts = BatchActivity.hours(perHour, now: now, hours: hours)
            let pending = byStatus[CallStatus.pending.rawValue] ?? 0
            let (due, sampled) = try Self.dueByLocalHour(db, batch: id, pending: pending, ids: ids)
            return BatchActivity(byStatus: byStatus, byOutcome: byOutcome, attemptsPerHour: attempts, dueByLocalHour: due,
                                 dueSampled: sampled)
        }
    }

    /// Calls by status, exactly, without stepping through every call: the commonest status of a
    /// small sample is taken as the largest; every other status is counted in the
    /// (batchId, status) index, and the largest is what remains of the batch's call count.
    private static func statusCounts(_ db: Database, batch id: Int64, callCount: Int,
                                     ids: (from: Int64?, to: Int64?)) throws -> [String: Int] {
        var largest = CallStatus.pending.rawValue
        if let from = ids.from, let to = ids.to, to > from {
            let guess = try Row.fetchOne(db.cachedStatement(sql: """
                WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 255)
                SELECT c.status, COUNT(*) AS n FROM s CROSS JOIN call AS c ON c.id = ? + s.i * ?
                WHERE c.batchId = ? GROUP BY c.status ORDER BY n DESC LIMIT 1
                """), arguments: [from, max(1, (to - from) / 256), id])
            if let guess { largest = guess["status"] }
        }
        var counts: [String: Int] = [:]
        for status in CallStatus.allCases where status.rawValue != largest {
            let n = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM call WHERE batchId = ? AND status = ?"),
                                     arguments: [id, status.rawValue]) ?? 0
            if n > 0 { counts[status.rawValue] = n }
        }
        let rest = callCount - counts.values.reduce(0, +)
        if rest > 0 { counts[largest] = rest }
        return counts
    }

    /// ``BatchActivity/dueByLocalHour`` and, for a batch of many pending calls, the sample it was
    /// scaled from. Grouped by zone and UTC hour in SQL, so only a few rows reach Swift.
    private static func dueByLocalHour(_ db: Database, batch id: Int64, pending: Int,
                                       ids: (from: Int64?, to: Int64?)) throws -> ([Int], Int?) {
        guard pending > 0 else { return (Array(repeating: 0, count: 24), nil) }
        let rows: [Row]
        var sampled: Int?
        if pending > BatchActivity.exactDueLimit, let from = ids.from, let to = ids.to, to > from {
            let n = BatchActivity.dueSampleSize
            rows = try Row.fetchAll(db.cachedStatement(sql: """
                WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ? - 1)
                SELECT c.zones, c.nextAttemptAt / 3600 AS h, COUNT(*) AS n FROM s CROSS JOIN call AS c ON c.id = ? + s.i * ?
                WHERE c.batchId = ? AND c.status = \(CallStatus.pending.sql) AND c.nextAttemptAt IS NOT NULL GROUP BY c.zones, h
                """), arguments: [n, from, max(1, (to - from) / Int64(n)), id])
            sampled = rows.reduce(0) { $0 + ($1["n"] as Int) }
        } else {
            rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT zones, nextAttemptAt / 3600 AS h, COUNT(*) AS n FROM call
                WHERE batchId = ? AND status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL GROUP BY zones, h
                """), arguments: [id])
        }
        return BatchActivity.dueByLocalHour(rows.map { (zones: $0["zones"], hour: $0["h"], count: $0["n"]) },
                                            pending: pending, sampled: sampled)
    }
}

extension BatchActivity {
    /// An empty activity (no such batch).
    static let none = BatchActivity(byStatus: [:], byOutcome: [:], attemptsPerHour: [], dueByLocalHour: Array(repeating: 0, count: 24))

    /// The `hours` hours up to `now`, each with its count of `perHour` (attempts by UTC hour number).
    static func hours(_ perHour: [Int64: Int], now: Date, hours: Int) -> [HourCount] {
        let lastHour = Int64(now.timeIntervalSince1970) / 3600
        return ((lastHour - Int64(hours) + 1)...lastHour).map {
            HourCount(hour: Date(timeIntervalSince1970: TimeInterval($0 * 3600)), count: perHour[$0] ?? 0)
        }
    }

    /// The first UTC hour number the last `hours` hours up to `now` count from.
    static func firstHour(now: Date, hours: Int) -> Int64 { Int64(now.timeIntervalSince1970) / 3600 - Int64(hours) + 1 }

    /// Pending calls counted by (zones, UTC hour number) as the local hours of their first zone,
    /// scaled to `pending` when they were a sample of `sampled` calls.
    static func dueByLocalHour(_ rows: [(zones: String, hour: Int64, count: Int)], pending: Int, sampled: Int?) -> ([Int], Int?) {
        var zones: [String: TimeZone] = [:]
        var counted = Array(repeating: 0, count: 24)
        for row in rows {
            let name = String(row.zones.prefix { $0 != "," })
            guard let zone = zones[name] ?? TimeZone(identifier: name) else { continue }
            zones[name] = zone
            let at = Date(timeIntervalSince1970: TimeInterval(row.hour * 3600))
            let local = (Int(row.hour * 3600 % 86_400) + zone.secondsFromGMT(for: at)) / 3600
            counted[((local % 24) + 24) % 24] += row.count
        }
        guard let sampled, sampled > 0 else { return (counted, nil) }
        // Scaled to the batch's pending calls, each hour rounded.
        return (counted.map { Int((Double($0) * Double(pending) / Double(sampled)).rounded()) }, sampled)
    }
}
