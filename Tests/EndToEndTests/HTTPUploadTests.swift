import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §8's uploads through a real HTTP client against a real `dropdial run`: seed 000's
/// `upload-csv` and seed 003's `batch-calls`, streamed into the inbox's work folder and then
/// taken through the drop pipeline; every bad body a 4xx that leaves nothing behind.
@Suite(.serialized) struct HTTPUploadTests {
    struct World {
        let d: DaemonProcess
        let base: String
        let admin: String

        var upload: String { base + "/api/call/upload-csv" }

        /// The work folder's entries (staged uploads are dot names there).
        func work() -> [String] { d.listing(".dropdial-work") }

        func key(_ name: String, _ args: [String]) throws -> String {
            let made = try d.bin.run(["keys", "create", name] + args)
            #expect(made.status == 0, "\(made.stderr)")
            return made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    func world(_ engine: EngineKind = .sqlite, http: String = #"listen = "127.0.0.1:0""#) throws -> World? {
        guard let top = engine.topConfig("upload") else { return nil }
        let d = try DaemonProcess(extraConfig: """
            [[inbox]]
            name = "other"
            path = "other"
            create = true
            """, topConfig: top, http: http)
        try d.start()
        let base = try #require(d.httpBase(), "\(d.logText())")
        let admin = try #require(d.adminKey(), "\(d.logText())")
        return World(d: d, base: base, admin: admin)
    }

    func form(_ fileName: String?, _ contents: String, _ fields: [(String, String)] = []) -> Multipart {
        var m = Multipart()
        for (name, value) in fields { m.field(name, value) }
        if let fileName { m.file(fileName, Data(contents.utf8)) }
        m.close()
        return m
    }

    @Test(arguments: EngineKind.allCases) func anUploadGoesThroughTheDropPipelineWithItsFieldsAsTheManifest(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let answer = try form("contacts.csv", contactsCSV(rows: 4), [
            ("batchName", "May campaign"), ("agentId", "agent_42"), ("callingNumbers", #"["+14155550100"]"#),
            ("callingHour", #"{"start":"10:00","end":"16:00"}"#), ("allowedDays", "[1,2,3]"), ("retry", "2"), ("delay", "90"),
            ("timezone", "America/Chicago"), ("type", "true"),
        ]).post(w.upload, key: w.admin)
        #expect(answer.status == 201, "\(answer.text)")
        #expect(answer.json["status"] as? Bool == true && answer.json["code"] as? Int == 201)
        let data = try #require(answer.json["data"] as? [String: Any], "\(answer.text)")
        let batchId = try #require(data["batchId"] as? Int)
        #expect(data["batchName"] as? String == "May campaign")
        #expect(data["callingNumbers"] as? [String] == ["+14155550100"])
        #expect((data["counts"] as? [String: Any])?["imported"] as? Int == 4)
        let report = try #require(data["report"] as? [String: Any])
        #expect(report["status"] as? String == "imported" && report["batchId"] as? Int == batchId)
        // The same report and the fields' manifest are archived beside the file, as for a drop.
        #expect(w.d.listing("processed") == ["contacts.batch.json", "contacts.csv", "contacts.csv.report.json"])
        #expect(try w.d.report("processed/contacts.csv.report.json")["sha256"] as? String == report["sha256"] as? String)
        #expect(w.work().isEmpty, "\(w.work())")
        // The batch runs with the fields.
        let details = try HTTPCall.send("GET", w.base + "/api/call/batch-details/\(batchId)", key: w.admin)
        let settings = try #require(details.json["settings"] as? [String: Any], "\(details.text)")
        #expect(settings["agentId"] as? String == "agent_42" && settings["timezone"] as? String == "America/Chicago")
        #expect(settings["allowedDays"] as? [Int] == [1, 2, 3])
        #expect((settings["callingWindow"] as? [String: Any])?["start"] as? String == "10:00")
        #expect((settings["retry"] as? [String: Any])?["count"] as? Int == 2)
        #expect((settings["retry"] as? [String: Any])?["intervalMinutes"] as? Int == 90)
    }

    @Test(arguments: EngineKind.allCases) func anUploadAndADropOfTheSameBytesMakeOneBatchAndADuplicate(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let bytes = contactsCSV(rows: 5, base: 300)
        let first = try form("list.csv", bytes).post(w.upload, key: w.admin)
        #expect(first.status == 201, "\(first.text)")
        let batchId = try #require((first.json["data"] as? [String: Any])?["batchId"] as? Int)
        try w.d.dropByRename("list-again.csv", bytes)
        #expect(w.d.waitFor(seconds: 30) { w.d.exists("processed/list-again.csv.report.json") }, "\(w.d.logText())")
        let dropped = try w.d.report("processed/list-again.csv.report.json")
        #expect(dropped["status"] as? String == "duplicate" && dropped["duplicateOf"] as? Int == batchId)
        let again = try form("list.csv", bytes).post(w.upload, key: w.admin)
        #expect(again.status == 200, "\(again.text)")
        #expect((again.json["data"] as? [String: Any])?["batchId"] as? Int == batchId)
        #expect(((again.json["data"] as? [String: Any])?["report"] as? [String: Any])?["status"] as? String == "duplicate")
        let batches = try HTTPCall.send("GET", w.base + "/api/call/batches", key: w.admin).jsonArray
        #expect(batches.count == 1, "\(batches)")
        // The upload made the same calls a drop would have: the drop added none.
        #expect(w.d.callCounts().values.reduce(0, +) == 5, "\(w.d.callCounts())")
    }

    @Test(arguments: EngineKind.allCases) func seed003BatchCallsQueuesABatchForAnAgent(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let answer = try form("batch-calls.csv", contactsCSV(rows: 3, base: 700), [
            ("agentId", "agent_123456"), ("scheduledAt", "2030-01-15T14:30:00Z"),
            ("smartCallbackConfig", #"{"enabled": true, "maxAttempts": 3, "gaps": [{"days": 1, "hours": 0}]}"#),
        ]).post(w.base + "/v1/api/batch-calls", key: w.admin)
        #expect(answer.status == 201, "\(answer.text)")
        #expect(answer.json["status"] as? String == "queued" && answer.json["totalCalls"] as? Int == 3)
        #expect(answer.json["batchId"] is Int && answer.json["message"] is String)
        let noAgent = try form("b.csv", contactsCSV(rows: 1)).post(w.base + "/v1/api/batch-calls", key: w.admin)
        #expect(noAgent.status == 400 && noAgent.json["code"] as? String == "missing_field" && noAgent.text.contains("agentId"))
        let extra = try form("b.csv", contactsCSV(rows: 1), [("agentId", "a"), ("batchName", "x")])
            .post(w.base + "/v1/api/batch-calls", key: w.admin)
        #expect(extra.status == 400 && extra.json["code"] as? String == "invalid_field" && extra.text.contains("batchName"))
    }

    @Test(arguments: EngineKind.allCases) func badBodiesGetAClearFourHundredAndLeaveNothingBehind(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let csv = contactsCSV(rows: 2, base: 900)
        var twoFiles = Multipart()
        twoFiles.file("a.csv", Data(csv.utf8))
        twoFiles.file("b.csv", Data(csv.utf8))
        twoFiles.close()
        var truncated = Multipart()
        truncated.file("t.csv", Data(csv.utf8))
        var fieldAfterFile = Multipart()
        fieldAfterFile.file("late.csv", Data(csv.utf8))
        fieldAfterFile.field("inbox", "other")
        fieldAfterFile.close()
        let cases: [(String, Multipart, Int, String, String)] = [
            ("no file", form(nil, "", [("batchName", "x")]), 400, "missing_file", "file"),
            ("two files", twoFiles, 400, "duplicate_file", "file"),
            ("truncated", truncated, 400, "truncated_body", "closing boundary"),
            ("unknown field", form("a.csv", csv, [("colour", "red")]), 400, "invalid_field", "colour"),
            ("JSON field not JSON", form("a.csv", csv, [("callingHour", "9 to 5")]), 400, "invalid_field", "callingHour"),
            ("a window of its own", form("a.csv", csv, [("callingHour", #"{"start":"25:00","end":"17:00"}"#)]), 400,
             "invalid_field", "callingHour.start"),
            ("type not a boolean", form("a.csv", csv, [("type", "maybe")]), 400, "invalid_field", "type"),
            ("retry not a number", form("a.csv", csv, [("retry", "three")]), 400, "invalid_field", "retry"),
            ("scheduledAt", form("a.csv", csv, [("scheduledAt", "tomorrow")]), 400, "invalid_field", "scheduledAt"),
            ("unsupported type", form("a.pdf", csv), 400, "unsupported_type", "a.pdf"),
            ("no such inbox", form("a.csv", csv, [("inbox", "nope")]), 404, "not_found", "nope"),
            ("inbox after the file", fieldAfterFile, 400, "invalid_field", "inbox"),
        ]
        for (what, body, status, code, mention) in cases {
            let answer = try body.post(w.upload, key: w.admin)
            #expect(answer.status == status && answer.json["code"] as? String == code && answer.text.contains(mention),
                    "\(what): \(answer.status) \(answer.text)")
        }
        let wrongType = try HTTPCall.send("POST", w.upload, key: w.admin, headers: ["Content-Type": "application/json"],
                                          body: Data(#"{"file": "a.csv"}"#.utf8))
        #expect(wrongType.status == 415 && wrongType.json["code"] as? String == "unsupported_media_type", "\(wrongType.text)")
        let garbage = try HTTPCall.send("POST", w.upload, key: w.admin,
                                        headers: ["Content-Type": "multipart/form-data; boundary=xyz"],
                                        body: Data("--xyz\r\nno colon here\r\n\r\n".utf8))
        #expect(garbage.status == 400, "\(garbage.text)")
        #expect(w.work().isEmpty, "staged files left: \(w.work())")
        #expect(w.d.listing("processed").isEmpty && w.d.listing("failed").isEmpty)
        #expect(try HTTPCall.send("GET", w.base + "/api/call/batches", key: w.admin).jsonArray.isEmpty)
        #expect(try HTTPCall.send("GET", w.base + "/healthz").status == 200)
    }

    @Test(arguments: EngineKind.allCases) func rolesScopesAndARejectedFile(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let viewer = try w.key("viewer", ["--role", "viewer"])
        let scoped = try w.key("scoped", ["--role", "operator", "--inbox", "other"])
        let csv = contactsCSV(rows: 2, base: 1200)
        #expect(try form("a.csv", csv).post(w.upload, key: nil).status == 401)
        #expect(try form("a.csv", csv).post(w.upload, key: viewer).status == 403)
        let outside = try form("a.csv", csv, [("inbox", "inbox")]).post(w.upload, key: scoped)
        #expect(outside.status == 404, "\(outside.text)")
        // A scoped key's upload goes to its own inbox by default.
        let own = try form("a.csv", csv).post(w.upload, key: scoped)
        #expect(own.status == 201, "\(own.text)")
        #expect(FileManager.default.fileExists(atPath: w.d.bin.file("other/processed/a.csv.report.json")))
        // type=false rejects the whole file at its first invalid row: 422 with the report.
        let rejected = try form("bad.csv", csv + "not a number,Bad\n", [("type", "false")]).post(w.upload, key: w.admin)
        #expect(rejected.status == 422 && rejected.json["error"] is String && rejected.json["code"] is String, "\(rejected.text)")
        #expect((rejected.json["report"] as? [String: Any])?["status"] as? String == "rejected", "\(rejected.text)")
        #expect(w.d.exists("failed/bad.csv.report.json"))
    }

    @Test func theClientsFileNameIsNeverAPath() throws {
        let w = try #require(try world())
        defer { w.d.stop() }
        let names = ["../../escape.csv", "/etc/cron.d/x.csv", "dir\\win.csv", "line\nbreak.csv", "nul\u{0}byte.csv",
                     "..", ".hidden.csv", String(repeating: "é", count: 500) + ".csv"]
        for (i, name) in names.enumerated() {
            let answer = try form(name, contactsCSV(rows: 1, base: 2000 + i)).post(w.upload, key: w.admin)
            #expect([201, 400].contains(answer.status), "\(name.debugDescription): \(answer.status) \(answer.text)")
        }
        let processed = w.d.listing("processed")
        #expect(processed.allSatisfy { !$0.contains("/") && !$0.contains("\n") && !$0.contains("\u{0}") && !$0.hasPrefix(".") },
                "\(processed)")
        #expect(processed.allSatisfy { $0.utf8.count <= 255 }, "\(processed.map(\.utf8.count))")
        #expect(processed.contains("escape.csv") && processed.contains("x.csv") && processed.contains("win.csv"), "\(processed)")
        #expect(!FileManager.default.fileExists(atPath: w.d.bin.file("escape.csv")))
        #expect(!FileManager.default.fileExists(atPath: w.d.bin.dir.deletingLastPathComponent().appendingPathComponent("escape.csv").path))
        // A report keeps the name as received when it had to change.
        let shortened = try #require(processed.first { $0.hasSuffix("….csv.report.json") }, "\(processed)")
        #expect((try w.d.report("processed/" + shortened)["receivedAs"] as? String)?.hasPrefix("éé") == true)
    }

    /// `Expect: 100-continue` (curl sends it for every upload over 1 MB) is answered at once, so
    /// the body follows without the client's one-second wait; a body announced over the limit
    /// gets no `100`, only the 413.
    @Test func aClientThatAsksFirstIsToldToContinue() throws {
        let w = try #require(try world(http: """
            listen = "127.0.0.1:0"
            max_upload_mb = 1
            """))
        defer { w.d.stop() }
        let m = form("asks.csv", contactsCSV(rows: 3, base: 7000))
        func head(_ length: Int) -> Data {
            Data("POST /api/call/upload-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(w.admin)\r\nContent-Type: \(m.contentType)\r\nContent-Length: \(length)\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n".utf8)
        }
        let raw = try RawConnection(base: w.base)
        raw.send(head(m.body.count))
        let interim = String(decoding: raw.readAll(seconds: 2), as: UTF8.self)
        #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n", "\(interim)")
        raw.send(m.body)
        let final = String(decoding: raw.readAll(seconds: 30), as: UTF8.self)
        #expect(final.hasPrefix("HTTP/1.1 201"), "\(final.prefix(300))")

        let over = try RawConnection(base: w.base)
        over.send(head(2 << 20))
        let refused = String(decoding: over.readAll(seconds: 3), as: UTF8.self)
        #expect(refused.hasPrefix("HTTP/1.1 413") && !refused.contains("100 Continue"), "\(refused.prefix(300))")
    }

    @Test func aBodyOverTheLimitIsRefusedWithoutWritingMoreThanTheLimit() throws {
        let w = try #require(try world(http: """
            listen = "127.0.0.1:0"
            max_upload_mb = 1
            """))
        defer { w.d.stop() }
        var big = Multipart()
        big.file("big.csv", Data(contactsCSV(rows: 150_000).utf8))
        big.close()
        #expect(big.body.count > 2 << 20)
        let answer = try big.post(w.upload, key: w.admin)
        #expect(answer.status == 413 && answer.json["code"] as? String == "file_too_large", "\(answer.status) \(answer.text)")
        // Sent without a Content-Length (chunked), the body is cut at the limit as it streams.
        let raw = try RawConnection(base: w.base)
        raw.send(Data("POST /api/call/upload-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(w.admin)\r\nContent-Type: \(big.contentType)\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        var offset = 0
        var peakStaged = 0
        while offset < big.body.count {
            let chunk = big.body[offset..<min(offset + 256 * 1024, big.body.count)]
            guard raw.send(Data(String(chunk.count, radix: 16).utf8) + Data("\r\n".utf8) + chunk + Data("\r\n".utf8)) else { break }
            offset += chunk.count
            peakStaged = max(peakStaged, stagedBytes(w))
        }
        raw.send(Data("0\r\n\r\n".utf8))
        let reply = String(decoding: raw.readAll(seconds: 10), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply.prefix(300))")
        #expect(peakStaged <= 1 << 20, "staged \(peakStaged) bytes")
        #expect(w.d.waitFor(seconds: 5) { w.work().isEmpty }, "\(w.work())")
        #expect(try form("small.csv", contactsCSV(rows: 2)).post(w.upload, key: w.admin).status == 201)
    }

    func stagedBytes(_ w: World) -> Int {
        w.work().filter { $0.hasPrefix(".upload-") }.reduce(0) { sum, name in
            sum + ((try? FileManager.default.attributesOfItem(atPath: w.d.path(".dropdial-work/" + name))[.size] as? Int) ?? 0)
        }
    }

    /// 200 contacts, each with a 1 MB `notes` cell: a 200 MB CSV that a debug build imports in
    /// seconds (a million short rows would take minutes there).
    static let twoHundredMB: Data = {
        var csv = Data("phone_number,notes\n".utf8)
        let notes = Data(repeating: UInt8(ascii: "n"), count: 1_000_000)
        for i in 0..<200 {
            csv += Data(String(format: "+1415555%04d,", i).utf8) + notes + Data("\n".utf8)
        }
        return csv
    }()

    @Test func killedDuringAnUploadLeavesNoBatchAndNoFileAndTheUploadThenSucceeds() throws {
        let w = try #require(try world())
        defer { w.d.stop() }
        var m = Multipart()
        m.field("batchName", "killed")
        m.file("killed.csv", Self.twoHundredMB)
        m.close()
        #expect(m.body.count > 200_000_000)
        let raw = try RawConnection(base: w.base)
        raw.send(Data("POST /api/call/upload-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(w.admin)\r\nContent-Type: \(m.contentType)\r\nContent-Length: \(m.body.count)\r\n\r\n".utf8))
        raw.send(m.body.prefix(m.body.count / 2))
        #expect(w.d.waitFor(seconds: 60) { stagedBytes(w) > 90_000_000 }, "the upload is streamed into the work folder: \(w.work())")
        w.d.kill9()
        try w.d.start()
        let base = try #require(w.d.httpBase())
        #expect(w.d.waitFor(seconds: 10) { w.work().isEmpty }, "\(w.work())")
        #expect(w.d.listing("processed").isEmpty && w.d.listing("failed").isEmpty && w.d.listing(".").allSatisfy { !$0.hasSuffix(".csv") })
        #expect(try HTTPCall.send("GET", base + "/api/call/batches", key: w.admin).jsonArray.isEmpty)
        let again = try m.post(base + "/api/call/upload-csv", key: w.admin)
        #expect(again.status == 201, "\(again.text.prefix(500))")
        let counts = (again.json["data"] as? [String: Any])?["counts"] as? [String: Any]
        #expect(counts?["rows"] as? Int == 200 && counts?["imported"] as? Int == 200, "\(counts ?? [:])")
        #expect(w.d.exists("processed/killed.csv"))
    }

    @Test(arguments: EngineKind.allCases) func theFilesTheirReportsAndTheRowsToFix(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let scoped = try w.key("scoped", ["--role", "viewer", "--inbox", "other"])
        func get(_ path: String, _ key: String?) throws -> HTTPCall { try HTTPCall.send("GET", w.base + path, key: key) }
        #expect(try form("good.csv", contactsCSV(rows: 3, base: 4000)).post(w.upload, key: w.admin).status == 201)
        let mixed = contactsCSV(rows: 2, base: 4100) + "12,Too short\n"
        #expect(try form("mixed.csv", mixed).post(w.upload, key: w.admin).status == 201)
        let bad = contactsCSV(rows: 2, base: 4200) + "12,Too short\n"
        #expect(try form("bad.csv", bad, [("type", "false")]).post(w.upload, key: w.admin).status == 422)
        try w.d.dropByRename("dropped.csv", contactsCSV(rows: 3, base: 4000))
        #expect(w.d.waitFor(seconds: 30) { w.d.exists("processed/dropped.csv.report.json") })

        let list = try get("/api/files", w.admin)
        #expect(list.status == 200 && list.json["total"] as? Int == 4, "\(list.text)")
        let files = try #require(list.json["files"] as? [[String: Any]])
        #expect(files.map { $0["name"] as? String } == ["dropped.csv", "bad.csv", "mixed.csv", "good.csv"])
        #expect(files.map { $0["status"] as? String } == ["duplicate", "rejected", "imported", "imported"])
        #expect(files.map { $0["archivedAs"] as? String } == ["processed/dropped.csv", "failed/bad.csv", "processed/mixed.csv",
                                                               "processed/good.csv"])
        #expect((files[2]["counts"] as? [String: Any])?["invalid"] as? Int == 1 && files[2]["batchId"] is Int)
        #expect(try get("/api/files?status=rejected", w.admin).json["total"] as? Int == 1)
        #expect(try get("/api/files?limit=1&page=2", w.admin).json["files"].map { ($0 as? [Any])?.count } == 1)
        #expect(try get("/api/files?inbox=other", w.admin).json["total"] as? Int == 0)

        // A file's report is the report archived beside it, byte for byte.
        let mixedId = try #require(files[2]["id"] as? Int)
        let report = try get("/api/files/\(mixedId)", w.admin)
        let archivedReport = try Data(contentsOf: URL(fileURLWithPath: w.d.path("processed/mixed.csv.report.json")))
        #expect(report.status == 200 && report.body == archivedReport)
        let errors = try get("/api/files/\(mixedId)/errors.csv", w.admin)
        #expect(errors.status == 200 && errors.headers["content-type"]?.hasPrefix("text/csv") == true, "\(errors.text)")
        #expect(errors.headers["content-disposition"]?.contains("mixed.csv.errors.csv") == true)
        let archivedErrors = try Data(contentsOf: URL(fileURLWithPath: w.d.path("processed/mixed.csv.errors.csv")))
        #expect(errors.body == archivedErrors)
        let goodId = try #require(files[3]["id"] as? Int)
        let none = try get("/api/files/\(goodId)/errors.csv", w.admin)
        #expect(none.status == 404 && none.json["code"] as? String == "no_errors", "\(none.text)")

        // Scopes, and bad parameters.
        #expect(try get("/api/files", scoped).json["total"] as? Int == 0)
        #expect(try get("/api/files/\(mixedId)", scoped).status == 404)
        #expect(try get("/api/files/\(mixedId)/errors.csv", scoped).status == 404)
        #expect(try get("/api/files?inbox=inbox", scoped).status == 404)
        for (path, code) in [("/api/files?status=done", "invalid_status"), ("/api/files?page=0", "invalid_page"),
                             ("/api/files?limit=100000", "invalid_limit"), ("/api/files?colour=red", "unknown_parameter"),
                             ("/api/files/abc", "invalid_file_id"), ("/api/files/999", "not_found")] {
            let answer = try get(path, w.admin)
            #expect(answer.status >= 400 && answer.status < 500 && answer.json["code"] as? String == code, "\(path): \(answer.text)")
        }
        #expect(try get("/api/files", nil).status == 401)
    }
}
