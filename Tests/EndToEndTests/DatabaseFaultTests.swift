import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// No database error stops `dropdial run` (issue "The call lifecycle in one place…"): a write lock
/// held by another process far past the busy timeout delays files and call outcomes, and loses,
/// doubles or stops nothing.
@Suite(.serialized) struct DatabaseFaultTests {

    @Test func aWriteLockHeldThirtySecondsStopsNothing() throws {
        let log = Scratch.path("dials", suffix: ".log")
        // Each call takes a second, so calls end while the lock is held and their outcomes must wait.
        let d = try DaemonProcess.dialing(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            sleep 1
            echo '{"outcome":"no_answer","durationSec":1}'
            """, topConfig: "busy_timeout_seconds = 2")
        try d.start()
        try d.dropByRename("before.csv", contactsCSV(rows: 5))
        #expect(d.waitFor(seconds: 30) { fileLines(log).count >= 1 }, "\(d.logText())")
        let locker = try FaultInjectionTests.holdWriteLock(d.bin.file("dropdial.sqlite"), seconds: 30)
        let lockedAt = Date()
        for (i, name) in ["during-1.csv", "during-2.csv", "during-3.csv"].enumerated() {
            try d.dropByRename(name, contactsCSV(rows: 5, base: 100 * (i + 1)))
        }
        usleep(20_000_000)
        #expect(d.pid.map { kill($0, 0) == 0 } == true, "the daemon is still running while the lock is held")
        locker.waitUntilExit()
        #expect(Date().timeIntervalSince(lockedAt) >= 29)
        for name in ["before.csv", "during-1.csv", "during-2.csv", "during-3.csv"] {
            #expect(d.waitFor(seconds: 120) { d.exists("processed/\(name).report.json") }, "\(name): \(d.logText().suffix(3000))")
        }
        // Every call dialed once and its outcome recorded: all 20 wait for their retry, none stuck `dialing`.
        #expect(d.waitFor(seconds: 120) { fileLines(log).count >= 20 }, "\(fileLines(log).count) dials \(d.logText().suffix(3000))")
        #expect(d.waitFor(seconds: 120) { d.callCounts() == ["pending": 20] }, "\(d.callCounts()) \(d.logText().suffix(3000))")
        usleep(2_000_000)   // more passes: nothing is dialed again
        let dials = fileLines(log)
        #expect(dials.count == 20, "\(dials.count) dials")
        #expect(Set(dials).count == dials.count, "no attempt dialed twice")
        #expect(d.pid.map { kill($0, 0) == 0 } == true, "still running after the lock")
        let text = d.logText()
        #expect(text.contains("the dialer cannot use the database") || text.contains("cannot record how a call ended"),
                "the fault is logged")
        #expect(d.stop() == 0)
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 4, "each file imported exactly once")
        #expect(text.contains("attempt ended") && text.contains("+1415*****"), "one masked line per attempt")
        #expect(!text.contains("+14155550000"), "the full number never appears in a log line")
    }

    /// SPEC §2: a store fault on the command line exits 3 (2 is usage and config only).
    @Test func aCommandThatMeetsALockedDatabaseExitsThreeNotTwo() throws {
        let bin = try Binary()
        try bin.write("dropdial.toml", "busy_timeout_seconds = 1\n")
        try bin.write("c.csv", contactsCSV(rows: 2))
        #expect(try bin.run("import", "c.csv").status == 0)
        let locker = try FaultInjectionTests.holdWriteLock(bin.file("dropdial.sqlite"), seconds: 4)
        let paused = try bin.run("pause", "1")
        locker.waitUntilExit()
        #expect(paused.status == 3, "\(paused.status) \(paused.stderr)")
        #expect(paused.stderr.contains("locked") || paused.stderr.contains("busy"), "\(paused.stderr)")
        #expect(try bin.run("pause", "1").status == 0, "once the lock is gone the same command works")
        #expect(try bin.run("pause", "--bogus").status == 2, "usage is still 2")
    }

    @Test func jsonLogsAreOneObjectPerLine() throws {
        let d = try DaemonProcess(extraConfig: "[log]\nformat = \"json\"")
        try d.start()
        try d.dropByRename("j.csv", contactsCSV(rows: 2))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/j.csv.report.json") })
        #expect(d.stop() == 0)
        let lines = d.logText().split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String], "\(line)")
            #expect(object["level"] != nil && object["message"] != nil && object["time"] != nil)
        }
        #expect(lines.contains { $0.contains("\"message\":\"file done\"") && $0.contains("\"file\":\"j.csv\"") })
    }
}
