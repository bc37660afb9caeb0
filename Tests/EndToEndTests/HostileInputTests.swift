import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The hostile corpus of `scripts/make_hostile.py` (issue 7) dropped into a running daemon among
/// good files, plus the inbox entries that must never be read. Each case ends in `processed/` or
/// `failed/` with its report and the expected code, within 10 s, while the daemon keeps importing
/// the good files and stays under 256 MB.
@Suite(.serialized) struct HostileInputTests {
    struct Case: Decodable {
        var `case`: String
        var file: String
        var status: String
        var codes: [String?]
    }

    /// Writes the corpus into a fresh folder and returns its cases.
    static func corpus(in dir: URL) throws -> [Case] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Binary.repo.appendingPathComponent("scripts/make_hostile.py").path, dir.path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: dir.appendingPathComponent("hostile.json")))
    }

    @Test func everyHostileFileEndsInAReportAndGoodFilesStillImport() throws {
        let d = try DaemonProcess()
        let corpusDir = d.bin.dir.appendingPathComponent("corpus")
        let cases = try Self.corpus(in: corpusDir)
        #expect(cases.count >= 25)

        // Outside the inbox: a FIFO (opening it to read would block) and a file whose atime
        // shows any read; symlinks in the inbox point at both.
        let outsideFIFO = d.bin.file("outside.fifo")
        let outsideFile = d.bin.file("outside.csv")
        #expect(mkfifo(outsideFIFO, 0o644) == 0)
        try d.bin.write("outside.csv", contactsCSV(rows: 2, base: 9000))
        var past = [timespec(tv_sec: 946_684_800, tv_nsec: 0), timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2)]  // atime set, mtime UTIME_OMIT
        #expect(utimensat(AT_FDCWD, outsideFile, &past, 0) == 0)
        #expect(symlink(outsideFIFO, d.path("link-to-fifo.csv")) == 0)
        #expect(symlink(outsideFile, d.path("link-to-file.csv")) == 0)
        #expect(mkfifo(d.path("pipe.csv"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: d.path("folder.csv"), withIntermediateDirectories: false)
        // No read permission: stops a normal user, not root (root reads anyway: see below).
        try Data(contactsCSV(rows: 2, base: 9100).utf8).write(to: URL(fileURLWithPath: d.path("secret.csv")))
        chmod(d.path("secret.csv"), 0)
        let asRoot = geteuid() == 0

        try d.start()
        let half = cases.count / 2
        for (i, c) in cases.enumerated() {
            try FileManager.default.moveItem(atPath: corpusDir.appendingPathComponent(c.file).path, toPath: d.path(c.file))
            if i == half { try d.dropByRename("good-middle.csv", contactsCSV(rows: 3, base: 100)) }
        }
        // Written in place, then deleted before it settles: nothing to report, nothing left.
        FileManager.default.createFile(atPath: d.path("ghost.csv"), contents: Data(contactsCSV(rows: 2, base: 200).utf8))
        unlink(d.path("ghost.csv"))
        try d.dropByRename("good-last.csv", contactsCSV(rows: 3, base: 300))

        func reportPath(_ file: String) -> String? {
            ["processed/", "failed/"].map { $0 + file + ".report.json" }.first { d.exists($0) }
        }
        let all = cases.map(\.file) + ["good-middle.csv", "good-last.csv", "secret.csv"]
        let done = d.waitFor(seconds: Double(cases.count) * 10) { all.allSatisfy { reportPath($0) != nil } }
        #expect(done, "missing: \(all.filter { reportPath($0) == nil }) \(d.logText().suffix(3000))")
        let peak = d.peakRSSMB()
        usleep(500_000)  // a last look at the never-read entries after everything else is done

        for c in cases {
            guard let path = reportPath(c.file) else { continue }
            let report = try d.report(path)
            let status = report[string: "status"] ?? "?"
            let code = report[string: "errorCode"]
            let folder = status == "imported" || status == "duplicate" ? "processed/" : "failed/"
            #expect(path.hasPrefix(folder), "\(c.case): \(status) archived in \(path)")
            #expect(status == c.status, "\(c.case): status \(status), \(report[string: "error"] ?? "")")
            #expect(c.codes.contains(code), "\(c.case): code \(code ?? "-"), \(report[string: "error"] ?? "")")
            let ms = report[int: "durationMs"] ?? .max
            #expect(ms < 10_000, "\(c.case) took \(ms) ms")
            print("hostile \(c.case): \(status) \(code ?? "-") \(ms) ms")
        }
        for good in ["good-middle.csv", "good-last.csv"] {
            #expect(try d.report("processed/\(good).report.json").counts["imported"] == 3, "\(good)")
        }
        if let peak {
            print("hostile corpus: daemon peak RSS \(peak) MB")
            #expect(peak < 256, "daemon peak RSS \(peak) MB")
        }

        // Never read, never moved: the symlinks, their targets, the FIFO and the folder.
        for name in ["link-to-fifo.csv", "link-to-file.csv", "pipe.csv", "folder.csv"] {
            var st = stat()
            #expect(lstat(d.path(name), &st) == 0, "\(name) stays in the inbox")
            #expect(d.logText().contains(name), "\(name) is logged")
        }
        // A writer can only open a FIFO without blocking when a reader has it open: nobody has.
        for fifo in [outsideFIFO, d.path("pipe.csv")] {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            #expect(fd == -1 && errno == ENXIO, "\(fifo) has no reader")
            if fd >= 0 { close(fd) }
        }
        var st = stat()
        #expect(stat(outsideFile, &st) == 0 && st.st_atim.tv_sec == 946_684_800, "the symlink's target was never read")
        #expect(try String(contentsOfFile: outsideFile, encoding: .utf8) == contactsCSV(rows: 2, base: 9000))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/dropdial-hostile-escape.txt"), "zip entries are never extracted")

        // The file deleted while settling left nothing behind.
        #expect(reportPath("ghost.csv") == nil)
        #expect(d.listing(".dropdial-work").filter { !$0.hasPrefix(".") }.isEmpty, "\(d.listing(".dropdial-work"))")

        // Without read permission: `unreadable` for a normal user; root reads regardless of mode bits.
        let secret = try d.report(try #require(reportPath("secret.csv")))
        if asRoot {
            print("hostile: running as root, so mode 000 does not stop reads; secret.csv imported")
            #expect(secret[string: "status"] == "imported")
        } else {
            #expect(secret[string: "errorCode"] == "unreadable", "\(secret)")
        }
        d.stop()
    }

    /// A file the importing user may not read is rejected as `unreadable` (not `internal`). Mode
    /// bits do not stop root, so as root the import runs as `nobody` through setpriv(1).
    @Test func aFileWithoutReadPermissionIsUnreadable() throws {
        let bin = try Binary()
        try bin.write("secret.csv", contactsCSV(rows: 2))
        chmod(bin.file("secret.csv"), 0)
        if geteuid() == 0, !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            print("unreadable: running as root without setpriv(1); skipped")
            return
        }
        let (status, data) = try bin.runAsOtherUser("import", "secret.csv", "--json")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status == 1, "rejected: the user's input, not an internal error")
        #expect(report[string: "status"] == "rejected")
        #expect(report[string: "errorCode"] == "unreadable", "\(report)")
        #expect(report[string: "error"]?.contains("Permission denied") == true, "\(report)")
    }

    /// `dropdial import` on a FIFO (or a symlink to one) refuses it without opening it: an open
    /// for reading would block until a writer came, i.e. forever.
    @Test func importOfAFIFOIsRefusedWithoutOpeningIt() throws {
        let bin = try Binary()
        #expect(mkfifo(bin.file("pipe.csv"), 0o644) == 0)
        #expect(symlink(bin.file("pipe.csv"), bin.file("link.csv")) == 0)
        for name in ["pipe.csv", "link.csv"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Binary.path)
            p.arguments = ["import", name, "--json"]
            p.currentDirectoryURL = bin.dir
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let deadline = Date().addingTimeInterval(20)
            while p.isRunning, Date() < deadline { usleep(20_000) }
            guard !p.isRunning else {
                kill(p.processIdentifier, SIGKILL)
                Issue.record("import \(name) hung on the FIFO")
                continue
            }
            let report = try JSONSerialization.jsonObject(with: out.fileHandleForReading.readDataToEndOfFile()) as? [String: Any]
            #expect(report?[string: "errorCode"] == "unreadable", "\(name): \(String(describing: report))")
            #expect(report?[string: "error"]?.contains("a FIFO, not a regular file") == true)
        }
    }
}
