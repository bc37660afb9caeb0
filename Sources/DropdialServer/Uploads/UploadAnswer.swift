import DropdialBase
import DropdialConfig
import DropdialImport
import Foundation
import Hummingbird

/// The answers to an upload, in each seed's shape, with the file's report (SPEC §5) embedded
/// byte for byte as it was written beside the archived file.
enum UploadAnswer {
    /// Seed 000: 201 `{message, status, code, data: {batchId, batchName, callingNumbers, counts, report}}`;
    /// 200 with the earlier batch for a duplicate; 422 `{error, code, report}` for a rejected file.
    static func seed000(_ report: ImportReport, settings: BatchSettings) -> Response {
        switch report.status {
        case .imported, .duplicate:
            let duplicate = report.status == .duplicate
            let batchId = duplicate ? report.duplicateOf : report.batchId
            let body = Seed000(
                message: duplicate ? "the same file was imported before, as batch \(batchId.map(String.init) ?? "?")"
                                   : "CSV uploaded successfully",
                status: true, code: duplicate ? 200 : 201,
                data: .init(batchId: batchId, batchName: settings.batchName, callingNumbers: settings.callingNumbers,
                            counts: report.counts, report: Placeholder.report))
            return respond(body, report: report, status: duplicate ? .ok : .created)
        case .rejected, .failed:
            return rejected(report)
        }
    }

    /// Seed 003: 201 `{batchId, totalCalls, status: "queued", message}`; 200 `status: "duplicate"`
    /// with the earlier batch; 422 `{error, code, report}`.
    static func seed003(_ report: ImportReport) -> Response {
        switch report.status {
        case .imported:
            return JSONBody.response(Seed003(batchId: report.batchId, totalCalls: report.counts.imported, status: "queued",
                                             message: "Batch calls initiated successfully"), status: .created)
        case .duplicate:
            return JSONBody.response(Seed003(batchId: report.duplicateOf, totalCalls: nil, status: "duplicate",
                                             message: "the same file was imported before; nothing new was queued"))
        case .rejected, .failed:
            return rejected(report)
        }
    }

    static func rejected(_ report: ImportReport) -> Response {
        let body = Rejected(error: report.error ?? "the file was rejected; its report says why",
                            code: report.errorCode ?? "file_rejected", report: Placeholder.report)
        return respond(body, report: report, status: .unprocessableContent)
    }

    struct Seed000: Encodable {
        var message: String
        var status: Bool
        var code: Int
        var data: Data
        struct Data: Encodable {
            @NullWhenAbsent var batchId: Int64?
            @NullWhenAbsent var batchName: String?
            var callingNumbers: [String]
            var counts: ImportCounts
            var report: String
        }
    }

    struct Seed003: Encodable {
        @NullWhenAbsent var batchId: Int64?
        @NullWhenAbsent var totalCalls: Int?
        var status: String
        var message: String
    }

    struct Rejected: Encodable {
        var error: String
        var code: String
        var report: String
    }

    /// A string no field can hold (it has control characters the encoder escapes), replaced by
    /// the report's own JSON after encoding.
    enum Placeholder {
        static let report = "\u{1}dropdial-report\u{1}"
        /// The placeholder as the encoder writes it.
        static let encoded = ((try? JSONStyle.encoder().encode(report)) ?? Data()).map { $0 }
    }

    static func respond(_ body: some Encodable, report: ImportReport, status: HTTPResponse.Status) -> Response {
        guard var bytes = try? JSONStyle.encoder().encode(body).map({ $0 }),
              let embedded = try? ReportFile.encode(report),
              let at = bytes.firstRange(of: Placeholder.encoded) else {
            return JSONBody.response(APIError.Body(error: "cannot encode the answer", code: "internal"),
                                     status: .internalServerError)
        }
        var reportBytes = Array(embedded)
        while reportBytes.last == 0x0A { reportBytes.removeLast() }
        bytes.replaceSubrange(at, with: reportBytes)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes + [0x0A])))
    }
}
