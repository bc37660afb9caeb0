import DropdialTestKit
import Foundation
import Glibc
import Testing

/// The drop folder tried the way a hostile or careless SFTP user would, against the real daemon:
/// the uploader runs as another user (`nobody`, through setpriv(1), when the tests run as root).
@Suite(.serialized) struct UntrustedUploaderTests {
    /// Runs `script` with /bin/sh as the uploader (nobody when root), in `dir`; returns its status.
    @discardableResult
    static func asUploader(_ script: String, in dir: URL, env: [String: String] = [:]) throws -> Int32 {
        let p = Process()
        if geteuid() == 0 {
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", script]
        } else {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
        }
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// A daemon whose inbox anyone may write (the worst case: no sticky bit), settle 1 s.
    static func openDaemon(settle: Double = 1) throws -> DaemonProcess {
        let d = try DaemonProcess(settleSeconds: settle)
        chmod(d.inbox.path, 0o777)
        return d
    }

    static let forgedIntent = #"{"version":1,"seq":"../a","originalName":"b/../../dropdial.sqlite","size":0,"hasManifest":false,"destination":"failed","finalName":"../loot.bin","hasErrors":false}"#

    func databaseIsIntact(_ d: DaemonProcess) throws {
        #expect(FileManager.default.fileExists(atPath: d.bin.file("dropdial.sqlite")), "the database stays where it is")
        let batches = try d.bin.run("batches", "--json")
        #expect(batches.status == 0)
        #expect(batches.stdout.contains("\"id\" : 1") || batches.stdout.contains("\"id\":1"), "earlier batches are still there: \(batches.stdout)")
    }

    func noLoot(_ d: DaemonProcess) {
        for path in ["inbox/failed/loot.bin", "inbox/loot.bin", "loot.bin", "failed/loot.bin"] {
            #expect(!FileManager.default.fileExists(atPath: d.bin.file(path)), "\(path)")
        }
    }

    @Test func anUploadedArchivePlanCannotMoveTheDatabase() throws {
        let d = try Self.openDaemon()
        try d.start()
        try d.dropByRename("first.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/first.csv.report.json") })
        let name = String(repeating: "x", count: 222 - ".archive.json".utf8.count) + ".archive.json"
        try Self.asUploader("mkdir inbox/a-b && printf '%s' \"$PLAN\" > inbox/\(name)", in: d.bin.dir,
                            env: ["PLAN": Self.forgedIntent])
        #expect(d.waitFor(seconds: 20) { d.listing("failed").contains { $0.hasSuffix(".report.json") } },
                "the upload ends in failed/ with a report: \(d.listing("failed")) \(d.logText().suffix(2000))")
        let reportName = try #require(d.listing("failed").first { $0.hasSuffix(".report.json") })
        let report = try d.report("failed/" + reportName)
        #expect(report[string: "errorCode"] == "unsupported_type")
        // A restart runs the recovery that once took the plan for its own.
        #expect(d.stop() == 0)
        try d.start()
        try d.dropByRename("second.csv", contactsCSV(rows: 3, base: 10))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/second.csv.report.json") })
        try databaseIsIntact(d)
        noLoot(d)
        #expect(d.stop() == 0)
    }

    @Test func aWorkFolderReplacedByTheUploaderIsNotTrusted() throws {
        let d = try Self.openDaemon()
        try d.start()
        try d.dropByRename("first.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/first.csv.report.json") })
        #expect(d.stop() == 0)
        // While the daemon is down, the uploader swaps in its own work folder with a planted plan.
        try Self.asUploader("""
            mv inbox/.dropdial-work inbox/old-work && mkdir inbox/.dropdial-work && \
            printf '%s' "$PLAN" > inbox/.dropdial-work/0000000000000001.archive.json && \
            printf 'x' > inbox/.dropdial-work/0000000000000001-b
            """, in: d.bin.dir, env: ["PLAN": Self.forgedIntent.replacingOccurrences(of: "\"../a\"", with: "\"0000000000000001\"")])
        try d.start()
        try d.dropByRename("second.csv", contactsCSV(rows: 3, base: 10))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/second.csv.report.json") }, "\(d.logText().suffix(2000))")
        if geteuid() == 0 {
            #expect(d.logText().contains("not by the daemon's user"), "the impostor is named in the log")
            #expect(d.listing("").contains { $0.hasPrefix(".dropdial-work.stray-") })
        }
        try databaseIsIntact(d)
        noLoot(d)
        #expect(d.stop() == 0)
    }

    @Test func aPausedUploadIsNeverImportedHalf() throws {
        let d = try Self.openDaemon(settle: 1)
        try d.start()
        // Header and 10 rows, the file kept open for 2.5 s (more than the settle time), 10 more rows.
        let first = contactsCSV(rows: 10)
        let rest = contactsCSV(rows: 20).split(separator: "\n").dropFirst(11).joined(separator: "\n") + "\n"
        try Self.asUploader("""
            exec 3> inbox/paused.csv; printf '%s' "$A" >&3; sleep 2.5; printf '%s' "$B" >&3; exec 3>&-
            """, in: d.bin.dir, env: ["A": first, "B": rest])
        #expect(d.waitFor(seconds: 20) { d.exists("processed/paused.csv.report.json") }, "\(d.logText().suffix(2000))")
        let report = try d.report("processed/paused.csv.report.json")
        #expect(report.counts["rows"] == 20, "\(report)")
        #expect(report.counts["imported"] == 20)
        let archived = try Data(contentsOf: URL(fileURLWithPath: d.path("processed/paused.csv")))
        #expect(report[string: "sha256"] == sha256Hex(archived), "the report describes the archived bytes")
        #expect(d.stop() == 0)
    }

    /// The same pause, but the writer was already busy when the daemon started: the scan finds the
    /// file without having seen its events, and the kernel's lease check says a writer holds it.
    @Test func aFileStillOpenForWritingWhenTheDaemonStartsWaitsForItsWriter() throws {
        let d = try Self.openDaemon(settle: 1)
        let first = contactsCSV(rows: 10)
        let rest = contactsCSV(rows: 20).split(separator: "\n").dropFirst(11).joined(separator: "\n") + "\n"
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "exec 3> inbox/early.csv; printf '%s' \"$A\" >&3; sleep 4; printf '%s' \"$B\" >&3; exec 3>&-"]
        writer.currentDirectoryURL = d.bin.dir
        writer.environment = ["A": first, "B": rest, "PATH": "/usr/bin:/bin"]
        try writer.run()
        #expect(d.waitFor(seconds: 5) { ((try? FileManager.default.attributesOfItem(atPath: d.path("early.csv"))[.size]) as? Int ?? 0) > 0 })
        try d.start()
        writer.waitUntilExit()
        #expect(d.waitFor(seconds: 20) { d.exists("processed/early.csv.report.json") }, "\(d.logText().suffix(2000))")
        let report = try d.report("processed/early.csv.report.json")
        #expect(report.counts["rows"] == 20, "\(report)")
        #expect(d.stop() == 0)
    }

    @Test func everyNameEndsArchivedWithAReportAndLogsStayOneLine() throws {
        let d = try Self.openDaemon(settle: 0.3)
        try d.start()
        var names: [[UInt8]] = []
        for bytes in [222, 238, 239, 255] {
            names.append(Array((String(repeating: "a", count: bytes - 4) + ".csv").utf8))
        }
        names.append(Array("bad".utf8) + [0xFF] + Array(".csv".utf8))
        names.append(Array("two\nlines\u{1B}[31m.csv".utf8))
        for (i, raw) in names.enumerated() {
            let path = Array(d.inbox.path.utf8) + [0x2F] + raw + [0]
            let text = Array(contactsCSV(rows: 2, base: 100 * i).utf8)
            let fd = path.withUnsafeBufferPointer { p in
                p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
            }
            #expect(fd >= 0)
            _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        #expect(d.waitFor(seconds: 30) { d.listing("processed").filter { $0.hasSuffix(".report.json") }.count == names.count },
                "\(d.listing("processed")) \(d.listing("")) \(d.logText().suffix(3000))")
        let reports = try d.listing("processed").filter { $0.hasSuffix(".report.json") }.map { try d.report("processed/" + $0) }
        #expect(reports.allSatisfy { $0[string: "status"] == "imported" })
        #expect(reports.filter { $0[string: "receivedAs"] != nil }.count == 4, "the names over 200 bytes keep their received name")
        #expect(d.listing("").filter { !$0.hasPrefix(".") && $0 != "processed" && $0 != "failed" }.isEmpty)
        #expect(!d.logText().contains("two\nlines"), "a name never breaks a log line")
        #expect(!d.logText().contains("\u{1B}"), "nor drives the terminal")
        let table = try d.bin.run("batches")
        #expect(!table.stdout.contains("\u{1B}") && !table.stdout.contains("two\nlines"), "\(table.stdout)")
        #expect(d.stop() == 0)
    }

    @Test func strayEntriesNamedLikeTheDaemonsFoldersAreMovedAside() throws {
        let d = try Self.openDaemon(settle: 0.3)
        try Data("stray".utf8).write(to: d.inbox.appendingPathComponent("processed"))
        try FileManager.default.createSymbolicLink(atPath: d.path("failed"), withDestinationPath: "/tmp")
        try Data("stray".utf8).write(to: d.inbox.appendingPathComponent(".dropdial-work"))
        try d.start()
        try d.dropByRename("ok.csv", contactsCSV(rows: 2))
        try d.dropByRename("bad.csv", "phone\nnot a number\n")
        #expect(d.waitFor(seconds: 20) { d.exists("processed/ok.csv.report.json") && d.exists("failed/bad.csv.report.json") },
                "\(d.listing("")) \(d.logText().suffix(2000))")
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: d.path("failed"), isDirectory: &isDir) && isDir.boolValue)
        // The plain file once called `processed` is itself archived as an unsupported drop.
        #expect(d.waitFor(seconds: 20) { d.listing("failed").contains { $0.hasPrefix("processed.stray-") && $0.hasSuffix(".report.json") } },
                "\(d.listing("failed"))")
        #expect(d.stop() == 0)
    }

    @Test func aManifestThatIsNotAFileRejectsItsDataFile() throws {
        let d = try Self.openDaemon(settle: 0.3)
        let real = d.bin.file("real.batch.json")
        try Data(#"{"batchName":"x"}"#.utf8).write(to: URL(fileURLWithPath: real))
        try FileManager.default.createSymbolicLink(atPath: d.path("linked.batch.json"), withDestinationPath: real)
        #expect(mkfifo(d.path("piped.batch.json"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: d.path("folder.batch.json"), withIntermediateDirectories: false)
        try d.start()
        for name in ["linked", "piped", "folder"] { try d.dropByRename("\(name).csv", contactsCSV(rows: 2)) }
        for name in ["linked", "piped", "folder"] {
            #expect(d.waitFor(seconds: 20) { d.exists("failed/\(name).csv.report.json") }, "\(name): \(d.listing("processed"))")
            #expect(try d.report("failed/\(name).csv.report.json")[string: "errorCode"] == "manifest_invalid")
        }
        #expect(d.stop() == 0)
    }

    /// A manifest the importing user may not read rejects its file (it was skipped, and the file
    /// dialed at once with the inbox defaults). Mode bits do not bind root, so the import runs as
    /// nobody through setpriv(1) when the tests run as root.
    @Test func anUnreadableManifestRejectsItsDataFile() throws {
        let bin = try Binary()
        try bin.write("later.csv", contactsCSV(rows: 2))
        try bin.write("later.batch.json", #"{"scheduledAt":"2030-01-01T09:00Z"}"#)
        chmod(bin.file("later.batch.json"), 0)
        let (status, data) = try bin.runAsOtherUser("import", "later.csv", "--json")
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(status == 1)
        #expect(report[string: "errorCode"] == "manifest_invalid", "\(report)")
        #expect(report[string: "error"]?.contains("Permission denied") == true, "\(report)")
    }

    @Test func aFileWithTwoHardLinksIsRefusedWithAReport() throws {
        let d = try Self.openDaemon(settle: 0.3)
        try d.start()
        try Data(contactsCSV(rows: 2).utf8).write(to: URL(fileURLWithPath: d.bin.file("elsewhere.csv")))
        #expect(link(d.bin.file("elsewhere.csv"), d.path("linked.csv")) == 0)
        #expect(d.waitFor(seconds: 20) { d.exists("failed/linked.csv.report.json") }, "\(d.logText().suffix(2000))")
        #expect(try d.report("failed/linked.csv.report.json")[string: "errorCode"] == "hard_link")
        #expect(d.stop() == 0)
    }

    @Test func aSecondDaemonOnTheSameDatabaseIsRefused() throws {
        let d = try Self.openDaemon()
        try d.start()
        let second = try d.bin.run("run")
        #expect(second.status == 2)
        #expect(second.stderr.contains("another dropdial run"), "\(second.stderr)")
        #expect(d.stop() == 0)
    }

    @Test func aMissingInboxIsAConfigErrorUnlessCreateIsSet() throws {
        let bin = try Binary()
        try bin.write("dropdial.toml", "[[inbox]]\npath = \"typo\"\n")
        let r = try bin.run("run")
        #expect(r.status == 2)
        #expect(r.stderr.contains("inbox[0].path") && r.stderr.contains("create = true"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: bin.file("typo")))
        try bin.write("dropdial.toml", "database = \"typo/x.sqlite\"\n[[inbox]]\npath = \"typo\"\ncreate = true\n")
        let inside = try bin.run("run")
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("database") && inside.stderr.contains("inbox[0].path"), "\(inside.stderr)")
    }

    @Test func threeImportsOfOneContentAtOnceMakeOneBatch() throws {
        let bin = try Binary()
        try bin.write("big.csv", contactsCSV(rows: 9_000))
        _ = try bin.run("batches")   // create the database first, so the three race on the import only
        let results = LockedResults()
        let group = DispatchGroup()
        for _ in 0..<3 {
            group.enter()
            DispatchQueue.global().async {
                results.add((try? bin.run("import", "big.csv", "--json"))?.stdout ?? "")
                group.leave()
            }
        }
        group.wait()
        let statuses = results.all.compactMap { text -> String? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
            return o["status"] as? String
        }
        #expect(statuses.sorted() == ["duplicate", "duplicate", "imported"], "\(results.all)")
        let batches = try bin.run("batches", "--json")
        #expect(batches.stdout.components(separatedBy: "\"imported\"").count - 1 <= 2, "\(batches.stdout)")
        #expect(try bin.run("batch", "2").status == 2, "no second batch")
    }

    @Test func aHugeSparseFileIsRefusedBeforeItIsRead() throws {
        let bin = try Binary()
        let fd = open(bin.file("huge.csv"), O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(fd, 40 << 30) == 0)
        close(fd)
        let started = Date()
        let r = try bin.run("import", "huge.csv", "--json")
        #expect(Date().timeIntervalSince(started) < 20, "the 40 GB were hashed for 97 s before")
        #expect(r.status == 1)
        #expect(r.stdout.contains("file_too_large"), "\(r.stdout)")
    }
}

final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}

/// The SHA-256 of `data` as hex, by coreutils' sha256sum (an independent implementation).
func sha256Hex(_ data: Data) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try? p.run()
    input.fileHandleForWriting.write(data)
    try? input.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: out, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}
