import DropdialConfig
import DropdialImport
import DropdialReaders
import Foundation

/// A row source over literal rows, numbered from 1: the seam that lets validation and the
/// import be tested without files.
public final class ArrayRowSource: RowSource {
    public let format: FileFormat = .csv
    public let sheetName: String? = nil
    private var rows: [[String]]
    private var next = 0

    public init(_ rows: [[String]]) { self.rows = rows }

    public func nextRow() throws(ReaderError) -> SourceRow? {
        guard next < rows.count else { return nil }
        defer { next += 1 }
        return SourceRow(number: next + 1, cells: rows[next])
    }
}

/// Runs the import's row pipeline over literal rows; returns the report and the calls it would insert.
public func validate(_ rows: [[String]], settings: BatchSettings = BatchSettings()) throws -> (ImportReport, [CallDraft]) {
    var report = ImportReport(file: "t.csv", sha256: "", inbox: "inbox", policy: settings.invalidRows.rawValue,
                              startedAt: .init(timeIntervalSince1970: 0))
    var calls: [CallDraft] = []
    try RowPipeline(settings: settings).run(ArrayRowSource(rows), report: &report) { calls.append($0) }
    return (report, calls)
}
