import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Glibc
import Testing

/// The inbox is written by uploaders: nothing they name or plant is taken for the daemon's own
/// state (issue: "The drop folder trusts its uploaders").
@Suite struct UntrustedInboxTests {
    static let forgedIntent = #"{"version":1,"seq":"../a","originalName":"b/../../dropdial.sqlite","size":0,"hasManifest":false,"destination":"failed","finalName":"../loot.bin","hasErrors":false}"#

    /// A 222-byte name ending in `.archive.json`, as in the report of the attack.
    static let longIntentName = String(repeating: "x", count: 222 - ".archive.json".utf8.count) + ".archive.json"

    @Test func anUploadedIntentIsAClaimedFileNotAPlan() throws {
        let dir = TempDir()
        dir.write("dropdial.sqlite", "the database")   // beside the inbox, as the attack found it
        try FileManager.default.createDirectory(atPath: dir.file("inbox/a-b"), withIntermediateDirectories: true)
        let inbox = dir.file("inbox")
        let secured = try SecuredInbox(inbox: inbox)
        let name = Self.longIntentName
        FileManager.default.createFile(atPath: inbox + "/" + name, contents: Data(Self.forgedIntent.utf8))
        // It has no accepted extension but is still claimed (it ends in failed/ with a report).
        guard case .claimed(let claimed) = try Claim.take(name, from: secured.folders) else {
            Issue.record("not claimed"); return
        }
        let leftovers = try Recovery.leftovers(in: secured.folders)
        #expect(leftovers == [.claimed(claimed)], "the uploaded file is data, never an archive plan")
        let archived = try Archive.file(claimed, to: .failed, report: Data("{}".utf8))
        #expect(archived.dataPath == inbox + "/failed/" + claimed.originalName)
        #expect(FileManager.default.contents(atPath: archived.dataPath) == Data(Self.forgedIntent.utf8))
        #expect(dir.read("dropdial.sqlite") == "the database")
        #expect(!dir.exists("inbox/failed/loot.bin") && !dir.exists("loot.bin"))
        #expect(try Recovery.leftovers(in: secured.folders).isEmpty)
    }

    @Test func aPlanWhoseNamesLeaveTheFolderIsRefusedNotFollowed() throws {
        let dir = TempDir()
        dir.write("dropdial.sqlite", "the database")
        let secured = try SecuredInbox(inbox: dir.path)
        let folders = secured.folders
        let seq = "0000000000000042"
        let forged = Self.forgedIntent.replacingOccurrences(of: "\"../a\"", with: "\"\(seq)\"")
        FileManager.default.createFile(atPath: folders.work + "/\(seq).archive.json", contents: Data(forged.utf8))
        #expect(throws: PickupError.self) { try Recovery.leftovers(in: folders) }
        #expect(dir.read("dropdial.sqlite") == "the database")
        // Names must be single components and the final name one the archive would choose.
        #expect(UniqueName.isCandidate("a (3).csv", of: "a.csv"))
        #expect(!UniqueName.isCandidate("../loot.bin", of: "a.csv"))
        #expect(!UniqueName.isCandidate("b (2).csv", of: "a.csv"))
        #expect(!PickupNames.isSingleComponent("b/../../dropdial.sqlite"))
    }

    @Test func theWorkFolderIsTheDaemonsOwnAndPrivate() throws {
        let dir = TempDir()
        let secured = try SecuredInbox(inbox: dir.path)
        var st = stat()
        #expect(lstat(dir.file(".dropdial-work"), &st) == 0)
        #expect(st.st_mode & 0o777 == 0o700)
        #expect(st.st_uid == geteuid())
        #expect(secured.folders.work.hasPrefix("/proc/self/fd/"))
        #expect(secured.folders.display(secured.folders.work + "/x") == dir.file(".dropdial-work/x"))
    }

    /// The variant: the uploader replaces the work folder with its own, holding a planted plan.
    @Test func aWorkFolderOwnedBySomeoneElseIsMovedAsideUnread() throws {
        guard geteuid() == 0 else { return }   // only root can make a folder owned by another user
        let dir = TempDir()
        dir.write("dropdial.sqlite", "the database")
        try FileManager.default.createDirectory(atPath: dir.file(".dropdial-work"), withIntermediateDirectories: true)
        dir.write(".dropdial-work/0000000000000001.archive.json", Self.forgedIntent)
        #expect(chown(dir.file(".dropdial-work"), 65534, 65534) == 0)
        let secured = try SecuredInbox(inbox: dir.path)
        #expect(try Recovery.leftovers(in: secured.folders).isEmpty)
        let notices = secured.refresh()
        #expect(notices.contains { $0.contains("owned by uid 65534") })
        #expect(dir.list().contains { $0.hasPrefix(".dropdial-work.stray-") })
        #expect(dir.read("dropdial.sqlite") == "the database")
    }

    @Test func aWorkFolderSwappedWhileRunningCannotRedirectAnything() throws {
        let dir = TempDir()
        let secured = try SecuredInbox(inbox: dir.path)
        dir.write("a.csv", "data")
        // An uploader renames the daemon's folder away and puts its own in its place.
        #expect(rename(dir.file(".dropdial-work"), dir.file("moved")) == 0)
        try FileManager.default.createDirectory(atPath: dir.file(".dropdial-work"), withIntermediateDirectories: true)
        guard case .claimed(let c) = try Claim.take("a.csv", from: secured.folders) else { Issue.record("not claimed"); return }
        #expect(dir.list(".dropdial-work").isEmpty, "nothing goes into the impostor")
        #expect(dir.list("moved") == [c.claimedName])
        #expect(secured.refresh().contains { $0.contains("moved or replaced") })
        _ = try Archive.file(c, to: .processed, report: Data("{}".utf8))
        #expect(dir.read("processed/a.csv") == "data")
    }

    @Test(arguments: ["processed", "failed", ".dropdial-work"])
    func aStrayEntryWithAFoldersNameIsMovedAside(name: String) throws {
        let dir = TempDir()
        dir.write(name, "stray")
        let secured = try SecuredInbox(inbox: dir.path)
        var st = stat()
        #expect(lstat(dir.file(name), &st) == 0 && st.st_mode & S_IFMT == S_IFDIR)
        let aside = dir.list().filter { $0.hasPrefix(name + ".stray-") }
        #expect(aside.count == 1)
        #expect(aside.first.flatMap { dir.read($0) } == "stray")
        #expect(secured.refresh().count == 1, "reported once")
        #expect(secured.refresh().isEmpty)
        // Archiving works at once; a `processed` stray is itself taken as a dropped file.
        if name != ".dropdial-work" { #expect(PickupNames.classify(aside[0]) == .take) }
    }

    @Test func aSymlinkedProcessedFolderIsNeverFollowed() throws {
        let dir = TempDir()
        let elsewhere = TempDir()
        #expect(symlink(elsewhere.path, dir.file("processed")) == 0)
        let secured = try SecuredInbox(inbox: dir.path)
        dir.write("a.csv", "data")
        guard case .claimed(let c) = try Claim.take("a.csv", from: secured.folders) else { Issue.record("not claimed"); return }
        _ = try Archive.file(c, to: .processed, report: Data("{}".utf8))
        #expect(elsewhere.list().isEmpty)
        #expect(dir.read("processed/a.csv") == "data")
        // Replaced later by a symlink again: noticed between files, and a real folder is used.
        #expect(rename(dir.file("processed"), dir.file("old")) == 0)
        #expect(symlink(elsewhere.path, dir.file("processed")) == 0)
        #expect(!secured.refresh().isEmpty)
        dir.write("b.csv", "more")
        guard case .claimed(let b) = try Claim.take("b.csv", from: secured.folders) else { Issue.record("not claimed"); return }
        _ = try Archive.file(b, to: .processed, report: Data("{}".utf8))
        #expect(elsewhere.list().isEmpty)
        #expect(dir.read("processed/b.csv") == "more")
    }

    @Test(arguments: [222, 230, 238, 239, 247, 255])
    func everyNameTheFolderCanHoldIsArchivedWithAReport(bytes: Int) throws {
        let dir = TempDir()
        let secured = try SecuredInbox(inbox: dir.path)
        let name = String(repeating: "é", count: (bytes - 4) / 2) + String(repeating: "n", count: (bytes - 4) % 2) + ".csv"
        #expect(name.utf8.count == bytes)
        dir.write(name, "phone\n+14155550100\n")
        guard case .claimed(let c) = try Claim.take(name, from: secured.folders) else { Issue.record("not claimed"); return }
        #expect(c.originalName.utf8.count <= PickupNames.maxNameBytes)
        #expect(c.originalName.hasSuffix("….csv"))
        #expect(c.receivedName == name)
        // The received name survives a restart (claim record).
        guard case .claimed(let again)? = try Recovery.leftovers(in: secured.folders).first else { Issue.record("lost"); return }
        #expect(again.receivedName == name)
        let a = try Archive.file(c, to: .processed, report: Data("{}".utf8))
        #expect(FileManager.default.fileExists(atPath: a.reportPath))
        #expect(dir.list(".dropdial-work").isEmpty)
    }

    @Test func aNameThatIsNotUTF8IsRenamedToItsEscapedForm() throws {
        let dir = TempDir()
        let raw: [UInt8] = Array("bad".utf8) + [0xFF, 0xC3] + Array(".csv".utf8)
        let path = Array(dir.path.utf8) + [0x2F] + raw + [0]
        let fd = path.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(fd >= 0)
        close(fd)
        var renamed: [(String, String)] = []
        let present = try InboxScan.present(in: dir.path) { renamed.append(($0, $1)) }
        #expect(renamed.count == 1 && renamed.first?.1 == "bad%FF%C3.csv")
        #expect(present["bad%FF%C3.csv"] != nil)
        #expect(dir.exists("bad%FF%C3.csv"))
    }

    @Test func logNamesAreEscaped() {
        #expect(PickupNames.printable("a\nb\u{1B}[31m.csv") == "a\\u{A}b\\u{1B}[31m.csv")
        #expect(PickupNames.printable("Café.csv") == "Café.csv")
    }

    @Test func reportsGetTheModeOfTheirFile() throws {
        let dir = TempDir()
        let secured = try SecuredInbox(inbox: dir.path)
        dir.write("private.csv", "data")
        #expect(chmod(dir.file("private.csv"), 0o600) == 0)
        guard case .claimed(let c) = try Claim.take("private.csv", from: secured.folders) else { Issue.record("not claimed"); return }
        let a = try Archive.file(c, to: .failed, report: Data("{}".utf8), errorsCSV: Data("x".utf8))
        for path in [a.reportPath, a.errorsPath!] {
            var st = stat()
            #expect(lstat(path, &st) == 0)
            #expect(st.st_mode & 0o777 == 0o600, "\(path)")
        }
    }
}

@Suite struct WriteProbeTests {
    @Test func aWriterHoldingTheFileIsSeenAndItsCloseToo() throws {
        let dir = TempDir()
        let path = dir.write("w.csv", "phone\n")
        let writer = open(path, O_WRONLY | O_APPEND)
        #expect(writer >= 0)
        #expect(WriteProbe.isOpenForWriting(path) == true)
        close(writer)
        #expect(WriteProbe.isOpenForWriting(path) == false)
        let reader = open(path, O_RDONLY)
        #expect(WriteProbe.isOpenForWriting(path) == false, "a reader is not a writer")
        close(reader)
    }
}

@Suite struct ExtensionListTests {
    @Test func thePickupTakesWhatTheReadersRead() {
        for name in ["a.csv", "a.TSV", "a.txt", "a.xlsx", "a.XLSM", "a.xls"] { #expect(PickupNames.isAcceptedData(name), "\(name)") }
        #expect(!PickupNames.isAcceptedData("a.json") && !PickupNames.isAcceptedData("a.pdf"))
        #expect(PickupNames.isXLSX("book.xlsm"), "a macro workbook waits for its zip end record too")
        #expect(PickupNames.manifestName(for: "q1.leads.xlsm") == "q1.leads.batch.json")
    }
}
