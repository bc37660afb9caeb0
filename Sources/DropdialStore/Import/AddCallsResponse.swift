import DropdialImport

/// What `add-calls --json` prints, in the seeds' shape: `{message, status, code, data}` with
/// `code` 200 (every chunk written), 207 (some chunks failed: `data.failedChunks`) or 400 (the
/// file was refused; nothing written). `status` is true only for 200.
public struct AddCallsResponse: Sendable, Encodable {
    public var message: String
    public var status: Bool
    public var code: Int
    public var data: Data

    public struct Data: Sendable, Encodable {
        public var totalAdded: Int
        public var ids: [Int64]
        public var failedChunks: [AddCallsResult.ChunkFailure]?
        public var inserted: Int
        public var updated: Int
        public var requeued: Int
        /// File rows left out: invalid (skip policy), duplicates of an earlier row, on the DNC list.
        public var invalid: Int
        public var duplicates: Int
        public var suppressed: Int
        /// Row errors (at most 100; `invalid` stays exact).
        public var errors: [RowIssue]
    }

    static let errorListLimit = 100

    static func rejected(_ message: String, report: ImportReport) -> AddCallsResponse {
        AddCallsResponse(message: message, status: false, code: 400, data: data(AddCallsResult(), report: report))
    }

    static func written(_ result: AddCallsResult, chunks: Int, batch: Int64, report: ImportReport) -> AddCallsResponse {
        let added = result.inserted + result.updated + result.requeued
        let counts = "\(result.inserted) new, \(result.updated) updated, \(result.requeued) requeued"
        var data = data(result, report: report)
        guard result.failedChunks.isEmpty else {
            data.failedChunks = result.failedChunks
            return AddCallsResponse(
                message: "\(result.failedChunks.count) of \(chunks) chunks failed and were not written; \(added) calls added to batch \(batch) (\(counts)); retry the rows of failedChunks",
                status: false, code: 207, data: data)
        }
        return AddCallsResponse(message: "\(added) calls added to batch \(batch) (\(counts))", status: true, code: 200, data: data)
    }

    private static func data(_ result: AddCallsResult, report: ImportReport) -> Data {
        Data(totalAdded: result.ids.count, ids: result.ids, failedChunks: nil, inserted: result.inserted,
             updated: result.updated, requeued: result.requeued, invalid: report.counts.invalid,
             duplicates: report.counts.duplicates, suppressed: report.counts.suppressed,
             errors: Array(report.errors.prefix(errorListLimit)))
    }
}
