import DropdialImport
import DropdialWriters
import Foundation

/// `NAME.errors.csv`: the rejected rows as the user wrote them plus an `error` column, so a person
/// can fix them in a spreadsheet and drop the file again. A cell a spreadsheet would run as a
/// formula gets one leading `'` (SPEC §10; the importer strips it from phone cells again). It stops
/// at `byteLimit` (rows of huge cells would otherwise be held in memory whole) with a last line
/// saying so; the report still lists every rejected row.
final class ErrorsCSV: @unchecked Sendable {
    static let byteLimit = 32 << 20
    private let lock = NSLock()
    private var text = ""
    /// `text.utf8.count`, kept as rows are added (counting it anew per row is quadratic).
    private var bytes = 0
    private var wroteHeader = false
    private var full = false

    /// The import hook that collects rows (called on the importing thread).
    var hook: @Sendable ([String], [String], [RowIssue]) -> Void {
        { [self] header, cells, issues in
            lock.lock()
            defer { lock.unlock() }
            if !wroteHeader {
                append(header + ["error"])
                wroteHeader = true
            }
            guard !full else { return }
            append(RejectedRow.cells(header: header, cells: cells, issues: issues))
            if bytes >= Self.byteLimit {
                full = true
                append(["(the list stops here at \(Self.byteLimit >> 20) MB; the report lists every rejected row)"])
            }
        }
    }

    /// The CSV bytes (UTF-8 with BOM so Excel reads accents right), or nil when no row was rejected.
    var data: Data? {
        lock.lock()
        defer { lock.unlock() }
        guard wroteHeader else { return nil }
        return Data(CSVCells.byteOrderMark) + Data(text.utf8)
    }

    private func append(_ cells: [String]) {
        let line = CSVCells.line(cells)
        text += line
        bytes += line.utf8.count
    }
}
