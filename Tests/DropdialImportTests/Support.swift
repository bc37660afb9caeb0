@testable import DropdialImport
import DropdialConfig
import DropdialReaders
import DropdialStore
import Foundation

/// A row source over literal rows: the seam that lets validation be tested without files.
final class ArrayRowSource: RowSource {
    let format: FileFormat = .csv
    let sheetName: String? = nil
    private var rows: [[String]]
    private var next = 0

    init(_ rows: [[String]]) { self.rows = rows }

    func nextRow() throws(ReaderError) -> SourceRow? {
        guard next < rows.count else { return nil }
        defer { next += 1 }
        return SourceRow(number: next + 1, cells: rows[next])
    }
}

/// Runs the row pipeline over literal rows and returns the report plus the calls it would insert.
func validate(_ rows: [[String]], settings: BatchSettings = BatchSettings()) throws -> (ImportReport, [CallDraft]) {
    var report = ImportReport(file: "t.csv", sha256: "", inbox: "inbox", policy: settings.invalidRows.rawValue,
                              startedAt: .init(timeIntervalSince1970: 0))
    var calls: [CallDraft] = []
    try RowPipeline(settings: settings).run(ArrayRowSource(rows), report: &report) { calls.append($0) }
    return (report, calls)
}

/// The field a manifest is refused for (`"<root>"` for the whole text), or nil when it is accepted.
func refusedManifestField(_ json: String) -> String? {
    do {
        _ = try Manifest(json: Data(json.utf8))
        return nil
    } catch {
        return error.field ?? "<root>"
    }
}
