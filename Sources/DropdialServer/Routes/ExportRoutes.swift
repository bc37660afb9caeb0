import DropdialStore
import DropdialWriters
import Foundation
import Hummingbird

/// `GET /api/call/export/{batchId}?format=csv|xlsx` (SPEC §8, §10): the batch's results as an
/// attachment. The CSV streams a page of calls at a time; the workbook is written to a temporary
/// file by libxlsxwriter (constant memory) and streamed from it. A batch outside the key's
/// inboxes is 404.
struct ExportRoutes {
    let store: any StoreEngine

    enum Format: String {
        case csv, xlsx
    }

    func register(on api: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .get, "call/export/{batchId}", role: .viewer) { request, context, key in
            let id = try BatchRoutes.batch(context, key, store: store)
            let q = request.uri.queryParameters
            if let unknown = q.map(\.key).first(where: { $0 != "format" }) {
                throw APIError.badRequest(code: "unknown_parameter", "unknown query parameter \(unknown); known: format")
            }
            let text = q["format"].map(String.init) ?? "csv"
            guard let format = Format(rawValue: text) else {
                throw APIError.badRequest(code: "invalid_format", "format=\(text): use csv or xlsx")
            }
            return try answer(batch: id, format: format)
        }
    }

    /// Batch `id`'s results as an attachment in `format` (also the batch page's export).
    func answer(batch id: Int64, format: Format) throws -> Response {
        guard let export = try store.resultsExport(batch: id) else { throw APIError.notFound("no batch \(id)") }
        var headers = HTTPFields()
        headers[.contentDisposition] = FileRoutes.attachment("batch-\(id)-results.\(format.rawValue)")
        switch format {
        case .csv:
            headers[.contentType] = "text/csv; charset=utf-8"
            return Response(status: .ok, headers: headers, body: csv(export))
        case .xlsx:
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            return Response(status: .ok, headers: headers, body: try xlsx(export))
        }
    }

    /// The CSV, a page of calls per write.
    private func csv(_ export: ResultsExport) -> ResponseBody {
        let store = self.store
        return ResponseBody { writer in
            var buffer = ByteBuffer(bytes: CSVCells.byteOrderMark)
            buffer.writeString(CSVCells.line(export.header))
            var after: Int64 = 0
            while true {
                let (rows, last) = try export.page(store, after: after)
                for row in rows { buffer.writeString(CSVCells.line(row)) }
                try await writer.write(buffer)
                buffer.clear()
                guard let last else { break }
                after = last
            }
            try await writer.finish(nil)
        }
    }

    /// The workbook, written whole to a temporary file that is unlinked once opened for the answer.
    private func xlsx(_ export: ResultsExport) throws -> ResponseBody {
        let folder = NSTemporaryDirectory()
        let path = folder + "/dropdial-export-\(UUID().uuidString).xlsx"
        defer { unlink(path) }
        do {
            try ResultsWorkbook.write(export, store: store, to: path, tempFolder: folder)
        } catch let error as XLSXWriteError {
            if case .tooManyRows = error { throw APIError(.unprocessableContent, code: "too_many_rows", error.description) }
            throw error
        }
        guard let body = FileRoutes.regularFile(path) else { throw XLSXWriteError.open(path: path) }
        return body
    }
}
