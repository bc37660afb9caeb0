import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Testing

@Suite struct RecoveryTests {
    @Test func noWorkFolderMeansNoLeftovers() throws {
        let dir = TempDir()
        #expect(try Recovery.leftovers(in: InboxFolders(inbox: dir.path)).isEmpty)
    }

    @Test func claimedButNotArchivedFilesAreListedInClaimOrder() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        dir.write("b.csv", "bb")
        dir.write("b.batch.json", "{}")
        dir.write("a.xlsx", "a")
        guard case .claimed(let first) = try Claim.take("b.csv", from: folders),
              case .claimed(let second) = try Claim.take("a.xlsx", from: folders) else {
            Issue.record("not claimed"); return
        }
        let leftovers = try Recovery.leftovers(in: folders)
        #expect(leftovers == [.claimed(first), .claimed(second)])
        #expect(first.hasManifest && !second.hasManifest)
        #expect(first.size == 2)
    }

    @Test func aLoneManifestGoesBackToTheInbox() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        try FileSystem.makeFolder(folders.work)
        dir.write(".dropdial-work/0000000000000042-c.batch.json", "{}")
        dir.write(".dropdial-work/.0000000000000042-c.batch.json.tmp", "temp")
        let leftovers = try Recovery.leftovers(in: folders)
        #expect(leftovers == [.loneManifest(seq: "0000000000000042", originalName: "c.batch.json")])
        #expect(try Recovery.putBack(leftovers[0], folders: folders) == dir.file("c.batch.json"))
        #expect(dir.read("c.batch.json") == "{}")
    }

    @Test func aLoneManifestNeverReplacesANewerOne() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        try FileSystem.makeFolder(folders.work)
        dir.write(".dropdial-work/0000000000000042-c.batch.json", "old")
        dir.write("c.batch.json", "new")
        let leftovers = try Recovery.leftovers(in: folders)
        let path = try Recovery.putBack(leftovers[0], folders: folders)
        #expect(path == dir.file("failed/c.batch.json"))
        #expect(dir.read("c.batch.json") == "new")
        #expect(dir.read("failed/c.batch.json") == "old")
    }

    @Test func aBrokenIntentIsReportedWithItsPath() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        try FileSystem.makeFolder(folders.work)
        dir.write(".dropdial-work/0000000000000001.archive.json", "not json")
        #expect(throws: PickupError.self) { try Recovery.leftovers(in: folders) }
    }
}

/// A work folder left by the version before the daemon's state got its own names.
@Suite struct LegacyStateTests {
    @Test func stateBesideItsClaimIsLeftAloneAndTheClaimRedone() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        try FileSystem.makeFolder(folders.work)
        dir.write(".dropdial-work/0000000000000042-c.csv", "phone\n")
        dir.write(".dropdial-work/0000000000000042-c.csv.archive.json", #"{"version":1}"#)
        dir.write(".dropdial-work/0000000000000042-c.csv.report.json", "{}")
        // An upload that only looks like old state (no claim of that seq beside it) is data.
        dir.write(".dropdial-work/0000000000000043-x.csv.report.json", "upload")
        let leftovers = try Recovery.leftovers(in: folders)
        #expect(leftovers.count == 2)
        #expect(leftovers.contains(.claimed(ClaimedFile(folders: folders, seq: "0000000000000042", originalName: "c.csv",
                                                        size: 6, hasManifest: false))))
        #expect(leftovers.contains { if case .claimed(let c) = $0 { c.originalName == "x.csv.report.json" } else { false } })
        // Archiving the claim takes its old state with it, so nothing is left to pass for data later.
        guard case .claimed(let c)? = leftovers.first(where: { if case .claimed(let c) = $0 { c.seq.hasSuffix("42") } else { false } })
        else { Issue.record("no claim"); return }
        _ = try Archive.file(c, to: .processed, report: Data("{}".utf8))
        #expect(dir.list(".dropdial-work") == ["0000000000000043-x.csv.report.json"])
    }
}
