import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Faults around the real daemon (issue 7): kill -9 at random moments, a database locked by
/// another process, an archive folder that refuses writes, a full disk. Nothing is lost, no
/// batch is half, no attempt is dialed twice, and a passing fault never fails a file.
@Suite(.serialized) struct FaultInjectionTests {
    /// A file of `rows` distinct numbers starting at `base` (+1 415 2xx xxxx).
    static func numbered(rows: Int, base: Int) -> String {
        var text = "phone_number,name\n"
        for i in 0..<rows { text += "+1415\(2_000_000 + base + i),n\(base + i)\n" }
        return text
    }

    /// An inbox that may call at any hour, dialed through an exec script that appends each
    /// attempt's idempotency key to `log` and answers after a short pause.
    static func dialingDaemon(log: String) throws -> DaemonProcess {
        try DaemonProcess.dialing(log: log, script: """
            grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            sleep 0.05
            echo '{"outcome":"completed","durationSec":1}'
            """, dialer: "max_concurrent_per_batch = 4", timeoutSeconds: 30)
    }

    @Test func killNineAtRandomMomentsLosesNothing() throws {
        let env = ProcessInfo.processInfo.environment
        let iterations = env["DROPDIAL_KILL_ITERATIONS"].flatMap(Int.init) ?? 50
        // libc's seeded drand48, so a failing run can be replayed with DROPDIAL_KILL_SEED.
        let seed = env["DROPDIAL_KILL_SEED"].flatMap(Int.init) ?? Int(Date().timeIntervalSince1970)
        srand48(seed)
        let log = Scratch.path("dials", suffix: ".log")
        let d = try Self.dialingDaemon(log: log)
        var dropped: [String: Int] = [:]   // file → rows
        var killedMidImport = 0
        let started = Date()
        for i in 0..<iterations {
            try d.start()
            // Three files per round; every fifth round one of them is large enough to take a while.
            for k in 0..<3 {
                let name = "round\(i)-\(k).csv"
                let rows = (i % 5 == 0 && k == 0) ? 3000 : 20
                try d.dropByRename(name, Self.numbered(rows: rows, base: (i * 3 + k) * 4000))
                dropped[name] = rows
            }
            usleep(UInt32(drand48() * 700_000))
            d.kill9()
            if d.listing(".dropdial-work").contains(where: { $0.count > 17 && $0.prefix(16).allSatisfy(\.isNumber) && !$0.hasSuffix(".json") }) {
                killedMidImport += 1
            }
        }
        // The last start finishes whatever is left; then every file must be archived.
        try d.start()
        let reportName = { (name: String) in "processed/\(name).report.json" }
        let finished = d.waitFor(seconds: 120) { dropped.keys.allSatisfy { d.exists(reportName($0)) } }
        usleep(1_500_000)  // calls dialed after the last import
        d.stop()

        let lost = dropped.keys.filter { !d.exists(reportName($0)) }.sorted()
        #expect(finished && lost.isEmpty, "lost: \(lost); failed/: \(d.listing("failed")); work: \(d.listing(".dropdial-work"))")
        #expect(d.listing(".dropdial-work").filter { !$0.hasPrefix(".") }.isEmpty, "\(d.listing(".dropdial-work"))")
        #expect(d.listing("failed").isEmpty, "\(d.listing("failed"))")

        // Every report is one complete batch, and every batch holds exactly its report's calls.
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        var byID: [Int: [String: Any]] = [:]
        for b in batches { if let id = b[int: "id"] { byID[id] = b } }
        var halfBatches = 0
        for (name, rows) in dropped.sorted(by: { $0.key < $1.key }) where d.exists(reportName(name)) {
            let report = try d.report(reportName(name))
            #expect(report[string: "status"] == "imported", "\(name): \(report[string: "status"] ?? "?")")
            #expect(report.counts["imported"] == rows, "\(name)")
            guard let id = report[int: "batchId"], let batch = byID[id] else {
                Issue.record("\(name): batch \(report[int: "batchId"] ?? -1) missing")
                continue
            }
            let calls = (batch["calls"] as? [String: Int] ?? [:]).values.reduce(0, +)
            if calls != rows || batch.counts["imported"] != rows { halfBatches += 1 }
        }
        #expect(halfBatches == 0)
        #expect(batches.count == dropped.count, "one batch per file, never two")

        let closedInFlight = d.logText().components(separatedBy: "closed an attempt left in flight").count - 1
        let dials = fileLines(log)
        let duplicates = dials.count - Set(dials).count
        #expect(duplicates == 0, "attempts dialed twice: \(duplicates)")
        #expect(!dials.isEmpty, "the dialer ran between kills")
        print("""
            kill -9: \(iterations) iterations (seed \(seed)), \(dropped.count) files, killed with a file claimed \
            \(killedMidImport) times, attempts found in flight at restart \(closedInFlight), lost \(lost.count), half batches \(halfBatches), dials \(dials.count), \
            dialed twice \(duplicates), \(Int(Date().timeIntervalSince(started))) s
            """)
    }

    /// Holds SQLite's write lock from another process for `seconds` (python3's sqlite3 module).
    static func holdWriteLock(_ db: String, seconds: Double) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
            c.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            time.sleep(float(sys.argv[2]))
            c.execute("COMMIT")
            """, db, String(seconds)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        _ = out.fileHandleForReading.availableData  // "locked"
        return p
    }

    @Test func aDatabaseLockedByAnotherProcessDelaysTheFileButNeverFailsIt() throws {
        // A 1 s busy timeout, so the 5 s lock outlasts several tries: the backoff path runs.
        let d = try DaemonProcess(topConfig: "busy_timeout_seconds = 1")
        try d.start()
        let locker = try Self.holdWriteLock(d.bin.file("dropdial.sqlite"), seconds: 5)
        let lockedAt = Date()
        try d.dropByRename("while-locked.csv", contactsCSV(rows: 4))
        #expect(d.waitFor(seconds: 40) { d.exists("processed/while-locked.csv.report.json") }, "\(d.logText())")
        locker.waitUntilExit()
        #expect(Date().timeIntervalSince(lockedAt) >= 4.5, "imported only once the lock was gone")
        let report = try d.report("processed/while-locked.csv.report.json")
        #expect(report[string: "status"] == "imported")
        #expect(report.counts["imported"] == 4)
        #expect(!d.exists("failed/while-locked.csv"))
        #expect(d.logText().contains("database is locked by another process"), "a clear log line")
        #expect(d.logText().contains("the file stays claimed in the work folder and is retried"))
        d.stop()
        #expect(try (d.bin.run("batches", "--json").json() as? [Any])?.count == 1)
    }

    /// Makes `path` refuse new entries even for root: mode 0555, and `chattr +i` when mode bits
    /// do not bind (root). Returns how, or nil when neither works here.
    static func makeReadOnly(_ path: String) -> String? {
        chmod(path, 0o555)
        let probe = path + "/.probe"
        if FileManager.default.createFile(atPath: probe, contents: nil) {
            unlink(probe)
            guard run("/usr/bin/chattr", "+i", path) == 0 else { return nil }
            if FileManager.default.createFile(atPath: probe, contents: nil) {
                unlink(probe)
                return nil
            }
            return "chattr +i (mode bits do not bind root)"
        }
        return "mode 0555"
    }

    static func undoReadOnly(_ path: String) {
        _ = run("/usr/bin/chattr", "-i", path)
        chmod(path, 0o755)
    }

    @discardableResult
    static func run(_ tool: String, _ args: String...) -> Int32 {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return -1 }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func aReadOnlyProcessedFolderKeepsTheFileClaimedAndRetriesIt() throws {
        let d = try DaemonProcess()
        let processed = d.path("processed")
        try FileManager.default.createDirectory(atPath: processed, withIntermediateDirectories: true)
        guard let how = Self.makeReadOnly(processed) else {
            print("read-only processed/: neither mode bits nor chattr +i bind here; skipped")
            return
        }
        defer { Self.undoReadOnly(processed) }
        print("read-only processed/ by \(how)")
        try d.start()
        try d.dropByRename("stuck.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.logText().contains("cannot archive") }, "\(d.logText())")
        #expect(d.listing(".dropdial-work").contains { $0.hasSuffix("-stuck.csv") }, "still claimed")
        #expect(!d.exists("stuck.csv") && !d.exists("failed/stuck.csv"), "neither put back nor failed")
        Self.undoReadOnly(processed)
        #expect(d.waitFor(seconds: 20) { d.exists("processed/stuck.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/stuck.csv.report.json")[string: "status"] == "imported")
        // The report lands before the archive's last step removes its intent: wait for that step.
        #expect(d.waitFor(seconds: 5) { d.listing(".dropdial-work").filter { !$0.hasPrefix(".") }.isEmpty },
                "\(d.listing(".dropdial-work"))")
        d.stop()
        #expect(try (d.bin.run("batches", "--json").json() as? [Any])?.count == 1, "archived once, imported once")
    }

    @Test func aFullDiskKeepsTheFileClaimedAndRetriesIt() throws {
        let d = try DaemonProcess()
        // The inbox on a 1 MB tmpfs (needs mount rights: root in a container that allows it).
        guard Self.run("/bin/mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d.inbox.path) == 0 else {
            print("full disk: cannot mount a small tmpfs here; skipped")
            return
        }
        defer { Self.run("/bin/umount", "-l", d.inbox.path) }
        try d.start()
        // The file goes in under an in-flight name, then the disk is filled, then it is renamed
        // into place: the claim (a rename) works, the staged report cannot be written.
        try Data(contactsCSV(rows: 5).utf8).write(to: URL(fileURLWithPath: d.path("full.csv.filepart")))
        let filler = d.path(".filler")
        FileManager.default.createFile(atPath: filler, contents: nil)
        if let h = FileHandle(forWritingAtPath: filler) {
            let chunk = Data(count: 4 << 10)
            while (try? h.write(contentsOf: chunk)) != nil {}
            try? h.close()
        }
        #expect(rename(d.path("full.csv.filepart"), d.path("full.csv")) == 0)
        #expect(d.waitFor(seconds: 20) { d.logText().contains("the file stays claimed") }, "\(d.logText())")
        #expect(d.listing(".dropdial-work").contains { $0.hasSuffix("-full.csv") }, "still claimed")
        #expect(!d.exists("processed/full.csv") && !d.exists("failed/full.csv"))
        #expect(d.logText().contains("No space left on device"), "the error names the cause: \(d.logText().suffix(1500))")
        usleep(2_500_000)  // a retry or two while the disk is still full: still claimed, not failed
        #expect(d.listing(".dropdial-work").contains { $0.hasSuffix("-full.csv") }, "still claimed after retries")
        unlink(filler)
        #expect(d.waitFor(seconds: 20) { d.exists("processed/full.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/full.csv.report.json")[string: "status"] == "imported")
        d.stop()
        #expect(try (d.bin.run("batches", "--json").json() as? [Any])?.count == 1)
    }
}
