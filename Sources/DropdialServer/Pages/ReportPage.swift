import DropdialConfig
import DropdialImport
import DropdialPickup
import DropdialReaders
import DropdialStore
import Foundation

/// A file's report page (SPEC §10): the file-level problem in plain words, the counts, the
/// rejected rows as the user wrote them (every column, the failing cells marked with their
/// message), the duplicate and suppressed rows, and the downloads.
///
/// The rows come from the errors workbook beside the archived file (its cells are exactly the
/// file's), or from the errors CSV when there is no workbook, one page at a time: a page reads
/// only the rows up to its own, so a file of 100,000 rejected rows costs what its first page does.
struct ReportPage {
    static let rowsPerPage = 50

    var id: Int64
    var name: String
    var status: String
    var inbox: String
    var received: String
    var batchId: Int64?
    var problem: Problem?
    var counts: ImportCounts?
    var hasErrors: Bool
    var hasOriginal: Bool
    var rejected: Rejected?
    var duplicates: [ImportReport.DuplicateRow]
    var hasDuplicates: Bool
    var suppressed: [ImportReport.SuppressedRow]
    var hasSuppressed: Bool
    var listNote: String?

    struct Problem {
        var what: String
        var todo: String
        var detail: String?
    }

    struct Rejected {
        var header: [String]
        var rows: [Row]
        var pager: Pager?
        var truncatedNote: String?
    }

    struct Row {
        var number: String
        var cells: [Cell]
        var note: String?
    }

    struct Cell {
        var text: String
        var bad: Bool
        var message: String
    }

    init(entry: FileEntry, report json: String?, inbox config: InboxConfig?, page: Int) {
        let report = json.flatMap { try? ReportFile.decode(Data($0.utf8)) }
        id = entry.id
        name = entry.name
        status = entry.status
        inbox = entry.inbox
        received = PageText.time(entry.receivedAt)
        batchId = entry.batchId ?? report?.batchId
        counts = report?.counts ?? entry.counts
        problem = nil
        if let report, let code = report.errorCode, report.status != .imported, report.status != .duplicate,
           let words = FileProblem.words(code: code) {
            problem = Problem(what: words.what, todo: words.todo, detail: report.error)
        }
        let archived = entry.archivedAs.flatMap { name in config.map { $0.path + "/" + name } }
        let workbook = archived.map { $0 + PickupNames.workbookSuffix }
        let csv = archived.map { $0 + PickupNames.errorsSuffix }
        hasOriginal = archived.map { FileManager.default.fileExists(atPath: $0) } ?? false
        let source: (path: String, guarded: Bool)? =
            if let workbook, FileManager.default.fileExists(atPath: workbook) { (workbook, false) }
            else if let csv, FileManager.default.fileExists(atPath: csv) { (csv, true) }
            else { nil }
        hasErrors = source != nil
        rejected = source.flatMap { Self.rejected(path: $0.path, guarded: $0.guarded, report: report, id: entry.id, page: page) }
        duplicates = Array((report?.duplicateRows ?? []).prefix(Self.rowsPerPage))
        suppressed = Array((report?.suppressedRows ?? []).prefix(Self.rowsPerPage))
        hasDuplicates = !duplicates.isEmpty
        hasSuppressed = !suppressed.isEmpty
        let more = (report?.duplicateRows.count ?? 0) > Self.rowsPerPage || (report?.suppressedRows.count ?? 0) > Self.rowsPerPage
        listNote = more ? "The first \(Self.rowsPerPage) duplicate and do-not-call rows are shown; the report (GET /api/files/\(entry.id)) lists up to \(ImportReport.listLimit)." : nil
    }

    /// Page `page` of the rejected rows in the errors file at `path`.
    static func rejected(path: String, guarded: Bool, report: ImportReport?, id: Int64, page: Int) -> Rejected? {
        guard let source = try? RowReader.open(path: path) else { return nil }
        guard let headerRow = try? source.nextRow() else { return nil }
        var header = headerRow.cells.map { guarded ? unguarded($0) : $0 }
        guard header.last == "error" else { return nil }
        header.removeLast()
        // The rows' numbers in the user's file, in the order they were rejected (as far as the
        // report lists them).
        var numbers: [Int] = []
        for issue in report?.errors ?? [] where numbers.last != issue.row { numbers.append(issue.row) }
        let first = (page - 1) * rowsPerPage
        var rows: [Row] = []
        var index = 0
        while let row = try? source.nextRow() {
            defer { index += 1 }
            guard index >= first else { continue }
            guard rows.count < rowsPerPage else { break }
            var cells = row.cells.map { guarded ? unguarded($0) : $0 }
            if cells.count < header.count + 1 { cells += Array(repeating: "", count: header.count + 1 - cells.count) }
            let errorText = cells[header.count]
            let failing = RejectedRow.failingCells(header: header, errorText: errorText)
            let shown = Array(cells.prefix(header.count)).enumerated().map { column, text in
                Cell(text: text, bad: failing[column] != nil, message: failing[column] ?? "")
            }
            // An issue that names no column of the header is shown beside the row's number.
            rows.append(Row(number: index < numbers.count ? String(numbers[index]) : "", cells: shown,
                            note: failing.isEmpty && !errorText.isEmpty ? errorText : nil))
        }
        let total = max(report?.counts.invalid ?? 0, first + rows.count)
        let pager = Pager.make(page: page, total: total, perPage: rowsPerPage) { "/files/\(id)?page=\($0)" }
        let note: String? = report?.errorsTruncated == true
            ? "Row numbers are shown for the first \(numbers.count) rows the report lists." : nil
        return Rejected(header: header, rows: rows, pager: pager, truncatedNote: note)
    }

    /// A cell of the errors CSV as it was written: the CSV guards a cell that starts with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return with one `'` (SPEC §10), taken off again here.
    static func unguarded(_ cell: String) -> String {
        let bytes = cell.utf8
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "'"),
              [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(bytes[bytes.index(after: bytes.startIndex)]) else { return cell }
        return String(cell.dropFirst())
    }
}
