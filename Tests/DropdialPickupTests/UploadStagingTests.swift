import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Glibc
import Testing

/// Uploads staged in the work folder and claimed as dropped files are (SPEC §8).
@Suite struct UploadStagingTests {
    @Test func aClientsNameIsNeverAPath() {
        #expect(PickupNames.uploadName("../../x.csv") == "x.csv")
        #expect(PickupNames.uploadName("/etc/cron.d/job.csv") == "job.csv")
        #expect(PickupNames.uploadName(#"C:\Users\me\list.xlsx"#) == "list.xlsx")
        #expect(PickupNames.uploadName("a\nb\u{0}c.csv") == "a_b_c.csv")
        #expect(PickupNames.uploadName("..") == "upload")
        #expect(PickupNames.uploadName(".hidden.csv") == "hidden.csv")
        #expect(PickupNames.uploadName("") == "upload")
        #expect(PickupNames.uploadName("dir/") == "upload")
        let long = PickupNames.uploadName(String(repeating: "x", count: 1000) + ".csv")
        #expect(long.utf8.count <= PickupNames.maxNameBytes && long.hasSuffix("….csv"))
    }

    @Test func aStagedUploadIsClaimedWithItsManifestAndAnInterruptedOneIsSwept() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        let staged = try UploadStaging.create(in: folders)
        #expect(staged.name.hasPrefix(".upload-"))
        try Array("phone_number\n+14155550100\n".utf8).withUnsafeBytes { try UploadStaging.append($0, to: staged) }
        // The staged name is a dot name: recovery never takes it for a claim.
        #expect(try Recovery.leftovers(in: folders).isEmpty)
        let claimed = try UploadStaging.adopt(staged, clientName: "../up.csv", manifest: Data(#"{"batchName":"x"}"#.utf8))
        #expect(claimed.originalName == "up.csv" && claimed.receivedName == "../up.csv" && claimed.hasManifest)
        #expect(claimed.size == 26)
        #expect(try Recovery.leftovers(in: folders) == [.claimed(claimed)])
        #expect(FileManager.default.contents(atPath: claimed.manifestPath!) == Data(#"{"batchName":"x"}"#.utf8))
        // A stop during an upload leaves a staged file; the next start removes it, and only it.
        let interrupted = try UploadStaging.create(in: folders)
        close(interrupted.fd)
        #expect(UploadStaging.sweep(folders) == 1)
        #expect(!FileManager.default.fileExists(atPath: interrupted.path))
        #expect(FileManager.default.fileExists(atPath: claimed.claimedPath))
    }

    /// In a work folder other nodes share, the sweep leaves an upload being written (another
    /// node's) and removes one nobody wrote to for the idle time (a stopped node's).
    @Test func aSharedSweepRemovesOnlyIdleUploads() throws {
        let dir = TempDir()
        let folders = InboxFolders(inbox: dir.path)
        let live = try UploadStaging.create(in: folders), idle = try UploadStaging.create(in: folders)
        close(live.fd)
        close(idle.fd)
        // The idle one was last written two minutes ago.
        var times = [timeval(tv_sec: time(nil) - 120, tv_usec: 0), timeval(tv_sec: time(nil) - 120, tv_usec: 0)]
        #expect(utimes(idle.path, &times) == 0)
        #expect(UploadStaging.sweep(folders, idleSeconds: 60) == 1)
        #expect(FileManager.default.fileExists(atPath: live.path) && !FileManager.default.fileExists(atPath: idle.path))
        #expect(UploadStaging.sweep(folders) == 1, "at a start with the folders its own, every staged upload goes")
    }
}
