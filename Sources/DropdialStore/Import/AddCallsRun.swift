import DropdialReaders
import DropdialImport
import Foundation

/// `dropdial add-calls ID FILE` (seeds 001/004): the file's contacts validated against the
/// batch's own rules by the import's pipeline (header aliases, phone normalization, required
/// variables, zones, in-file duplicates, do-not-call), then written 1000 valid contacts per
/// chunk, each chunk in its own transaction.
public enum AddCallsRun {
    public static let chunkSize = 1000

    /// Validates and writes `path` into batch `batch`. Throws `AddCallsError` for an unknown or
    /// cancelled batch; everything about the file itself is in the response.
    public static func run(path: String, batch: Int64, store: any StoreEngine, now: Date = Date(),
                           fault: (@Sendable (Int) throws -> Void)? = nil) throws -> AddCallsResponse {
        let target = try store.addCallsTarget(batch)
        var report = ImportReport(file: URL(fileURLWithPath: path).lastPathComponent, sha256: "", inbox: "",
                                  policy: target.settings.invalidRows.rawValue, startedAt: now)
        let source: any RowSource
        do {
            source = try RowReader.open(path: path, acceptingJSON: true)
        } catch {
            return .rejected(error.description, report: report)
        }
        var pipeline = RowPipeline(settings: target.settings)
        pipeline.suppression = SuppressionList(numbers: try store.dncNumbers())
        var calls: [CallDraft] = []
        try pipeline.run(source, report: &report) { calls.append($0) }
        guard report.status == .imported else {
            return .rejected(report.error ?? "the file was rejected", report: report)
        }
        let chunks = stride(from: 0, to: calls.count, by: chunkSize).map {
            AddCallsChunk(number: $0 / chunkSize + 1, calls: Array(calls[$0..<min($0 + chunkSize, calls.count)]))
        }
        let result = try store.addCalls(batch: batch, chunks: chunks, now: now, fault: fault)
        return .written(result, chunks: chunks.count, batch: batch, report: report)
    }
}
