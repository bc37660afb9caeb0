import DropdialTestKit
import Foundation
import Testing

/// The dashboard's pages through a real HTTP client (curl, redirects not followed) against a real
/// `dropdial run` (SPEC §10): the sign-in, the key checks and scopes, CSRF, and text that stays
/// text. The same pages in a real browser, with axe and screenshots: `scripts/browser_test.sh`.
@Suite(.serialized) struct DashboardTests {
    struct World {
        var d: DaemonProcess
        var base: String
        var keys: [String: String]
    }

    static let rejected = "phone,name,notes,timezone\r\n"
        + "+14155550132,Ann,<script>alert(1)</script>,Mars/Olympus\r\n"
        + "12,Bob,=1+2,America/Chicago\r\n"
        + "+14155550135,Cy,ok,America/New_York\r\n"

    /// Inbox `inbox` gets a file with rejected rows (batch 1, file 1), named by its manifest with
    /// HTML; inbox `other` gets batch 2 (file 2). Batches start in a year, so they stay pending.
    func world(_ engine: EngineKind) throws -> World? {
        guard let top = engine.topConfig("dashboard") else { return nil }
        let other = try Scratch.folder("other")
        let d = try DaemonProcess(extraConfig: """
            [[inbox]]
            name = "other"
            path = "\(other.path)"
            settle_seconds = 0.1
            """, topConfig: top)
        let later = Date().addingTimeInterval(365 * 86_400)
        let manifest = #"{"batchName": "<b>Spring</b> & <i>co</i>", "scheduledAt": "\#(ISO8601DateFormatter().string(from: later))"}"#
        try Data(manifest.utf8).write(to: d.inbox.appendingPathComponent("people.batch.json"))
        try d.start()
        try d.dropByRename("people.csv", Self.rejected)
        #expect(d.waitFor(seconds: 30) { d.exists("processed/people.csv.report.json") }, "\(d.logText())")
        try Data("phone\n+14155550140\n".utf8).write(to: other.appendingPathComponent(".o.part"))
        try FileManager.default.moveItem(at: other.appendingPathComponent(".o.part"), to: other.appendingPathComponent("o.csv"))
        #expect(d.waitFor(seconds: 30) { FileManager.default.fileExists(atPath: other.path + "/processed/o.csv.report.json") })
        let base = try #require(d.httpBase())
        let keys = try d.matrixKeys()
        return World(d: d, base: base, keys: keys)
    }

    @Test(arguments: EngineKind.allCases) func signInKeysScopesAndCSRF(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        // No session: every page sends the browser to the sign-in page, and back afterwards.
        let anonymous = PageClient(base: w.base)
        let gate = try anonymous.get("/batches/1?page=2")
        #expect(gate.status == 303 && gate.location == "/signin?next=%2Fbatches%2F1%3Fpage%3D2", "\(gate)")
        #expect(try anonymous.post("/batches/1/pause", []).status == 303)
        // A wrong or revoked key, and a sign-in form without its token, are refused.
        #expect(try PageClient(base: w.base).signIn("dd_" + String(repeating: "A", count: 43)).status == 401)
        #expect(try PageClient(base: w.base).signIn(w.keys["revoked"]!).status == 401)
        let tokenless = try PageClient(base: w.base).post("/signin", [("key", w.keys["admin"]!)])
        #expect(tokenless.status == 403)
        // `next` never leads off the site.
        let offsite = PageClient(base: w.base)
        let form = try offsite.get("/signin?next=//evil.example/x")
        let signed = try offsite.post("/signin", [("csrf", PageClient.csrf(form.body) ?? ""), ("key", w.keys["viewer"]!),
                                                  ("next", "//evil.example/x")])
        #expect(signed.status == 303 && signed.location == "/")

        // Each page for each key: the scoped key cannot learn that inbox `inbox`'s file or batch exists.
        let pages: [(String, [String: Int])] = [
            ("/", ["viewer": 200, "scoped": 200]),
            ("/files", ["viewer": 200, "scoped": 200]),
            ("/files/1", ["viewer": 200, "scoped": 404]),
            ("/files/2", ["viewer": 200, "scoped": 200]),
            ("/files/1/errors.xlsx", ["viewer": 200, "scoped": 404]),
            ("/files/1/errors.csv", ["viewer": 200, "scoped": 404]),
            ("/files/1/original", ["viewer": 200, "scoped": 404]),
            ("/batches/1", ["viewer": 200, "scoped": 404]),
            ("/batches/2", ["viewer": 200, "scoped": 200]),
            ("/batches/1/export?format=csv", ["viewer": 200, "scoped": 404]),
            ("/batches/999", ["viewer": 404]),
            ("/batches/abc", ["viewer": 400]),
            ("/upload", ["viewer": 403, "operator": 200]),
            ("/dnc", ["viewer": 200]),
        ]
        var clients: [String: PageClient] = [:]
        for who in ["viewer", "operator", "scoped", "admin"] {
            let c = PageClient(base: w.base)
            #expect(try c.signIn(w.keys[who]!).status == 303)
            clients[who] = c
        }
        for (path, expected) in pages {
            for (who, status) in expected {
                let answer = try clients[who]!.get(path)
                #expect(answer.status == status, "\(path) as \(who): \(answer.status)")
            }
        }
        // The scoped key's overview and file list show only its inbox.
        let overview = try clients["scoped"]!.get("/").body
        #expect(overview.contains("Inbox other") && !overview.contains("Inbox inbox"))
        #expect(!(try clients["scoped"]!.get("/files").body.contains("people.csv")))

        // Forms: the token is required and bound to the key that was shown the page.
        let admin = clients["admin"]!
        let page = try admin.get("/batches/1").body
        let token = try #require(PageClient.csrf(page))
        #expect(try admin.post("/batches/1/pause", []).status == 403, "no token")
        // One character changed (a token that already starts with x gets a y: "x" + the rest would be itself).
        let wrong = (token.first == "x" ? "y" : "x") + token.dropFirst()
        #expect(try admin.post("/batches/1/pause", [("csrf", wrong)]).status == 403, "a wrong token")
        let viewerToken = try #require(PageClient.csrf(try clients["viewer"]!.get("/batches/1").body))
        #expect(try admin.post("/batches/1/pause", [("csrf", viewerToken)]).status == 403, "another key's token")
        #expect(try clients["viewer"]!.post("/batches/1/pause", [("csrf", viewerToken)]).status == 403, "a viewer may not pause")
        let scopedToken = try #require(PageClient.csrf(try clients["scoped"]!.get("/batches/2").body))
        #expect(try clients["scoped"]!.post("/batches/1/pause", [("csrf", scopedToken)]).status == 404)
        #expect(try clients["scoped"]!.post("/dnc/add", [("number", "+14155550199")]).status == 403, "no token")
        #expect(try w.d.bin.run("batch", "1", "--json").stdout.contains(#""status" : "scheduled""#))
        let paused = try admin.post("/batches/1/pause", [("csrf", token)])
        #expect(paused.status == 303 && paused.location == "/batches/1")
        #expect(try admin.get("/batches/1").body.contains(#"id="batch-status" class="status paused">paused<"#))
        // Signed out, the cookie no longer opens a page.
        #expect(try admin.post("/signout", [("csrf", token)]).status == 303)
        #expect(try admin.get("/").status == 303)
    }

    @Test(arguments: EngineKind.allCases) func cellsAndNamesShowAsTextAndTheReportMarksTheFailingCells(_ engine: EngineKind) throws {
        guard let w = try world(engine) else { return }
        defer { w.d.stop() }
        let c = PageClient(base: w.base)
        #expect(try c.signIn(w.keys["admin"]!).status == 303)
        let report = try c.get("/files/1").body
        #expect(report.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"))
        #expect(!report.contains("<script>alert"))
        #expect(report.contains(#"<td class="bad"><span class="value">12</span> <span class="message">not a valid phone number for region US</span></td>"#))
        #expect(report.contains(#"<td class="bad"><span class="value">Mars/Olympus</span>"#))
        #expect(report.contains("<td>=1+2</td>"), "the cell as written, without the CSV's guard")
        #expect(report.contains(#"<th scope="row">3</th>"#), "the row's number in the user's file")
        let batch = try c.get("/batches/1").body
        #expect(batch.contains("<h1>&lt;b&gt;Spring&lt;/b&gt; &amp; &lt;i&gt;co&lt;/i&gt;</h1>"))
        #expect(!batch.contains("<b>Spring</b>"))
        #expect(batch.contains(#"<svg id="chart-attempts""#) && batch.contains(#"<svg id="chart-due""#))
        // A page of the upload form: the file's report is the next page.
        let form = try c.get("/upload").body
        let token = try #require(PageClient.csrf(form))
        let file = Scratch.path("upload", suffix: ".csv")
        try Data("phone,name\n+14155550150,Dee\n".utf8).write(to: URL(fileURLWithPath: file))
        let uploaded = try c.upload("/upload?csrf=\(token)", fields: [("inbox", "inbox")], file: file, fileName: "../../dee.csv")
        #expect(uploaded.status == 303 && uploaded.location?.hasPrefix("/files/") == true, "\(uploaded)")
        let shown = try c.get(uploaded.location ?? "/").body
        #expect(shown.contains("<h1>../../dee.csv</h1>") && shown.contains("imported"))
        #expect(try c.upload("/upload", fields: [("inbox", "inbox")], file: file, fileName: "x.csv").status == 403,
                "an upload without the token")
        // The do-not-call page: add a number by its form, find it, remove it.
        let dnc = try c.get("/dnc").body
        let added = try c.post("/dnc/add", [("csrf", try #require(PageClient.csrf(dnc))), ("number", "(415) 555-0199")])
        #expect(added.status == 303)
        #expect(try c.get(added.location ?? "/dnc").body.contains("<td>+14155550199</td>"))
        #expect(try c.post("/dnc/remove", [("csrf", try #require(PageClient.csrf(dnc))), ("number", "+14155550199")]).status == 303)
        #expect(!(try c.get("/dnc").body.contains("+14155550199")))
    }
}
