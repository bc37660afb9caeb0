import DropdialConfig
import DropdialTestKit
@testable import DropdialStore
import Foundation
import GRDB
import Testing

/// The batch page's counts and charts (`Store.batchActivity`), checked against plain GROUP BY
/// counts and against local hours worked out with Foundation's calendar.
@Suite struct BatchActivityTests {
    /// Counts by status the slow, obvious way.
    static func grouped(_ store: Store, _ batch: Int64) throws -> [String: Int] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM call WHERE batchId = ? GROUP BY status",
                                                              arguments: [batch]).map { ($0["status"] as String, $0["n"] as Int) })
        }
    }

    /// The local hour of each pending call's next attempt, by Calendar in the call's first zone.
    static func dueHours(_ store: Store, _ batch: Int64) throws -> [Int] {
        var hours = Array(repeating: 0, count: 24)
        for row in try store.pool.read({ db in
            try Row.fetchAll(db, sql: "SELECT zones, nextAttemptAt FROM call WHERE batchId = ? AND status = 'pending'", arguments: [batch])
        }) {
            let zone = TimeZone(identifier: String((row["zones"] as String).split(separator: ",")[0]))!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let at = Date(timeIntervalSince1970: TimeInterval(row["nextAttemptAt"] as Int64))
            hours[calendar.component(.hour, from: at)] += 1
        }
        return hours
    }

    @Test func countsOutcomesAttemptsAndTheDueChartOfASmallBatch() throws {
        let store = try Scratch.store("activity")
        let zones = ["America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Europe/Paris,Europe/Berlin"]
        let batch = try importBatch(store, (0..<40).map { Contact(phone: "+1415555\(String(format: "%04d", $0))", zones: zones[$0 % 4]) })
        let t = Date(timeIntervalSince1970: 1_800_000_100)
        let due = try store.dueCalls(now: .max, limit: 3)
        for (i, call) in due.enumerated() {
            #expect(try store.beginAttempt(call: call, attempt: 1, key: "k\(i)", callingNumber: nil, at: t) == .began)
            try store.finishAttempt(callId: call.id, attempt: 1, outcome: i == 0 ? .completed : .busy, durationSec: 1, endedAt: t,
                                    next: i == 0 ? nil : 1_800_003_700)
        }
        let a = try store.batchActivity(batch, now: t.addingTimeInterval(3600))
        #expect(a.byStatus == (try Self.grouped(store, batch)))
        #expect(a.byStatus == ["pending": 39, "done": 1])
        #expect(a.byOutcome == ["completed": 1])
        #expect(a.finalCalls == 1 && a.allCalls == 40)
        #expect(a.attemptsPerHour.count == 24)
        #expect(a.attemptsPerHour.suffix(2).map(\.count) == [3, 0], "three attempts in the hour of t, none in the hour after")
        #expect(a.attemptsPerHour.last?.hour == Date(timeIntervalSince1970: TimeInterval((1_800_003_700 / 3600) * 3600)))
        #expect(a.dueSampled == nil)
        #expect(a.dueByLocalHour == (try Self.dueHours(store, batch)))
        #expect(a.dueByLocalHour.reduce(0, +) == 39)
    }

    @Test func statusCountsStayExactWhenTheSampleGuessesWrong() throws {
        let store = try Scratch.store("activity-guess")
        let batch = try importBatch(store, phones: (0..<3000).map { "+1415556\(String(format: "%04d", $0))" })
        // Every call the sample probes (evenly spaced ids) is cancelled; most of the batch is done.
        try store.pool.write { db in
            try db.execute(sql: "UPDATE call SET status = 'done', lastOutcome = 'completed' WHERE batchId = ? AND id % 7 != 0", arguments: [batch])
            try db.execute(sql: "UPDATE call SET status = 'cancelled' WHERE batchId = ? AND (id - 1) % 11 = 0", arguments: [batch])
        }
        let a = try store.batchActivity(batch, now: Date())
        #expect(a.byStatus == (try Self.grouped(store, batch)))
        #expect(a.allCalls == 3000)
    }

    @Test func aLargeBatchsDueChartIsScaledFromASample() throws {
        let store = try Scratch.store("activity-sample")
        let n = BatchActivity.exactDueLimit + 5_000
        let zones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu"]
        let batch = try importBatch(store, (0..<n).map { Contact(phone: "+1415\(String(format: "%07d", 2_000_000 + $0))", zones: zones[$0 % 5]) })
        let a = try store.batchActivity(batch, now: Date())
        let sampled = try #require(a.dueSampled)
        #expect(abs(sampled - BatchActivity.dueSampleSize) <= 1)
        let exact = try Self.dueHours(store, batch)
        #expect(abs(a.dueByLocalHour.reduce(0, +) - n) <= 24, "scaled to the pending calls, each hour rounded")
        // Five zones in turn, so an even sample gets each hour's share within a few percent.
        for h in 0..<24 where exact[h] > 0 {
            #expect(abs(Double(a.dueByLocalHour[h]) - Double(exact[h])) <= Double(exact[h]) * 0.05, "hour \(h)")
        }
        #expect(zip(a.dueByLocalHour, exact).allSatisfy { ($0 == 0) == ($1 == 0) })
    }
}
