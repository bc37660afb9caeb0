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
            var byStatus: [String: Int] = [:]
            // Counted in the (batchId, status) index, without reading the calls.
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT status, COUNT(*) AS n FROM call WHERE batchId = ? GROUP BY status"),
                                        arguments: [id]) {
                byStatus[row["status"]] = row["n"]
            }
            var byOutcome: [String: Int] = [:]
            if (byStatus[CallStatus.done.rawValue] ?? 0) > 0 {
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT lastOutcome, COUNT(*) AS n FROM call WHERE batchId = ? AND status = \(CallStatus.done.sql)
                    GROUP BY lastOutcome
                    """), arguments: [id]) {
                    byOutcome[row["lastOutcome"] ?? "none"] = row["n"]
                }
            }
            let lastHour = Int64(now.timeIntervalSince1970) / 3600
            let firstHour = lastHour - Int64(hours) + 1
            var perHour: [Int64: Int] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT CAST(strftime('%s', startedAt) AS INTEGER) / 3600 AS h, COUNT(*) AS n FROM attempt
                WHERE batchId = ? AND startedAt >= ? GROUP BY h
                """), arguments: [id, Date(timeIntervalSince1970: TimeInterval(firstHour * 3600))]) {
                perHour[row["h"]] = row["n"]
            }
            let attempts = (firstHour...lastHour).map {
                BatchActivity.HourCount(hour: Date(timeIntervalSince1970: TimeInterval($0 * 3600)), count: perHour[$0] ?? 0)
            }
            var due = Array(repeating: 0, count: 24)
            if (byStatus[CallStatus.pending.rawValue] ?? 0) > 0 {
                // Grouped by zone and UTC hour in SQL, so only a few hundred rows reach Swift.
                var zones: [String: TimeZone] = [:]
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT zones, nextAttemptAt / 3600 AS h, COUNT(*) AS n FROM call
                    WHERE batchId = ? AND status = \(CallStatus.pending.sql) AND nextAttemptAt IS NOT NULL GROUP BY zones, h
                    """), arguments: [id]) {
                    let list: String = row["zones"]
                    let name = String(list.prefix { $0 != "," })
                    guard let zone = zones[name] ?? TimeZone(identifier: name) else { continue }
                    zones[name] = zone
                    let hour: Int64 = row["h"]
                    let at = Date(timeIntervalSince1970: TimeInterval(hour * 3600))
                    let local = (Int(hour * 3600 % 86_400) + zone.secondsFromGMT(for: at)) / 3600
                    due[((local % 24) + 24) % 24] += row["n"] as Int
                }
            }
            return BatchActivity(byStatus: byStatus, byOutcome: byOutcome, attemptsPerHour: attempts, dueByLocalHour: due)
        }
    }
}
