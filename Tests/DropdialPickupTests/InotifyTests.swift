import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Glibc
import Testing

@Suite struct InotifyTests {
    @Test func writeInPlaceThenCloseSettles() throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        dir.write("a.csv", "phone\n4155552671\n")
        let events = try collect(watcher) { $0.contains(WatchEvent(name: "a.csv", kind: .closedAfterWrite)) }
        #expect(events.contains(WatchEvent(name: "a.csv", kind: .closedAfterWrite)))
        #expect(!events.contains(WatchEvent(name: "a.csv", kind: .linkedIn)))
        var readiness = Readiness(settleSeconds: 1)
        for e in events { readiness.observe(e, at: 10) }
        let probe = { (n: String) in FileFacts.read(directory: dir.path, name: n) }
        #expect(readiness.due(at: 10.5, probe: probe).isEmpty)
        #expect(readiness.due(at: 11, probe: probe) == [ReadyFile(name: "a.csv", reason: .settled)])
    }

    @Test func tempNameThenRenameYieldsOnlyTheRename() throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        dir.write("x.filepart", "phone\n4155552671\n")
        #expect(rename(dir.file("x.filepart"), dir.file("x.csv")) == 0)
        let events = try collect(watcher) { $0.contains { $0.name == "x.csv" } }
        #expect(events == [WatchEvent(name: "x.csv", kind: .movedIn)])
        var readiness = Readiness(settleSeconds: 1)
        for e in events { readiness.observe(e, at: 0) }
        #expect(readiness.due(at: 0) { FileFacts.read(directory: dir.path, name: $0) }
            == [ReadyFile(name: "x.csv", reason: .arrivedComplete)])
    }

    @Test func linkThenUnlinkIsCreatedWithContent() throws {
        let dir = TempDir()
        dir.write(".upload.tmp", "phone\n4155552671\n")
        let watcher = try InotifyWatcher(directory: dir.path)
        #expect(link(dir.file(".upload.tmp"), dir.file("c.csv")) == 0)
        #expect(unlink(dir.file(".upload.tmp")) == 0)
        let events = try collect(watcher) { $0.contains { $0.name == "c.csv" } }
        #expect(events == [WatchEvent(name: "c.csv", kind: .linkedIn)])
    }

    @Test func emptyCreateIsBeingWritten() throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        let fd = open(dir.file("e.csv"), O_WRONLY | O_CREAT, 0o644)
        defer { close(fd) }
        let events = try collect(watcher) { !$0.isEmpty }
        #expect(events == [WatchEvent(name: "e.csv", kind: .created)])
    }

    @Test func overflowDecodesAndRescanFindsPresentFiles() throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        var raw = [UInt8](repeating: 0, count: 16)
        let overflow = UInt32(truncatingIfNeeded: IN_Q_OVERFLOW)
        withUnsafeBytes(of: overflow.littleEndian) { raw.replaceSubrange(4..<8, with: $0) }
        let events = raw.withUnsafeBytes { watcher.decode($0) }
        #expect(events == [WatchEvent(name: "", kind: .overflow)])

        dir.write("a.csv", "x")
        dir.write("b.xlsx", "y")
        dir.write("c.csv.filepart", "z")
        dir.write("a.csv.report.json", "{}")
        try FileManager.default.createDirectory(atPath: dir.file("processed"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("sub"), withIntermediateDirectories: true)
        // A folder named like a data file is listed, so the claim refuses it and the daemon logs it.
        try FileManager.default.createDirectory(atPath: dir.file("folder.csv"), withIntermediateDirectories: true)
        let present = try InboxScan.present(in: dir.path)
        #expect(present.keys.sorted() == ["a.csv", "b.xlsx", "folder.csv"])
        var readiness = Readiness(settleSeconds: 1)
        for (name, f) in present { readiness.noticeExisting(name, facts: f, at: 0) }
        #expect(readiness.pending == ["a.csv", "b.xlsx", "folder.csv"])
        #expect(readiness.due(at: 2) { present[$0] }.filter { $0.reason == .notRegular }.map(\.name) == ["folder.csv"])
    }

    @Test func symlinkOutsideTheInboxIsNeverTaken() throws {
        let inbox = TempDir()
        let outside = TempDir()
        outside.write("secret.csv", "phone\n4155552671\n")
        let watcher = try InotifyWatcher(directory: inbox.path)
        #expect(symlink(outside.file("secret.csv"), inbox.file("link.csv")) == 0)
        let events = try collect(watcher) { $0.contains { $0.name == "link.csv" } }
        #expect(events == [WatchEvent(name: "link.csv", kind: .created)])

        var readiness = Readiness(settleSeconds: 1)
        for e in events { readiness.observe(e, at: 0) }
        let ready = readiness.due(at: 0) { FileFacts.read(directory: inbox.path, name: $0) }
        #expect(ready == [ReadyFile(name: "link.csv", reason: .notRegular)])

        let outcome = try Claim.take("link.csv", from: InboxFolders(inbox: inbox.path))
        #expect(outcome == .notTaken(name: "link.csv", reason: .symlink))
        #expect(FileSystem.lstatInfo(inbox.file("link.csv")).map { ($0.st_mode & S_IFMT) == S_IFLNK } == true)
        #expect(outside.read("secret.csv") == "phone\n4155552671\n")
        #expect(!inbox.exists(PickupNames.workFolder + "/link.csv"))
    }

    /// The blocking wait runs on its own thread, as in the daemon, so a busy task pool cannot delay it.
    @Test func cancelStopsABlockedWaitPromptly() throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        let started = ContinuousClock.now
        let done = DispatchSemaphore(value: 0)
        let result = LockedBox<[WatchEvent]??>(nil)
        Thread.detachNewThread {
            result.set(try? watcher.next(timeout: 10))
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)
        watcher.cancel()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(result.get() == .some(.none))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func eventStreamDeliversUntilTheConsumerStops() async throws {
        let dir = TempDir()
        let watcher = try InotifyWatcher(directory: dir.path)
        let stream = watcher.events()
        let reader = Task {
            for await event in stream where event.kind == .movedIn { return event.name }
            return ""
        }
        dir.write(".t", "data")
        #expect(rename(dir.file(".t"), dir.file("s.csv")) == 0)
        let timeout = Task {
            try await Task.sleep(for: .seconds(5))
            watcher.cancel()
        }
        let name = await reader.value
        timeout.cancel()
        #expect(name == "s.csv")
    }
}
