import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SPEC §8 through a real HTTP client against a real `dropdial run` on a loopback port: keys,
/// roles and inbox scopes, batches, batch details and control, errors as `{error, code}`, health.
@Suite(.serialized) struct HTTPServiceTests {
    /// A daemon with two inboxes, `inbox` (one imported file, batch 1) and `other` (batch 2),
    /// its admin key, and keys of every kind made with `dropdial keys`.
    struct World {
        let d: DaemonProcess
        let base: String
        let keys: [String: String]
    }

    func world(_ engine: EngineKind) throws -> World? {
        guard let top = engine.topConfig("http") else { return nil }
        let d = try DaemonProcess(extraConfig: """
            [[inbox]]
            name = "other"
            path = "other"
            create = true
            settle_seconds = 0.3
            """, topConfig: top)
        try d.start()
        let base = try #require(d.httpBase(), "\(d.logText())")
        let admin = try #require(d.adminKey(), "the first start prints an admin key: \(d.logText())")
        // Batch 1 waits for 2099, so the dialer cannot complete it (and make its pause a 409)
        // however slowly a loaded machine runs the test.
        try Data(#"{"scheduledAt": "2099-01-01T00:00:00Z"}"#.utf8).write(to: URL(fileURLWithPath: d.path("a.batch.json")))
        try d.dropByRename("a.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 30) { d.exists("processed/a.csv.report.json") }, "\(d.logText())")
        try FileManager.default.createDirectory(atPath: d.bin.file("other"), withIntermediateDirectories: true)
        try Data(contactsCSV(rows: 2, base: 50).utf8).write(to: URL(fileURLWithPath: d.bin.file("other/.b.csv.part")))
        try FileManager.default.moveItem(atPath: d.bin.file("other/.b.csv.part"), toPath: d.bin.file("other/b.csv"))
        #expect(d.waitFor(seconds: 30) { FileManager.default.fileExists(atPath: d.bin.file("other/processed/b.csv.report.json")) })
        #expect(!admin.isEmpty)
        let keys = try d.matrixKeys()
        return World(d: d, base: base, keys: keys)
    }

    @Test(arguments: EngineKind.allCases) func theAuthMatrixAndEveryRouteOfThisSlice(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        func call(_ method: String, _ path: String, _ who: String?) throws -> HTTPCall {
            try HTTPCall.send(method, w.base + path, key: who.flatMap { w.keys[$0] })
        }
        // Route × caller → status. 2 is batch 2, in inbox `other`; 1 is in `inbox`.
        let matrix: [(String, String, [String?: Int])] = [
            ("GET", "/api/call/batches", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 200, "operator": 200,
                                          "admin": 200, "scoped": 200]),
            ("GET", "/api/call/batch-details/1", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 200, "operator": 200,
                                                  "admin": 200, "scoped": 404]),
            ("GET", "/api/call/batch-details/2", ["viewer": 200, "scoped": 200]),
            ("POST", "/api/call/batch/1/pause", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 403, "scoped": 404,
                                                 "operator": 200]),
            ("POST", "/api/call/batch/1/pause", ["admin": 409]),
            ("POST", "/api/call/batch/1/resume", ["viewer": 403, "scoped": 404, "admin": 200]),
            ("POST", "/api/call/batch/2/cancel", ["viewer": 403, "operator": 200]),
            ("POST", "/api/call/batch/2/resume", ["scoped": 409]),
            ("GET", "/api/files", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 200, "operator": 200, "admin": 200,
                                   "scoped": 200]),
            ("GET", "/api/files/1", [nil: 401, "viewer": 200, "scoped": 404]),
            ("GET", "/api/files/2", ["scoped": 200]),
            ("GET", "/api/files/1/errors.csv", [nil: 401, "scoped": 404]),
            ("GET", "/api/files/1/errors.xlsx", [nil: 401, "scoped": 404]),
            ("POST", "/api/call/upload-csv", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 403, "operator": 415]),
            ("POST", "/v1/api/batch-calls", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 403, "admin": 415]),
            ("GET", "/api/dnc", [nil: 401, "viewer": 200]),
            ("POST", "/api/dnc", [nil: 401, "viewer": 403, "operator": 403]),
            ("GET", "/metrics", [nil: 401, "unknown": 401, "revoked": 401, "viewer": 200, "scoped": 200]),
            ("GET", "/healthz", [nil: 200]),
            ("GET", "/readyz", [nil: 200]),
            ("GET", "/openapi.json", [nil: 200]),
        ]
        var table = "| route | caller | status |\n|---|---|---|\n"
        for (method, path, expected) in matrix {
            for (who, status) in expected.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
                let answer = try call(method, path, who)
                #expect(answer.status == status, "\(method) \(path) as \(who ?? "no key"): \(answer.status) \(answer.text)")
                table += "| \(method) \(path) | \(who ?? "no key") | \(answer.status) |\n"
                if answer.status >= 400 {
                    #expect(answer.json["error"] is String && answer.json["code"] is String, "\(answer.text)")
                    #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
                }
            }
        }
        print(table)
        // A scoped key sees only its inbox's batches; the answer is `batches --json`'s.
        let scoped = try call("GET", "/api/call/batches", "scoped").jsonArray
        #expect(scoped.map { $0["inbox"] as? String } == ["other"])
        #expect(try call("GET", "/api/call/batches", "viewer").jsonArray.count == 2)
        // Compared on batch 2 (cancelled, so the dialer cannot change its counts between the reads).
        let cli = try #require(try JSONSerialization.jsonObject(with: Data(try w.d.bin.run("batches", "--json").stdout.utf8))
            as? [[String: Any]])
        #expect(NSArray(array: scoped) == NSArray(array: cli.filter { $0["inbox"] as? String == "other" }),
                "the same body as the CLI's --json")
        // Batch details: the CLI's `batch 2 --json` body, with seed 002's query. Batch 2 is
        // cancelled above, so the dialer cannot change it between the two reads (batch 1 it may).
        let details = try call("GET", "/api/call/batch-details/2?limit=1&page=2&sortBy=phoneNumber&sortOrder=desc", "viewer")
        let cliDetails = try JSONSerialization.jsonObject(with: Data(
            try w.d.bin.run("batch", "2", "--limit", "1", "--page", "2", "--sort-by", "phoneNumber", "--sort-order", "desc",
                            "--json").stdout.utf8))
        #expect(NSDictionary(dictionary: details.json) == cliDetails as? NSDictionary, "\(details.text)")
        #expect((details.json["calls"] as? [Any])?.count == 1 && details.json["total"] as? Int == 2)
        #expect(try call("GET", "/api/call/batch-details/1?limit=2", "viewer").json["total"] as? Int == 3)
        // The seeds' other key style.
        #expect(try HTTPCall.send("GET", w.base + "/api/call/batches", key: w.keys["viewer"], keyHeader: "x-api-key").status == 200)
        #expect(w.d.pid.map { kill($0, 0) == 0 } == true)
    }

    @Test(arguments: EngineKind.allCases) func badRequestsGetAClearFourHundredAndNothingStops(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let viewer = w.keys["viewer"]
        let cases: [(String, String, Int, String)] = [
            ("GET", "/api/call/batch-details/abc", 400, "invalid_batch_id"),
            ("GET", "/api/call/batch-details/-1", 400, "invalid_batch_id"),
            ("GET", "/api/call/batch-details/999", 404, "not_found"),
            ("GET", "/api/call/batch-details/1?page=0", 400, "invalid_page"),
            ("GET", "/api/call/batch-details/1?page=x", 400, "invalid_page"),
            ("GET", "/api/call/batch-details/1?limit=100000", 400, "invalid_limit"),
            ("GET", "/api/call/batch-details/1?filter=%7Bnot%20json", 400, "invalid_filter"),
            ("GET", "/api/call/batch-details/1?sortOrder=up", 400, "invalid_sort_order"),
            ("GET", "/api/call/batch-details/1?sortBy=nope", 400, "invalid_sort_field"),
            ("GET", "/api/call/batch-details/1?bogus=1", 400, "unknown_parameter"),
            ("GET", "/api/nothing/here", 404, "not_found"),
            ("GET", "/nothing", 404, "not_found"),
            ("DELETE", "/api/call/batches", 405, "method_not_allowed"),
            ("GET", "/api/call/batch/1/pause", 405, "method_not_allowed"),
        ]
        for (method, path, status, code) in cases {
            let answer = try HTTPCall.send(method, w.base + path, key: viewer)
            #expect(answer.status == status && answer.json["code"] as? String == code, "\(method) \(path): \(answer.status) \(answer.text)")
            #expect(answer.json["error"] is String)
        }
        // A client that never finishes its headers does not keep the server from answering others.
        let slow = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(slow) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(w.base.split(separator: ":").last.flatMap { Int($0) } ?? 0)).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(slow, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        _ = "GET /healthz HTTP/1.1\r\nHost: x".withCString { send(slow, $0, strlen($0), 0) }
        #expect(try HTTPCall.send("GET", w.base + "/healthz").status == 200)
        #expect(w.d.pid.map { kill($0, 0) == 0 } == true, "the daemon is still running")
    }

    @Test(arguments: EngineKind.allCases) func theFirstKeyIsMadeOnceAndAnAddressInUseStopsNothing(_ engine: EngineKind) throws {
        guard let top = engine.topConfig("firstkey") else { return }
        // Hold a port, then start a daemon configured to listen on it.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(holder, 1)
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) } }
        let port = Int(UInt16(bigEndian: bound.sin_port))
        let d = try DaemonProcess(topConfig: top, http: "listen = \"127.0.0.1:\(port)\"")
        try d.start()
        defer { d.stop() }
        #expect(d.waitFor(seconds: 20) { d.logText().contains("the HTTP server stopped") }, "\(d.logText())")
        try d.dropByRename("c.csv", contactsCSV(rows: 2))
        #expect(d.waitFor(seconds: 30) { d.exists("processed/c.csv.report.json") }, "the inbox works without the server")
        #expect(d.adminKey() != nil)
        #expect(d.stop() == 0)
        // A second start on the same database makes no new key.
        let before = d.logText()
        try d.start()
        usleep(500_000)
        let after = String(d.logText().dropFirst(before.count))
        #expect(!after.contains("created the first API key"), "\(after)")
        let list = try d.bin.run("keys", "list", "--json")
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(keys.map { $0["name"] as? String } == ["admin"])
        #expect(keys[0]["role"] as? String == "admin" && keys[0]["revokedAt"] is NSNull)
        #expect(!list.stdout.contains("sha256") && !list.stdout.contains("dd_"), "the list never shows a key or its hash")
    }

    @Test(arguments: EngineKind.allCases) func theDoNotCallListAndAddCallsOverHTTP(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        func send(_ method: String, _ path: String, _ who: String?, _ json: String? = nil,
                  type: String = "application/json") throws -> HTTPCall {
            try HTTPCall.send(method, w.base + path, key: who.flatMap { w.keys[$0] },
                              headers: json == nil ? [:] : ["Content-Type": type], body: json.map { Data($0.utf8) })
        }
        // The list: viewers read, only admins write; answers are the CLI's bodies.
        #expect(try send("POST", "/api/dnc", "operator", #"{"numbers":["+14155550199"]}"#).status == 403)
        let added = try send("POST", "/api/dnc", "admin", #"{"numbers":["(415) 555-0199", "+14155550198"]}"#)
        #expect(added.status == 201, "\(added.text)")
        #expect(added.json["listed"] as? [String] == ["+14155550199", "+14155550198"] && added.json["new"] as? Int == 2)
        let bad = try send("POST", "/api/dnc", "admin", #"{"numbers":["+14155550197", "not a number"]}"#)
        #expect(bad.status == 400 && bad.json["code"] as? String == "invalid_number" && bad.text.contains("not a number"))
        #expect(try send("POST", "/api/dnc", "admin", #"{"numbers":[], "x": 1}"#).json["code"] as? String == "unknown_field")
        #expect(try send("POST", "/api/dnc", "admin", "{not json").json["code"] as? String == "invalid_json")
        #expect(try send("POST", "/api/dnc", "admin", #"{"numbers":["+14155550197"]}"#, type: "text/plain").status == 415)
        let list = try send("GET", "/api/dnc", "viewer")
        #expect(list.status == 200)
        let cli = try JSONSerialization.jsonObject(with: Data(try w.d.bin.run("dnc", "list", "--json").stdout.utf8))
        #expect(NSArray(array: list.jsonArray) == cli as? NSArray, "the same body as dnc list --json")
        #expect(list.jsonArray.compactMap { $0["phoneNumber"] as? String }.sorted() == ["+14155550198", "+14155550199"])
        #expect(try send("DELETE", "/api/dnc/%2B14155550198", "viewer").status == 403)
        #expect(try send("DELETE", "/api/dnc/%2B14155550198", "admin").status == 204)
        #expect(try send("DELETE", "/api/dnc/%2B14155550198", "admin").status == 404, "no longer listed")
        #expect(try send("DELETE", "/api/dnc/nonsense", "admin").status == 400)

        // add-calls: the CLI's response body, its code as the status; scoped keys see their inbox only.
        let body = #"{"callData":[{"phoneNumber":"+14155550301","name":"Ada"},{"phoneNumber":"nope"},{"phoneNumber":"+14155550199"}]}"#
        #expect(try send("POST", "/api/call/add-calls/1", "viewer", body).status == 403)
        #expect(try send("POST", "/api/call/add-calls/1", "scoped", body).status == 404)
        let answer = try send("POST", "/api/call/add-calls/1", "operator", body)
        #expect(answer.status == 200, "\(answer.text)")
        #expect(answer.json["code"] as? Int == 200 && answer.json["status"] as? Bool == true)
        let data = try #require(answer.json["data"] as? [String: Any])
        #expect(data["totalAdded"] as? Int == 1 && data["invalid"] as? Int == 1 && data["suppressed"] as? Int == 1, "\(data)")
        let refused = try send("POST", "/api/call/add-calls/1", "operator", #"{"callData":[{"name":"no phone"}]}"#)
        #expect(refused.status == 400 && refused.json["code"] as? Int == 400, "\(refused.text)")
        #expect(try send("POST", "/api/call/add-calls/1", "operator", #"{"calls":[]}"#).json["code"] as? String == "unknown_field")
        #expect(try send("POST", "/api/call/add-calls/77", "operator", body).status == 404)
        let details = try send("GET", "/api/call/batch-details/1?limit=50", "viewer")
        #expect((details.json["calls"] as? [[String: Any]])?.contains { $0["phoneNumber"] as? String == "+14155550301" } == true)
    }
}
