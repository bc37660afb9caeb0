import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Testing

@Suite struct PollingTests {
    @Test func seesNewChangedAndRemovedFiles() throws {
        let dir = TempDir()
        dir.write("old.csv", "a")
        var poller = try PollingWatcher(directory: dir.path, interval: 0.5)
        #expect(try poller.poll().isEmpty)

        dir.write("new.csv", "b")
        dir.write("skip.filepart", "c")
        #expect(try poller.poll() == [WatchEvent(name: "new.csv", kind: .created)])

        dir.write("old.csv", "a longer content")
        #expect(try poller.poll() == [WatchEvent(name: "old.csv", kind: .modified)])
        #expect(try poller.poll().isEmpty)

        try FileManager.default.removeItem(atPath: dir.file("new.csv"))
        #expect(try poller.poll() == [WatchEvent(name: "new.csv", kind: .removed)])
    }

    @Test func reportsAVanishedInbox() throws {
        let parent = TempDir()
        try FileManager.default.createDirectory(atPath: parent.file("in"), withIntermediateDirectories: true)
        var poller = try PollingWatcher(directory: parent.file("in"), interval: 0.5)
        try FileManager.default.removeItem(atPath: parent.file("in"))
        #expect(try poller.poll() == [WatchEvent(name: "", kind: .inboxGone)])
    }

    @Test func streamStopsWhenTheConsumerDoes() async throws {
        let dir = TempDir()
        let poller = try PollingWatcher(directory: dir.path, interval: 0.02)
        let stream = poller.events()
        dir.write("p.csv", "x")
        var first: WatchEvent? = nil
        for await e in stream { first = e; break }
        #expect(first == WatchEvent(name: "p.csv", kind: .created))
    }

    @Test(arguments: [
        (UInt32(0x6969), "NFS"), (0x517B, "SMB"), (0xFF53_4D42, "CIFS"), (0xFE53_4D42, "SMB2"), (0x6573_5546, "FUSE"),
    ])
    func networkAndFuseArePolled(magic: UInt32, label: String) {
        #expect(FilesystemKind(magic: magic).description == label)
        #expect(FilesystemKind(magic: magic).needsPolling)
        if case .poll = WatchMethod.choose(magic: magic) {} else { Issue.record("\(label) should be polled") }
    }

    @Test(arguments: [UInt32(0xEF53), 0x0102_1994, 0x9123_683E, 0x5846_5342, 0x794C_7630])
    func localFilesystemsUseInotify(magic: UInt32) {
        #expect(WatchMethod.choose(magic: magic) == .inotify)
    }

    @Test func statfsWorksAndPollFlagWins() throws {
        let dir = TempDir()
        guard case .success(let magic) = LinuxCalls.filesystemMagic(dir.path) else {
            Issue.record("statfs failed")
            return
        }
        #expect(magic != 0)
        #expect(try WatchMethod.choose(path: dir.path, forcePoll: false) == WatchMethod.choose(magic: magic))
        if case .poll = try WatchMethod.choose(path: dir.path, forcePoll: true) {} else { Issue.record("poll = true ignored") }
        #expect(throws: PickupError.self) { try WatchMethod.choose(path: dir.file("missing"), forcePoll: false) }
        if case .polling = try Watcher.start(directory: dir.path, forcePoll: true, pollInterval: 1) {} else {
            Issue.record("expected a polling watcher")
        }
    }

    @Test func pollIntervalFollowsSettle() {
        #expect(Watcher.pollInterval(settleSeconds: 1) == 0.5)
        #expect(Watcher.pollInterval(settleSeconds: 0) == 0.25)
        #expect(Watcher.pollInterval(settleSeconds: 30) == 2)
    }
}
