import DropdialImport
import DropdialWriters
import Foundation

/// `NAME.errors.csv`: the rejected rows as the user wrote them plus an `error` column, so a person
/// can fix them in a spreadsheet and drop the file again. A cell a spreadsheet would run as a
/// formula gets one leading `'` (SPEC §10; the importer strips it from phone cells again).
///
/// Written as the import rejects rows, through a 256 KiB buffer, to the claim's staged path in the
/// work folder (UTF-8 with BOM, so Excel reads accents right); the archive moves it beside the
/// file. Memory does not grow with the rejected rows. It stops at `byteLimit` with a last line
/// saying so; the report still counts every rejected row.
final class ErrorsCSV: @unchecked Sendable {
    static let byteLimit = 32 << 20
    private static let bufferSize = 256 << 10
    private let lock = NSLock()
    private let path: String
    private var file: FileHandle?
    private var buffer: [UInt8] = []
    /// Bytes written so far, the header included.
    private var bytes = 0
    private var full = false
    /// Why the file could not be written, if it could not.
    private(set) var failure: (any Error)?

    init(path: String) {
        self.path = path
        unlink(path)   // a stale one from an earlier, interrupted attempt
    }

    /// The import hook that writes rows (called on the importing thread).
    var hook: @Sendable ([String], [String], [RowIssue]) -> Void {
        { [self] header, cells, issues in
            lock.lock()
            defer { lock.unlock() }
            guard failure == nil, !full else { return }
            do {
                if file == nil {
                    guard FileManager.default.createFile(atPath: path, contents: nil),
                          let handle = FileHandle(forWritingAtPath: path) else {
                        throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
                    }
                    file = handle
                    buffer.append(contentsOf: CSVCells.byteOrderMark)
                    try append(header + ["error"])
                }
                try append(RejectedRow.cells(header: header, cells: cells, issues: issues))
                if bytes >= Self.byteLimit {
                    full = true
                    try append(["(the list stops here at \(Self.byteLimit >> 20) MB; the report lists every rejected row)"])
                }
            } catch {
                failure = error
                try? file?.close()
                file = nil
                unlink(path)
            }
        }
    }

    /// Finishes the file, durable on disk; true when there is one to archive.
    func close() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let handle = file else { return false }
        file = nil
        do {
            try handle.write(contentsOf: buffer)
            buffer.removeAll()
            try handle.synchronize()
            try handle.close()
            return true
        } catch {
            failure = error
            unlink(path)
            return false
        }
    }

    private func append(_ cells: [String]) throws {
        let line = CSVCells.line(cells)
        buffer.append(contentsOf: line.utf8)
        bytes += line.utf8.count
        if buffer.count >= Self.bufferSize, let file {
            try file.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
