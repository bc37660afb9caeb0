import DropdialConfig
import DropdialPickup
import DropdialStore
import Foundation
import Hummingbird
#if canImport(Glibc)
import Glibc
#endif

/// `GET /api/files`, `/api/files/{fileId}` and `/api/files/{fileId}/errors.csv|xlsx` (SPEC §8): the
/// files the daemon took, each one's report, and the rows to fix. A file outside the key's
/// inboxes is 404, as if it did not exist.
struct FileRoutes {
    let config: DropdialConfig
    let store: any StoreEngine

    func register(on api: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .get, "files", role: .viewer) { request, _, key in
            let q = request.uri.queryParameters
            let known: Set<Substring> = ["inbox", "status", "page", "limit"]
            if let unknown = q.map(\.key).first(where: { !known.contains($0) }) {
                throw APIError.badRequest(code: "unknown_parameter", "unknown query parameter \(unknown); known: inbox, status, page, limit")
            }
            var inboxes = key.inboxes
            if let inbox = q["inbox"].map(String.init) {
                guard config.inboxes.contains(where: { $0.name == inbox }), key.sees(inbox: inbox) else {
                    throw APIError.notFound("no inbox \(inbox)")
                }
                inboxes = [inbox]
            }
            var status: FileOutcome?
            if let text = q["status"].map(String.init) {
                guard let s = FileOutcome(rawValue: text) else {
                    throw APIError.badRequest(code: "invalid_status",
                                              "status=\(text): use one of \(FileOutcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = s
            }
            let paging = try BatchRoutes.paging(request)
            return JSONBody.response(try store.files(inboxes: inboxes, status: status, page: paging.page, limit: paging.limit))
        }
        table.add(api, .get, "files/{fileId}", role: .viewer) { _, context, key in
            let (_, report) = try file(context, key)
            guard let report else { throw APIError.notFound("no report is stored for this file") }
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: report)))
        }
        for kind in RowsToFix.allCases {
            table.add(api, .get, "files/{fileId}/\(kind.route)", role: .viewer) { _, context, key in
                try rowsToFix(kind, try file(context, key).0)
            }
        }
    }

    /// The two files of rows to fix (SPEC §10), as they lie beside the archived file.
    enum RowsToFix: CaseIterable {
        case csv, workbook

        var route: String { self == .csv ? "errors.csv" : "errors.xlsx" }
        var suffix: String { self == .csv ? PickupNames.errorsSuffix : PickupNames.workbookSuffix }
        var contentType: String {
            self == .csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// `entry`'s errors CSV or workbook as an attachment; 404 `no_errors` when it has none.
    func rowsToFix(_ kind: RowsToFix, _ entry: FileEntry) throws -> Response {
        guard let archivedAs = entry.archivedAs, let inbox = config.inboxes.first(where: { $0.name == entry.inbox }),
              let body = Self.regularFile(inbox.path + "/" + archivedAs + kind.suffix) else {
            throw APIError(.notFound, code: "no_errors", "file \(entry.id) has no rows to fix")
        }
        var headers = HTTPFields()
        headers[.contentType] = kind.contentType
        headers[.contentDisposition] = Self.attachment(PickupNames.uploadName(entry.name) + kind.suffix)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The file of the `fileId` parameter, if the key may see it.
    func file(_ context: APIContext, _ key: APIKey) throws -> (FileEntry, String?) {
        let text = context.parameters.get("fileId") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw APIError.badRequest(code: "invalid_file_id", "\(text) is not a file id (a positive whole number)")
        }
        guard let found = try store.file(id), key.sees(inbox: found.entry.inbox) else { throw APIError.notFound("no file \(id)") }
        return found
    }

    /// `attachment; filename="…"` with an ASCII fallback and the UTF-8 name (RFC 6266).
    static func attachment(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: ".-_"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// A regular file's contents streamed in 64 KiB chunks (never followed through a symlink),
    /// or nil when there is none.
    static func regularFile(_ path: String) -> ResponseBody? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let size = Int(st.st_size)
        return ResponseBody(contentLength: size) { writer in
            var left = size
            while left > 0, let chunk = try handle.read(upToCount: min(65536, left)), !chunk.isEmpty {
                left -= chunk.count
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
    }
}
