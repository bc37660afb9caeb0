import DropdialImport
import DropdialWriters
import Foundation

/// `NAME.errors.xlsx` (SPEC §10): the rows of `NAME.errors.csv` in a workbook Excel cannot mangle:
/// every cell text (so `+14155550132` and `00441234` stay as written), the failing cells filled red
/// with their message as the cell's comment, and the `error` column. Written row by row as the
/// import rejects them (libxlsxwriter's constant-memory mode) to the claim's staged path in the
/// work folder; the archive moves it beside the file. It stops where ``ErrorsCSV`` stops.
final class ErrorsWorkbook: @unchecked Sendable {
    private let lock = NSLock()
    private let path: String
    private let tempFolder: String
    private var sheet: XLSXSheetWriter?
    private var bytes = 0
    private var rows = 0
    private var full = false
    /// Rows whose failing cells also get their message as a comment; libxlsxwriter keeps comments
    /// in memory until the file is closed, so past this the cells are only red (the `error`
    /// column still has every message). The report lists as many issues.
    static let commentedRows = ImportReport.listLimit
    /// Why the workbook could not be written, if it could not (the CSV still is).
    private(set) var failure: XLSXWriteError?

    init(path: String, tempFolder: String) {
        self.path = path
        self.tempFolder = tempFolder
        unlink(path)   // a stale one from an earlier, interrupted attempt
    }

    /// The import hook that writes rows (called on the importing thread).
    var hook: @Sendable ([String], [String], [RowIssue]) -> Void {
        { [self] header, cells, issues in
            lock.lock()
            defer { lock.unlock() }
            guard failure == nil, !full else { return }
            do throws(XLSXWriteError) {
                if sheet == nil {
                    let opened = try XLSXSheetWriter(path: path, sheetName: "errors", tempFolder: tempFolder)
                    sheet = opened
                    try opened.writeHeader(header + ["error"])
                }
                guard let sheet else { return }
                let row = RejectedRow.cells(header: header, cells: cells, issues: issues)
                let failing = RejectedRow.failingCells(header: header, issues: issues)
                rows += 1
                try sheet.write(row, marked: failing, comments: rows <= Self.commentedRows)
                bytes += row.reduce(0) { $0 + $1.utf8.count }
                if bytes >= ErrorsCSV.byteLimit {
                    full = true
                    try sheet.write(["(the list stops here at \(ErrorsCSV.byteLimit >> 20) MB; the report lists every rejected row)"])
                }
            } catch {
                failure = error
                sheet = nil
                unlink(path)
            }
        }
    }

    /// Finishes the file; true when there is one to archive.
    func close() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let open = sheet else { return false }
        sheet = nil
        do {
            try open.close()
            return true
        } catch {
            failure = error
            unlink(path)
            return false
        }
    }
}
