import DropdialTestKit
import Foundation
import Testing

/// `GET /metrics` against a real daemon that imported and dialed (SPEC §8): every family with
/// its `# TYPE`, the series counting what happened, a key needed unless metrics_public.
@Suite(.serialized) struct HTTPMetricsTests {
    /// `name{labels} value` lines of the exposition, by their series text.
    func samples(_ text: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            out[String(line[..<space])] = value
        }
        return out
    }

    @Test func theSeriesCountImportsAttemptsAndRequests() throws {
        let log = Scratch.path("dials", suffix: ".log")
        let d = try DaemonProcess.dialing(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            echo '{"outcome":"completed","durationSec":2}'
            """)
        try d.start()
        defer { d.stop() }
        let base = try #require(d.httpBase(), "\(d.logText())")
        let key = try #require(d.adminKey())
        let before = try HTTPCall.send("GET", base + "/metrics", key: key)
        #expect(before.status == 200 && before.headers["content-type"]?.hasPrefix("text/plain") == true, "\(before.text)")
        for family in ["dropdial_files_total counter", "dropdial_rows_total counter", "dropdial_import_duration_seconds histogram",
                       "dropdial_attempts_total counter", "dropdial_calls_in_flight gauge", "dropdial_calls_due gauge",
                       "dropdial_http_requests_total counter", "dropdial_webhooks_total counter"] {
            #expect(before.text.contains("# TYPE \(family)\n"), "\(family) before any sample:\n\(before.text)")
        }
        #expect(samples(before.text)[#"dropdial_files_total{inbox="inbox",status="imported"}"#] == 0, "\(before.text)")

        var bad = contactsCSV(rows: 3)
        bad += "12,Too short\n"
        try d.dropByRename("m.csv", bad)
        #expect(d.waitFor(seconds: 30) { fileLines(log).count == 3 }, "\(d.logText())")
        #expect(d.waitFor(seconds: 30) { d.callCounts()["done"] == 3 }, "\(d.callCounts())")
        _ = try HTTPCall.send("GET", base + "/api/call/batch-details/1", key: key)
        _ = try HTTPCall.send("GET", base + "/api/call/batch-details/999", key: key)
        _ = try HTTPCall.send("GET", base + "/no/such/path/at/all", key: key)

        let after = try HTTPCall.send("GET", base + "/metrics", key: key)
        let s = samples(after.text)
        #expect(s[#"dropdial_files_total{inbox="inbox",status="imported"}"#] == 1, "\(after.text)")
        #expect(s[#"dropdial_rows_total{inbox="inbox",kind="imported"}"#] == 3)
        #expect(s[#"dropdial_rows_total{inbox="inbox",kind="invalid"}"#] == 1)
        #expect(s[#"dropdial_import_duration_seconds_count{inbox="inbox"}"#] == 1)
        #expect(s[#"dropdial_attempts_total{outcome="completed",backend="exec"}"#] == 3)
        #expect(s["dropdial_calls_in_flight"] == 0 && s["dropdial_calls_due"] == 0)
        #expect(s[#"dropdial_http_requests_total{route="/api/call/batch-details/{batchId}",status="200"}"#] == 1,
                "\(after.text.split(separator: "\n").filter { $0.contains("http_requests") })")
        #expect(s[#"dropdial_http_requests_total{route="/api/call/batch-details/{batchId}",status="404"}"#] == 1)
        #expect(s[#"dropdial_http_requests_total{route="unmatched",status="404"}"#] == 1)
        #expect(s[#"dropdial_http_requests_total{route="/metrics",status="200"}"#] == 1)
        #expect(try HTTPCall.send("GET", base + "/metrics").status == 401)
    }

    @Test func metricsPublicNeedsNoKey() throws {
        let d = try DaemonProcess(http: """
            listen = "127.0.0.1:0"
            metrics_public = true
            """)
        try d.start()
        defer { d.stop() }
        let base = try #require(d.httpBase(), "\(d.logText())")
        let answer = try HTTPCall.send("GET", base + "/metrics")
        #expect(answer.status == 200 && answer.text.contains("# TYPE dropdial_files_total counter"), "\(answer.text)")
    }
}
