import DropdialTestKit
@testable import DropdialImport
import DropdialConfig
import DropdialStore
import Foundation
import GRDB
import Testing

/// `add-calls` end to end below the command line: a file validated against the batch's rules
/// by the import's pipeline, then written in chunks of 1000.
@Suite struct AddCallsRunTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func batch(_ store: Store, settings: BatchSettings = BatchSettings(), phones: [String] = ["+14155550001"]) throws -> Int64 {
        try importBatch(store, phones: phones, settings: settings, at: t0)
    }

    func write(_ dir: URL, _ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// 2500 contacts as a JSON array: three chunks (1000, 1000, 500); chunk 2 fails inside its
    /// transaction. The response is 207 naming chunk 2 and its rows; chunks 1 and 3 are written.
    @Test func twoThousandFiveHundredRowsInThreeChunksOneFailing() throws {
        let (store, dir) = try scratch()
        let id = try batch(store)
        let objects = (0..<2500).map { String(format: #"{"phoneNumber":"(617) 555-%04d","name":"N%d"}"#, $0, $0) }
        let path = try write(dir, "calls.json", "[" + objects.joined(separator: ",") + "]")
        let response = try AddCallsRun.run(path: path, batch: id, store: store, now: t0) { chunk in
            if chunk == 2 { throw StoreError.database("injected failure in chunk 2") }
        }
        #expect(response.code == 207 && response.status == false)
        #expect(response.data.failedChunks == [.init(chunkNum: 2, error: "database error: injected failure in chunk 2",
                                                     firstRow: 1002, lastRow: 2001)])
        #expect(response.data.totalAdded == 1500 && response.data.ids.count == 1500)
        let json = String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
        #expect(json.contains(#""failedChunks":[{"#) && json.contains(#""chunkNum":2"#))
        let count = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM call WHERE batchId = ?", arguments: [id]) }
        #expect(count == 1 + 1500)
    }

    @Test func fullSuccessIs200WithoutFailedChunks() throws {
        let (store, dir) = try scratch()
        let id = try batch(store)
        let path = try write(dir, "more.csv", "phone,name\n4155550001,Updated\n(415) 555-0002,New\n415-555-0002,Dup\n")
        let response = try AddCallsRun.run(path: path, batch: id, store: store, now: t0)
        #expect(response.code == 200 && response.status)
        #expect((response.data.inserted, response.data.updated, response.data.duplicates) == (1, 1, 1))
        #expect(response.data.totalAdded == 2 && response.data.failedChunks == nil)
        let json = String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
        #expect(!json.contains("failedChunks"))
    }

    /// The batch's own rules: its region, required variables and invalid-row policy.
    @Test func validationFollowsTheBatchRules() throws {
        let (store, dir) = try scratch()
        var settings = BatchSettings()
        settings.requiredVariables = ["name"]
        settings.invalidRows = .reject
        let id = try batch(store, settings: settings)
        let bad = try write(dir, "bad.json", #"[{"phoneNumber":"4155550003","name":"Ok"},{"phoneNumber":"12345","name":"X"},{"phoneNumber":"4155550004","name":""}]"#)
        let rejected = try AddCallsRun.run(path: bad, batch: id, store: store, now: t0)
        #expect(rejected.code == 400 && !rejected.status)
        #expect(rejected.data.errors.map(\.code) == [.phoneInvalid, .requiredMissing])
        #expect(rejected.data.errors.map(\.row) == [3, 4], "rows count objects from 2, as a spreadsheet would")
        #expect(try store.batchDetails(id, try CallQuery()).total == 1, "nothing written")

        let noName = try write(dir, "noname.json", #"[{"phoneNumber":"4155550003"}]"#)
        #expect(try AddCallsRun.run(path: noName, batch: id, store: store, now: t0).code == 400)
        let notArray = try write(dir, "obj.json", #"{"phoneNumber":"4155550003"}"#)
        #expect(try AddCallsRun.run(path: notArray, batch: id, store: store, now: t0).code == 400)
        let empty = try write(dir, "empty.json", "[]")
        #expect(try AddCallsRun.run(path: empty, batch: id, store: store, now: t0).code == 400)
    }

    @Test func listedNumbersAreNotAdded() throws {
        let (store, dir) = try scratch()
        let id = try batch(store)
        try store.addToDNC(["+14155550003"], source: .manual)
        let path = try write(dir, "calls.json", #"[{"phoneNumber":"415 555 0003"},{"phoneNumber":"415 555 0004"}]"#)
        let response = try AddCallsRun.run(path: path, batch: id, store: store, now: t0)
        #expect(response.code == 200 && response.data.suppressed == 1 && response.data.inserted == 1)
        #expect(try store.batchDetails(id, try CallQuery()).calls.map(\.phoneNumber) == ["+14155550001", "+14155550004"])
    }
}

/// Do-not-call at import: listed rows are counted `suppressed`, reported, and not imported.
@Suite struct ImportSuppressionTests {
    @Test func listedRowsAreSuppressed() throws {
        let (store, dir) = try scratch()
        try store.addToDNC(["+14155550002"], source: .manual)
        let file = dir.appendingPathComponent("c.csv")
        try Data("phone,name\n4155550001,A\n(415) 555-0002,B\n4155550003,C\n+1 415 555 0002,B again\nnope,D\n".utf8).write(to: file)
        let report = try Importer(inbox: InboxConfig()).run(path: file.path, store: store)
        #expect(report.status == .imported)
        #expect(report.counts == {
            var c = ImportCounts()
            (c.rows, c.imported, c.invalid, c.duplicates, c.suppressed) = (5, 2, 1, 0, 2)
            return c
        }())
        #expect(report.suppressedRows.map(\.row) == [3, 5])
        let calls = try store.batchDetails(try #require(report.batchId), try CallQuery()).calls.map(\.phoneNumber)
        #expect(calls == ["+14155550001", "+14155550003"])
        let json = String(decoding: try ReportFile.encode(report), as: UTF8.self)
        #expect(json.contains(#""suppressed":2"#) && json.contains(#"{"phoneNumber":"+14155550002","row":3}"#))
        #expect(try ReportFile.decode(Data(json.utf8)).suppressedRows == report.suppressedRows)
    }

    @Test func aFileOfListedNumbersOnlyIsRejected() throws {
        let (store, dir) = try scratch()
        try store.addToDNC(["+14155550002"], source: .manual)
        let file = dir.appendingPathComponent("c.csv")
        try Data("phone\n4155550002\n".utf8).write(to: file)
        let report = try Importer(inbox: InboxConfig()).run(path: file.path, store: store)
        #expect(report.status == .rejected && report.errorCode == "all_suppressed")
        #expect(try store.batches().isEmpty)
    }

    @Test func dncFilesWithOrWithoutAHeader() throws {
        let (store, dir) = try scratch()
        let listed = dir.appendingPathComponent("dnc.csv")
        try Data("Name,Mobile\nA,415 555 0002\nB,bad\n".utf8).write(to: listed)
        let bare = dir.appendingPathComponent("dnc.txt")
        try Data("(415) 555-0007\n\n+1 415 555 0008\n".utf8).write(to: bare)
        #expect(try DNCFile.read(path: listed.path, region: "US") == .init(numbers: ["+14155550002"], invalid: [.init(row: 3, value: "bad")]))
        #expect(try DNCFile.read(path: bare.path, region: "US").numbers == ["+14155550007", "+14155550008"])

        var config = DNCConfig(files: [listed.path])
        #expect(try DNCFile.sync(config, region: "US", store: store) == [.loaded(path: listed.path, numbers: 1, invalid: 1)])
        #expect(try DNCFile.sync(config, region: "US", store: store) == [], "unchanged: not read again")
        try Data("Mobile\n415 555 0009\n".utf8).write(to: listed)
        _ = try DNCFile.sync(config, region: "US", store: store)
        #expect(try store.dncNumbers() == ["+14155550009"], "a changed file replaces what it listed")
        #expect(try store.removeFromDNC(["+14155550009"]) == [.keptByFiles([listed.path])])
        config.files = []
        #expect(try DNCFile.sync(config, region: "US", store: store) == [.dropped(path: listed.path)])
        #expect(try store.dncNumbers().isEmpty)
    }
}

/// A store in a fresh temporary folder, and the folder (for input files).
func scratch() throws -> (Store, URL) {
    let (store, path) = try Scratch.storeAndPath("addrun")
    return (store, URL(fileURLWithPath: path).deletingLastPathComponent())
}
