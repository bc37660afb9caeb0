import DropdialTestKit
import DropdialImport
import DropdialConfig
import DropdialStore
import Foundation
import GRDB
import Testing

@Suite struct StoreTests {
    func tempStore() throws -> (Store, String) { try Scratch.storeAndPath("store") }

    func draft(_ sha: String = "abc") -> BatchDraft {
        BatchDraft(name: "May", inbox: "inbox", settings: BatchSettings(), sourceFile: "may.csv", sha256: sha,
                   size: 10, format: "csv", createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func call(_ n: Int) -> CallDraft {
        CallDraft(rowNumber: n, phoneNumber: "+1415555\(String(format: "%04d", n))", variablesJSON: #"{"n":"\#(n)"}"#,
                  timezone: nil, zones: "America/New_York")
    }

    @Test func commitCreatesBatchCallsAndFileRecord() throws {
        let (store, _) = try tempStore()
        var counts = ImportCounts()
        counts.rows = 3
        counts.imported = 2
        counts.invalid = 1
        let id = try store.importBatch(draft()) { ins in
            try ins.insert(call(1))
            try ins.insert(call(2))
            return .commit(counts, report: nil)
        }
        let batchId = try #require(id)
        let list = try store.batches()
        #expect(list.count == 1)
        #expect(list[0].id == batchId)
        #expect(list[0].status == "scheduled")
        #expect(list[0].counts.imported == 2 && list[0].counts.invalid == 1 && list[0].counts.rows == 3)
        #expect(list[0].calls == ["pending": 2])
        #expect(try store.batchImported(inbox: "inbox", sha256: "abc") == batchId)
        #expect(try store.batchImported(inbox: "other", sha256: "abc") == nil)
    }

    @Test func rollbackLeavesNothing() throws {
        let (store, path) = try tempStore()
        let id = try store.importBatch(draft()) { ins in
            try ins.insert(call(1))
            return .rollback
        }
        #expect(id == nil)
        #expect(try store.batches().isEmpty)
        let calls = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM call") }
        #expect(calls == 0)
    }

    @Test func aThrowingBodyLeavesNothing() throws {
        struct Boom: Error {}
        let (store, path) = try tempStore()
        #expect(throws: Boom.self) {
            _ = try store.importBatch(draft()) { ins in
                for n in 1...500 { try ins.insert(call(n)) }
                throw Boom()
            }
        }
        let calls = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM call") }
        #expect(calls == 0)
        #expect(try store.batchImported(inbox: "inbox", sha256: "abc") == nil)
    }

    @Test func settingsAreStoredAsJSON() throws {
        let (store, path) = try tempStore()
        var d = draft()
        d.settings.timezone = "Europe/Paris"
        d.settings.holidays = ["2026-12-25"]
        _ = try store.importBatch(d) { _ in .commit(ImportCounts(), report: nil) }
        let json = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT settings FROM batch") }
        let object = try JSONSerialization.jsonObject(with: Data(try #require(json).utf8)) as? [String: Any]
        #expect(object?["timezone"] as? String == "Europe/Paris")
        #expect(object?["holidays"] as? [String] == ["2026-12-25"])
    }

    @Test func committedClaimIsFoundAfterARestart() throws {
        let (store, path) = try tempStore()
        var d = draft()
        d.claimKey = "0000000000000001-may.csv"
        let id = try store.importBatch(d) { _ in .commit(ImportCounts(), report: #"{"status":"imported"}"#) }
        let reopened = try Store(path: path)
        let found = try #require(try reopened.committedClaim("0000000000000001-may.csv"))
        #expect(found.batchId == id)
        #expect(found.report == #"{"status":"imported"}"#)
        #expect(try reopened.committedClaim("0000000000000002-may.csv") == nil)
    }

    @Test func aClaimedFileKeepsOneRowThroughItsStates() throws {
        let (store, _) = try tempStore()
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordFile(inbox: "inbox", fileName: "a.csv", sha256: "", size: 5, format: nil, state: "claimed",
                             batchId: nil, claimKey: "k1", at: at)
        var d = draft()
        d.claimKey = "k1"
        let id = try store.importBatch(d) { _ in .commit(ImportCounts(), report: nil) }
        try store.recordFile(inbox: "inbox", fileName: "b.csv", sha256: "", size: 5, format: nil, state: "claimed",
                             batchId: nil, claimKey: "k2", at: at)
        try store.recordFile(inbox: "inbox", fileName: "b.csv", sha256: "x", size: 5, format: "csv", state: "rejected",
                             batchId: nil, claimKey: "k2", at: at)
        let states = try store.fileStates(inbox: "inbox")
        #expect(states.map(\.state) == ["rejected", "imported"])
        #expect(states.last?.batchId == id)
    }

    @Test func databaseIsWAL() throws {
        let (store, _) = try tempStore()
        let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}

/// Variables are read back one way for the dialer and the batch details alike.
@Suite struct CallVariablesTests {
    @Test func everyValueIsKeptAsText() {
        let v = CallVariables.decode(#"{"name":"Ada","amount":10.5,"count":3,"vip":true,"note":null,"tags":["a","b"]}"#)
        #expect(v == ["name": "Ada", "amount": "10.5", "count": "3", "vip": "true", "note": "", "tags": #"["a","b"]"#])
        #expect(CallVariables.decode("not json").isEmpty)
    }

    /// The hand-read path for all-string objects agrees with JSONSerialization on objects as the
    /// import writes them and as people write them by hand (spaces, escapes, non-ASCII, empty).
    @Test func theFastPathAgreesWithJSONSerialization() throws {
        var rng = SplitMix64(seed: 5)
        let pieces = ["a", "Zoë", "😀", " ", "\"", "\\", "/", "\n", "é", "1", ",", ":", "{", "}"]
        for _ in 0..<500 {
            var object: [String: String] = [:]
            for _ in 0..<Int(rng.next() % 6) {
                let key = (0..<Int(1 + rng.next() % 4)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
                object[key] = (0..<Int(rng.next() % 5)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            }
            var text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            if rng.next() % 2 == 0 { text = text.replacingOccurrences(of: "\":\"", with: "\" : \"") }
            let reference = (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]) ?? [:]
            #expect(CallVariables.decode(text) == reference, "\(text)")
        }
        #expect(CallVariables.decode(" { } ") == [:] && CallVariables.decode(#"{"a":"1","a":"2"}"#).count == 1)
        #expect(CallVariables.decode(#"{"a":"1"} x"#).isEmpty, "trailing text is not an object")
    }
}

/// Keys are kept as the lowercase hex SHA-256 of the secret (FIPS 180-2's test vector), so keys
/// stored by any version still match.
@Suite struct APIKeyDigestTests {
    @Test func theDigestIsLowercaseHexSHA256() {
        #expect(APIKeySecret.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APIKeySecret.hash("").hasPrefix("e3b0c44298fc1c149afbf4c8996fb924"))
    }
}
