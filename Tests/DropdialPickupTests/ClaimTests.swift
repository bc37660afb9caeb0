import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Glibc
import Testing

@Suite struct ClaimTests {
    @Test func claimRenamesIntoTheWorkFolderUnderAUniqueName() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        dir.write("contacts.csv", "first")
        guard case .claimed(let one) = try Claim.take("contacts.csv", from: folders) else {
            Issue.record("not claimed"); return
        }
        #expect(!dir.exists("contacts.csv"))
        #expect(one.originalName == "contacts.csv")
        #expect(one.size == 5)
        #expect(one.claimedPath == dir.file(".dropdial-work/\(one.seq)-contacts.csv"))
        #expect(dir.read(".dropdial-work/\(one.claimedName)") == "first")
        #expect(ClaimedFile.parse(claimedName: one.claimedName)! == (one.seq, "contacts.csv"))
        #expect(one.manifestPath == nil)

        dir.write("contacts.csv", "second")
        guard case .claimed(let two) = try Claim.take("contacts.csv", from: folders) else {
            Issue.record("not claimed"); return
        }
        #expect(two.claimedName != one.claimedName)
        #expect(two.claimedName > one.claimedName)
        #expect(dir.read(".dropdial-work/\(one.claimedName)") == "first")
        #expect(dir.read(".dropdial-work/\(two.claimedName)") == "second")
    }

    @Test func vanishedFileIsNotAnError() throws {
        let dir = TempDir()
        #expect(try Claim.take("nope.csv", from: InboxFolders(inbox: dir.path)) == .gone)
    }

    @Test func manifestMovesAlong() throws {
        let dir = TempDir()
        dir.write("contacts.csv", "data")
        dir.write("contacts.batch.json", "{}")
        dir.write("other.batch.json", "{}")
        guard case .claimed(let c) = try Claim.take("contacts.csv", from: InboxFolders(inbox: dir.path)) else {
            Issue.record("not claimed"); return
        }
        #expect(c.hasManifest)
        #expect(c.manifestPath == dir.file(".dropdial-work/\(c.seq)-contacts.batch.json"))
        #expect(dir.read(".dropdial-work/\(c.seq)-contacts.batch.json") == "{}")
        #expect(!dir.exists("contacts.batch.json"))
        #expect(dir.exists("other.batch.json"))
    }

    @Test func foldersIgnoredNamesAndSpecialFilesStay() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        try FileManager.default.createDirectory(atPath: dir.file("sub.csv"), withIntermediateDirectories: true)
        dir.write("x.csv.filepart", "x")
        #expect(mkfifo(dir.file("pipe.csv"), 0o644) == 0)
        #expect(try Claim.take("sub.csv", from: folders) == .notTaken(name: "sub.csv", reason: .directory))
        #expect(try Claim.take("x.csv.filepart", from: folders) == .notTaken(name: "x.csv.filepart", reason: .ignoredName))
        #expect(try Claim.take("pipe.csv", from: folders) == .notTaken(name: "pipe.csv", reason: .special))
        #expect(try Claim.take("../escape.csv", from: folders) == .notTaken(name: "../escape.csv", reason: .ignoredName))
        #expect(dir.exists("sub.csv") && dir.exists("x.csv.filepart") && dir.exists("pipe.csv"))
    }

    @Test func renamesNeverReplace() {
        let dir = TempDir()
        dir.write("a", "A")
        dir.write("b", "B")
        #expect(FileSystem.renameNoReplace(dir.file("a"), dir.file("b")) == EEXIST)
        #expect(dir.read("a") == "A" && dir.read("b") == "B")
        #expect(FileSystem.renameNoReplace(dir.file("a"), dir.file("c")) == 0)
        #expect(dir.read("c") == "A" && !dir.exists("a"))
    }

    @Test func sequenceIsSixteenDigitsAndIncreases() {
        let s = Claim.Sequence.now()
        #expect(s.count == 16)
        #expect(Claim.Sequence.after("0000000000000009") == "0000000000000010")
        #expect(ClaimedFile.parse(claimedName: "12-x.csv") == nil)
        #expect(ClaimedFile.parse(claimedName: "0000000000000001-my-file.csv")! == ("0000000000000001", "my-file.csv"))
    }
}
