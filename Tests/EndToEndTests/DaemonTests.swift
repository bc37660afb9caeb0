import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `dropdial run` on real folders: every way an upload lands, and what must never happen.
@Suite(.serialized) struct DaemonTests {
    @Test func filesPresentAtStartupArePickedUp() throws {
        let d = try DaemonProcess()
        try Data(contactsCSV(rows: 3).utf8).write(to: d.inbox.appendingPathComponent("early.csv"))
        try d.start()
        #expect(d.waitFor(seconds: 20) { d.exists("processed/early.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/early.csv.report.json")[string: "status"] == "imported")
        #expect(d.stop() == 0)
    }

    @Test func renamedUploadIsTakenAndAStrayFilepartStaysPut() throws {
        let d = try DaemonProcess()
        try d.start()
        try Data("half a file".utf8).write(to: d.inbox.appendingPathComponent("stray.csv.filepart"))
        try d.dropByRename("winscp.csv", contactsCSV(rows: 5))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/winscp.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/winscp.csv.report.json").counts["imported"] == 5)
        usleep(800_000)
        #expect(d.exists("stray.csv.filepart"), "an in-flight name is never touched")
        #expect(!d.exists("processed/stray.csv.filepart") && !d.exists("failed/stray.csv.filepart"))
        d.stop()
    }

    @Test func linkThenUnlinkLikeOpenSSH() throws {
        let d = try DaemonProcess()
        try d.start()
        let temp = d.path("upload.tmp")
        try Data(contactsCSV(rows: 4).utf8).write(to: URL(fileURLWithPath: temp))
        #expect(link(temp, d.path("sftp.csv")) == 0)
        #expect(unlink(temp) == 0)
        #expect(d.waitFor(seconds: 20) { d.exists("processed/sftp.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/sftp.csv.report.json").counts["imported"] == 4)
        d.stop()
    }

    @Test func slowInPlaceWriteWaitsForTheSettleTime() throws {
        let d = try DaemonProcess(settleSeconds: 0.6)
        try d.start()
        let handle = try FileHandle(forWritingTo: {
            FileManager.default.createFile(atPath: d.path("slow.csv"), contents: nil)
            return URL(fileURLWithPath: d.path("slow.csv"))
        }())
        // Ten chunks 200 ms apart: each is shorter than the settle time, so nothing is taken early.
        let text = contactsCSV(rows: 50)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let chunk = max(1, lines.count / 10)
        for start in stride(from: 0, to: lines.count, by: chunk) {
            let part = lines[start..<min(start + chunk, lines.count)].joined(separator: "\n")
            handle.write(Data((part + (start + chunk < lines.count ? "\n" : "")).utf8))
            usleep(200_000)
            #expect(!d.exists("processed/slow.csv"), "taken while still being written")
        }
        try handle.close()
        #expect(d.waitFor(seconds: 20) { d.exists("processed/slow.csv.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/slow.csv.report.json").counts["imported"] == 50)
        d.stop()
    }

    @Test func slowlyCopiedXLSXWaitsForItsZipEnd() throws {
        let d = try DaemonProcess(settleSeconds: 0.3)
        try d.start()
        let bytes = try Data(contentsOf: Binary.samples.appendingPathComponent("contacts.xlsx"))
        let target = d.path("book.xlsx")
        FileManager.default.createFile(atPath: target, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        // Everything but the end record, then a pause longer than the settle time.
        handle.write(bytes.prefix(bytes.count - 22))
        usleep(1_200_000)
        #expect(d.exists("book.xlsx"), "a zip without its end record is still being written")
        handle.write(bytes.suffix(22))
        try handle.close()
        #expect(d.waitFor(seconds: 20) { d.exists("processed/book.xlsx.report.json") }, "\(d.logText())")
        #expect(try d.report("processed/book.xlsx.report.json")[string: "status"] == "imported")
        d.stop()
    }

    @Test func burstOf200RenamedFiles() throws {
        let d = try DaemonProcess()
        try d.start()
        let started = Date()
        for i in 0..<200 { try d.dropByRename("burst-\(i).csv", contactsCSV(rows: 2, base: i * 2)) }
        let done = d.waitFor(seconds: 120) {
            d.listing("processed").filter { $0.hasSuffix(".report.json") }.count == 200
        }
        #expect(done, "processed \(d.listing("processed").count / 2) of 200")
        print("burst of 200 renamed files drained in \(Date().timeIntervalSince(started)) s")
        #expect(d.listing("").filter { $0.hasPrefix("burst-") }.isEmpty)
        d.stop()
        let batches = try d.bin.run("batches", "--json").json() as? [[String: Any]]
        #expect(batches?.count == 200)
    }

    @Test func duplicateContentIsNotImportedTwice() throws {
        let d = try DaemonProcess()
        try d.start()
        try d.dropByRename("a.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/a.csv.report.json") })
        let first = try d.report("processed/a.csv.report.json")
        try d.dropByRename("a.csv", contactsCSV(rows: 3))
        #expect(d.waitFor(seconds: 20) { d.exists("processed/a (2).csv.report.json") }, "\(d.listing("processed"))")
        let second = try d.report("processed/a (2).csv.report.json")
        #expect(second[string: "status"] == "duplicate")
        #expect(second[int: "duplicateOf"] == first[int: "batchId"])
        d.stop()
    }

    @Test func unsupportedAndRejectedFilesGoToFailedWithReports() throws {
        let d = try DaemonProcess()
        try d.start()
        try d.dropByRename("notes.pdf", "%PDF-1.4")
        try d.dropByRename("nophone.csv", "name,email\nAda,a@x.io\n")
        try d.dropByRename("mixed.csv", "phone,name\n12345,Bad\n4155552671,Good\n")
        #expect(d.waitFor(seconds: 20) {
            d.exists("failed/notes.pdf.report.json") && d.exists("failed/nophone.csv.report.json")
                && d.exists("processed/mixed.csv.report.json")
        }, "\(d.listing("failed")) \(d.listing("processed"))")
        #expect(try d.report("failed/notes.pdf.report.json")[string: "errorCode"] == "unsupported_type")
        #expect(try d.report("failed/nophone.csv.report.json")[string: "errorCode"] == "no_phone_column")
        let errorsCSV = try String(contentsOfFile: d.path("processed/mixed.csv.errors.csv"), encoding: .utf8)
        #expect(errorsCSV.contains("phone,name,error"))
        #expect(errorsCSV.contains("12345,Bad,phone: not a valid phone number"))
        #expect(!errorsCSV.contains("Good"))
        d.stop()
    }

    /// Valid rows: at 600k an import that takes seconds, long enough to interrupt.
    static func bigCSV(rows: Int) -> String {
        var text = "phone_number,name\n"
        text.reserveCapacity(rows * 24)
        for i in 0..<rows { text += "+1415\(String(format: "%07d", 2_000_000 + i)),n\(i)\n" }
        return text
    }

    @Test func sigtermDuringAnImportRollsBackAndTheRestartRedoesIt() throws {
        let d = try DaemonProcess()
        // Enough rows that a fast machine is still importing when the stop comes (300k took under
        // a second on one), stopped a moment after the claim.
        let rows = 600_000
        let text = Self.bigCSV(rows: rows)
        try d.start()
        try d.dropByRename("big.csv", text)
        #expect(d.waitFor(seconds: 30) { !d.exists("big.csv") })
        usleep(300_000)
        let stopped = Date()
        #expect(d.stop() == 0, "a clean stop")
        #expect(Date().timeIntervalSince(stopped) < 10, "the import in progress stops promptly")
        #expect(!d.exists("processed/big.csv"))
        #expect(try (d.bin.run("batches", "--json").json() as? [Any])?.isEmpty == true, "rolled back")
        #expect(d.listing(".dropdial-work").contains { $0.hasSuffix("-big.csv") }, "still claimed")
        try d.start()
        #expect(d.waitFor(seconds: 300) { d.exists("processed/big.csv.report.json") }, "\(d.logText())")
        d.stop()
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 1)
        #expect(batches.first?.counts["imported"] == rows)
    }

    @Test func killNineDuringALargeImportThenRestart() throws {
        let d = try DaemonProcess()
        let rows = 300_000
        let text = Self.bigCSV(rows: rows)
        try d.start()
        try d.dropByRename("big.csv", text)
        // Kill once the import is under way (the claim moved the file into the work folder).
        #expect(d.waitFor(seconds: 30) { !d.exists("big.csv") })
        usleep(1_500_000)
        d.kill9()
        #expect(!d.exists("processed/big.csv"), "the import was still running when killed")
        try d.start()
        #expect(d.waitFor(seconds: 300) { d.exists("processed/big.csv.report.json") }, "\(d.logText())")
        d.stop()
        let batches = try #require(try d.bin.run("batches", "--json").json() as? [[String: Any]])
        #expect(batches.count == 1, "never two batches")
        #expect(batches.first?.counts["imported"] == rows, "never half a batch")
        #expect(d.listing(".dropdial-work").filter { !$0.hasPrefix(".") }.isEmpty)
    }
}
