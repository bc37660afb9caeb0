import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The database files turn read-only under a running `dropdial run` (a disk remounted read-only,
/// an operator's `chattr +i`) and come back ten seconds later: calls that end meanwhile keep their
/// outcome until it can be written, files that arrive meanwhile stay claimed and are imported
/// afterwards, and nothing stops, is lost, is imported twice or is dialed twice.
///
/// Mode bits do not bind root and the daemon holds its files open, so the files are made
/// immutable (`chattr +i`, ext4 and most Linux filesystems): that refuses writes even through
/// descriptors opened before (EPERM, which SQLite reports as SQLITE_IOERR).
///
/// The database and its write-ahead log are made immutable, not the `-shm` wal-index: SQLite
/// writes that one through a shared memory mapping, where a refused write is no error code but
/// a SIGBUS that ends the process (seen here: a reader updating its read mark, inside
/// libsqlite3). No setting of SQLite's avoids that short of exclusive locking, which would lock
/// every other `dropdial` command out of the database; see `databaseFiles`.
@Suite(.serialized) struct ReadOnlyDatabaseTests {
    /// What is made read-only. `dropdial.sqlite-shm` is left out on purpose (see above).
    static let databaseFiles = ["dropdial.sqlite", "dropdial.sqlite-wal"]


    /// Runs `chattr FLAG` on each path; returns nil when every run succeeded, else chattr's complaint.
    static func chattr(_ flag: String, _ paths: [String]) -> String? {
        var complaints: [String] = []
        for path in paths {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["chattr", flag, path]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            do {
                try p.run()
            } catch {
                complaints.append("\(path): cannot run chattr: \(error)")
                continue
            }
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            if p.terminationStatus != 0 {
                complaints.append("\(path): chattr \(flag) exited \(p.terminationStatus): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        return complaints.isEmpty ? nil : complaints.joined(separator: "; ")
    }

    /// True when a write to `path` is refused even for root (EPERM from an open for writing).
    static func refusesWrites(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY)
        if fd >= 0 {
            close(fd)
            return false
        }
        return errno == EPERM || errno == EACCES
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    @Test func databaseFilesReadOnlyForTenSecondsLoseNothing() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("dials-\(UUID().uuidString).log").path
        // A batch dials two calls at a time. The first file's calls take seven seconds, so they end
        // while the files are read-only (their outcomes must wait); the second file's calls come
        // due while the files are read-only (they must wait, and be dialed once it is over); the
        // others take a second each.
        let d = try DaemonProcess.dialing(log: log, script: """
            req=$(cat)
            printf '%s' "$req" | grep -o '"idempotencyKey":"[^"]*"' >> "$1"
            case "$req" in *'"phoneNumber":"+14152000'*) sleep 7 ;; *) sleep 1 ;; esac
            echo '{"outcome":"no_answer","durationSec":1}'
            """, dialer: "max_concurrent_per_batch = 2", topConfig: "busy_timeout_seconds = 2")
        try d.start()
        // numbered(base:) numbers are +1415 2xx xxxx: base 0 gives the slow +14152000xxx.
        let files: [(name: String, rows: Int, base: Int)] = [
            ("before.csv", 2, 0), ("scheduled.csv", 4, 5000),
            ("during-1.csv", 5, 1000), ("during-2.csv", 5, 2000), ("during-3.csv", 5, 3000),
        ]
        try d.dropByRename(files[0].name, FaultInjectionTests.numbered(rows: files[0].rows, base: files[0].base))
        #expect(d.waitFor(seconds: 30) { fileLines(log).count >= 2 }, "\(d.logText())")
        let dueAt = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.up) + 4)
        try d.dropByRename("scheduled.batch.json", #"{"scheduledAt":"\#(Self.iso(dueAt))"}"#)
        try d.dropByRename(files[1].name, FaultInjectionTests.numbered(rows: files[1].rows, base: files[1].base))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/scheduled.csv.report.json") }, "\(d.logText())")

        let paths = Self.databaseFiles.map { d.bin.file($0) }.filter { FileManager.default.fileExists(atPath: $0) }
        // Whatever happens below, no immutable file is left behind in the temporary folder.
        defer { _ = Self.chattr("-i", Self.databaseFiles.map { d.bin.file($0) }.filter { FileManager.default.fileExists(atPath: $0) }) }
        if let complaint = Self.chattr("+i", paths) {
            Issue.record("""
                cannot make the database files immutable, so this test cannot run here: \(complaint). \
                It needs chattr (e2fsprogs) and a filesystem with the immutable flag (ext4, xfs, btrfs), as root.
                """)
            return
        }
        let readOnlyAt = Date()
        print("read-only: \(paths.map { URL(fileURLWithPath: $0).lastPathComponent })")
        let refused = paths.filter(Self.refusesWrites)
        #expect(refused == paths, "chattr +i succeeded but these still take writes: \(Set(paths).subtracting(refused))")
        #expect(readOnlyAt < dueAt.addingTimeInterval(-1), "the scheduled calls come due while the files are read-only")
        #expect(fileLines(log).count == 2, "the scheduled calls are not dialed yet: \(fileLines(log))")
        let logBefore = d.logText().count

        for f in files.dropFirst(2) {
            try d.dropByRename(f.name, FaultInjectionTests.numbered(rows: f.rows, base: f.base))
            usleep(500_000)
        }
        var aliveThroughout = true
        while Date().timeIntervalSince(readOnlyAt) < 10 {
            if d.pid.map({ kill($0, 0) == 0 }) != true { aliveThroughout = false; break }
            usleep(100_000)
        }
        let during = String(d.logText().dropFirst(logBefore))
        if let complaint = Self.chattr("-i", paths) {
            Issue.record("cannot make the database files writable again: \(complaint)")
        }
        #expect(aliveThroughout, "the daemon is still running while its database is read-only: \(d.logText().suffix(3000))")
        #expect(during.contains("cannot record how a call ended"), "calls ended and their outcomes waited: \(during)")
        #expect(during.contains("the dialer cannot use the database"), "due calls waited: \(during)")
        #expect(during.contains("the file stays claimed in the work folder and is retried"),
                "the files arriving met the fault and stayed claimed: \(during)")
        #expect(!FileManager.default.fileExists(atPath: d.path("failed")) || d.listing("failed").isEmpty,
                "no file failed for a passing fault: \(d.listing("failed"))")

        for f in files {
            #expect(d.waitFor(seconds: 120) { d.exists("processed/\(f.name).report.json") },
                    "\(f.name): \(d.logText().suffix(3000))")
        }
        let total = files.map(\.rows).reduce(0, +)
        // Every call dialed once and its outcome recorded: all wait for their retry, none stuck `dialing`.
        #expect(d.waitFor(seconds: 90) { fileLines(log).count >= total }, "\(fileLines(log).count) dials of \(total) calls: \(d.logText().suffix(3000))")
        #expect(d.waitFor(seconds: 120) { d.callCounts() == ["pending": total] }, "\(d.callCounts()) \(d.logText().suffix(3000))")
        usleep(2_000_000)   // more passes: nothing is dialed again
        let dials = fileLines(log)
        #expect(dials.count == total, "\(dials.count) dials, \(total) calls")
        #expect(Set(dials).count == dials.count, "no attempt dialed twice")
        // Calls are numbered 1… in file order: each one's first attempt, and nothing else.
        let dialedCalls = dials.compactMap { $0.split(separator: "-").dropFirst().first.map(String.init) }.sorted()
        #expect(dialedCalls == (1...total).map { "c\($0)" }.sorted(), "every call dialed once: \(dials)")
        #expect(dials.allSatisfy { $0.hasSuffix("-a1\"") }, "\(dials)")
        #expect(d.pid.map { kill($0, 0) == 0 } == true, "still running once the files are writable again")
        let text = d.logText()
        #expect(text.contains("the dialer reaches the database again"), "the recovery is logged too")
        #expect(d.stop() == 0)

        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == files.count, "each file imported exactly once: \(batches.count) batches")
        for f in files where d.exists("processed/\(f.name).report.json") {
            let report = try d.report("processed/\(f.name).report.json")
            #expect(report[string: "status"] == "imported", "\(f.name): \(report)")
            #expect(report.counts["imported"] == f.rows, "\(f.name): \(report)")
        }
        #expect(d.listing(".dropdial-work").filter { !$0.hasPrefix(".") }.isEmpty, "\(d.listing(".dropdial-work"))")
    }
}
