import DropdialTestKit
import DropdialConfig
import DropdialImport
import DropdialStore
import Foundation
import Testing

/// A file that changes while it is read is never committed half (issue: a paused upload).
@Suite struct FileChangedTests {
    @Test func aFileThatGrowsDuringItsImportIsRolledBack() throws {
        let dir = try Scratch.folder("changed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("grows.csv").path
        var text = "phone\n"
        for i in 0..<5000 { text += "+1415555\(String(format: "%04d", i))\n" }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let store = try Store(path: dir.appendingPathComponent("t.sqlite").path)
        // A writer appends while the import reads (the progress hook runs every 1024 rows).
        let hooks = ImportHooks(onProgress: { row in
            guard row > 2000, let h = FileHandle(forWritingAtPath: path) else { return }
            h.seekToEndOfFile()
            h.write(Data("+12125550100\n".utf8))
            try? h.close()
        })
        let report = try Importer(inbox: InboxConfig()).run(path: path, store: store, hooks: hooks)
        #expect(report.status == .failed)
        #expect(report.errorCode == Importer.fileChangedCode)
        #expect(report.batchId == nil)
        #expect(try store.batches().isEmpty, "nothing was committed")
        // Once quiet, the same file imports whole.
        let again = try Importer(inbox: InboxConfig()).run(path: path, store: store)
        #expect(again.status == .imported)
        #expect(again.counts.imported > 5000)
    }
}
