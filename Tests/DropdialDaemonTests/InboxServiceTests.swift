import DropdialTestKit
@testable import DropdialDaemon
import DropdialConfig
import DropdialStore
import Foundation
import Logging
import Testing

/// One inbox that cannot be watched never stops the daemon: it is tried again until it can be.
@Suite struct InboxServiceTests {
    @Test func anInboxThatCannotBeSetUpIsTriedAgainNotFatal() async throws {
        let dir = try Scratch.folder("late").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = InboxConfig(name: "late", path: dir + "/late", settleSeconds: 0.2, create: false)
        let store = try Store(path: dir + "/t.sqlite")
        let service = InboxService(inbox: inbox, store: store, logger: Logger(label: "test"))
        let task = Task { try await service.run() }
        defer { task.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        #expect(!task.isCancelled, "still trying, not ended")
        // The folder appears later (mounted, restored): the next try watches it.
        try FileManager.default.createDirectory(atPath: dir + "/late", withIntermediateDirectories: false)
        try Data("phone\n+14155550100\n".utf8).write(to: URL(fileURLWithPath: dir + "/late/a.csv.part"))
        try FileManager.default.moveItem(atPath: dir + "/late/a.csv.part", toPath: dir + "/late/a.csv")
        // Generous: the service's retry sleeps on the shared cooperative pool, which the blocking
        // end-to-end suites running beside this one can keep busy for a while (a CI run took 187 s).
        let deadline = Date().addingTimeInterval(240)
        while !FileManager.default.fileExists(atPath: dir + "/late/processed/a.csv.report.json"), Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/late/processed/a.csv.report.json"))
        #expect(try store.batches().count == 1)
    }
}
