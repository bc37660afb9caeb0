import DropdialTestKit
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

    @Test func importedCallsAreDialedAndCompleted() throws {
        let log = Scratch.path("dials", suffix: ".log")
        let d = try daemon(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            echo '{"outcome":"completed","durationSec":3}'
            """)
        try d.start()
        try d.dropByRename("call-me.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 30) { fileLines(log).count == 3 }, "\(d.logText())")
        #expect(d.waitFor(seconds: 30) {
            ((try? d.bin.run("batches", "--json").json() as? [[String: Any]])?.first?[string: "status"]) == "completed"
        })
        d.stop()
        #expect(Set(fileLines(log)).count == 3)
    }

    /// A running daemon with `rows` calls in flight: its exec script logs each idempotency key to
    /// `log`, then sleeps `seconds` before it answers.
    func callsInFlight(_ rows: Int, sleeping seconds: Int, dialer: String = "",
                       timeoutSeconds: Int = 120) throws -> (DaemonProcess, log: String) {
        let log = Scratch.path("dials", suffix: ".log")
        let d = try DaemonProcess.dialing(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            sleep \(seconds)
            echo '{"outcome":"completed"}'
            """, dialer: dialer, timeoutSeconds: timeoutSeconds)
        try d.start()
        try d.dropByRename("inflight.csv", contactsCSV(rows: rows))
        #expect(d.waitFor(seconds: 30) { fileLines(log).count == rows }, "\(rows) calls in flight: \(d.logText())")
        return (d, log)
    }

    @Test func killNineWhileCallsAreInFlightNeverDialsAnAttemptTwice() throws {
        let (d, log) = try callsInFlight(5, sleeping: 30)
        d.kill9()
        try d.start()
        // Give the restarted dialer several passes: in-flight attempts are closed as failed and
        // retried 60 minutes later, never re-dialed now.
        usleep(3_000_000)
        d.stop()
        let dials = fileLines(log)
        #expect(dials.count == 5, "\(dials)")
        #expect(Set(dials).count == dials.count, "no attempt dialed twice")
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.first?["calls"] as? [String: Int] == ["pending": 5], "all five wait for their retry")
        #expect(d.logText().contains("closed an attempt left in flight"))
    }

    /// Issue 11 case 10: SIGTERM waited for every call in flight for as long as its backend
    /// allowed (here a command that never answers, with a 600 s timeout). The dialer waits at
    /// most `stop_timeout_seconds` (2 s), then cancels the calls: the commands are killed, the
    /// attempts end `failed` with the reason logged and wait for their retry.
    @Test func sigtermWaitsForCallsInFlightAtMostTheStopTime() throws {
        let (d, _) = try callsInFlight(2, sleeping: 300, dialer: "stop_timeout_seconds = 2", timeoutSeconds: 600)
        let started = Date()
        let status = d.stop()
        let stopping = Date().timeIntervalSince(started)
        #expect(status == 0, "\(d.logText())")
        #expect(stopping < 120, "SIGTERM took \(stopping) s; the stop time is 2 s, the calls would take 300 s")
        #expect(d.logText().contains("calls still in flight at the stop time are cancelled"))
        #expect(d.logText().contains("the dialer stopped before the command replied"), "\(d.logText())")
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.first?["calls"] as? [String: Int] == ["pending": 2], "both wait for their retry")
    }
}
