import DropdialTestKit
import DropdialImport
import DropdialConfig
import DropdialReaders
@testable import DropdialStore
import Foundation
import GRDB
import Testing

/// The two-thread import (read + validate | insert, dedupe by the unique index) must produce the
/// same report as the one-thread pipeline with its in-memory dedupe set, and the calls it would insert.
@Suite struct ConcurrentImportTests {
    /// 6,000 rows (several 2,048-call batches): duplicates near and far (also across batches),
    /// invalid rows, a blank row.
    static func rows() -> [[String]] {
        var rows = [["phone", "name", "timezone"]]
        for i in 0..<6000 {
            let n: String
            switch i % 10 {
            case 3: n = String(format: "(415) 555-%04d", i % 97)        // repeats every 97 numbers
            case 7: n = "not a phone"
            case 8: n = String(format: "+1 212-555-%04d", (i * 7919) % 5000)
            default: n = String(format: "617%03d%04d", 200 + i / 1000, i)
            }
            rows.append(i == 4321 ? [] : [n, "name \(i)", i % 50 == 0 ? "PST" : ""])
        }
        return rows
    }

    func tempStore() throws -> Store {
        try Scratch.store("dd-conc")
    }

    func draft() -> BatchDraft {
        BatchDraft(name: "b", inbox: "inbox", settings: BatchSettings(), sourceFile: "t.csv", sha256: "abc", size: 1,
                   format: "csv", createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test func sameReportAsOneThreadAndSameCalls() throws {
        let (expected, expectedCalls) = try validate(Self.rows())
        #expect(expected.counts.duplicates > 100)
        let store = try tempStore()
        var report = ImportReport(file: "t.csv", sha256: "", inbox: "inbox", policy: "skip",
                                  startedAt: .init(timeIntervalSince1970: 0))
        let invalidSeen = Rows()
        let hooks = ImportHooks(onInvalidRow: { _, _, issues in invalidSeen.append(issues[0].row) })
        let id = try store.importBatch(draft()) { inserter in
            try ConcurrentImport.run(RowPipeline(settings: BatchSettings(), hooks: hooks), ArrayRowSource(Self.rows()),
                                     report: &report, insert: inserter.insert)
            return .commit(report.counts, report: nil)
        }
        #expect(id != nil)
        #expect(report.counts == expected.counts)
        #expect(report.errors == expected.errors)
        #expect(report.duplicateRows == expected.duplicateRows)
        #expect(report.status == expected.status)
        #expect(invalidSeen.all == expected.errors.map(\.row).reduce(into: []) { if $0.last != $1 { $0.append($1) } })
        let stored = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT rowNumber, phoneNumber, variables FROM call ORDER BY id")
                .map { "\($0["rowNumber"] as Int) \($0["phoneNumber"] as String) \($0["variables"] as String)" }
        }
        #expect(stored == expectedCalls.map { "\($0.rowNumber) \($0.phoneNumber) \($0.variablesJSON)" })
    }

    @Test func cancellationRollsBack() throws {
        let store = try tempStore()
        var report = ImportReport(file: "t.csv", sha256: "", inbox: "inbox", policy: "skip",
                                  startedAt: .init(timeIntervalSince1970: 0))
        let polls = Counter()
        let hooks = ImportHooks(isCancelled: { polls.increment() >= 3 })
        #expect(throws: ImportCancelled.self) {
            _ = try store.importBatch(draft()) { inserter in
                try ConcurrentImport.run(RowPipeline(settings: BatchSettings(), hooks: hooks), ArrayRowSource(Self.rows()),
                                         report: &report, insert: inserter.insert)
                return .commit(report.counts, report: nil)
            }
        }
        #expect(try store.batches().isEmpty)
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM call") } == 0)
    }

    @Test func anInsertErrorStopsTheReader() throws {
        struct Boom: Error {}
        var report = ImportReport(file: "t.csv", sha256: "", inbox: "inbox", policy: "skip",
                                  startedAt: .init(timeIntervalSince1970: 0))
        var inserted = 0
        #expect(throws: Boom.self) {
            try ConcurrentImport.run(RowPipeline(settings: BatchSettings()), ArrayRowSource(Self.rows()), report: &report) { batch in
                inserted += batch.count
                if inserted >= 3000 { throw Boom() }
                return []
            }
        }
    }

    final class Rows: @unchecked Sendable {
        private let lock = NSLock()
        private var rows: [Int] = []
        func append(_ row: Int) { lock.withLock { rows.append(row) } }
        var all: [Int] { lock.withLock { rows } }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() -> Int { lock.withLock { n += 1; return n } }
    }
}
