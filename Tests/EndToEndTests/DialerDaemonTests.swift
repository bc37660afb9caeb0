import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The dialer inside `dropdial run`, with the exec backend and a script that logs every dial.
@Suite(.serialized) struct DialerDaemonTests {
    func daemon(log: String, script body: String) throws -> DaemonProcess {
        try DaemonProcess.dialing(log: log, script: body)
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func importedCallsAreDialedAndCompleted() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dials-\(UUID().uuidString).log").path
        let d = try daemon(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            echo '{"outcome":"completed","durationSec":3}'
            """)
        try d.start()
        try d.dropByRename("call-me.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 30) { lines(log).count == 3 }, "\(d.logText())")
        #expect(d.waitFor(seconds: 30) {
            ((try? d.bin.run("batches", "--json").json() as? [[String: Any]])?.first?[string: "status"]) == "completed"
        })
        d.stop()
        #expect(Set(lines(log)).count == 3)
    }

    @Test func killNineWhileCallsAreInFlightNeverDialsAnAttemptTwice() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dials-\(UUID().uuidString).log").path
        let d = try daemon(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            sleep 30
            echo '{"outcome":"completed"}'
            """)
        try d.start()
        try d.dropByRename("inflight.csv", contactsCSV(rows: 5))
        #expect(d.waitFor(seconds: 30) { lines(log).count == 5 }, "five calls in flight: \(d.logText())")
        d.kill9()
        try d.start()
        // Give the restarted dialer several passes: in-flight attempts are closed as failed and
        // retried 60 minutes later, never re-dialed now.
        usleep(3_000_000)
        d.stop()
        let dials = lines(log)
        #expect(dials.count == 5, "\(dials)")
        #expect(Set(dials).count == dials.count, "no attempt dialed twice")
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.first?["calls"] as? [String: Int] == ["pending": 5], "all five wait for their retry")
        #expect(d.logText().contains("closed an attempt left in flight"))
    }
}
