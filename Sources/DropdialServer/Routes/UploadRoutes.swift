import DropdialBase
import DropdialConfig
import DropdialImport
import DropdialPickup
import DropdialReaders
import DropdialStore
import Foundation
import Hummingbird

/// Seeds 000 and 003: `POST /api/call/upload-csv` and `POST /v1/api/batch-calls`. The body is
/// read as a stream into a staged file in the inbox's work folder (at most the limit is
/// written), the fields become the file's manifest, and the file then goes through the drop
/// pipeline; the answer comes once it is committed or rejected (SPEC §8).
struct UploadRoutes {
    let config: DropdialConfig
    let desk: any UploadDesk
    let limit: Int64

    func register(on api: RouterGroup<APIContext>, v1: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .post, "call/upload-csv", role: .operator) { request, _, key in
            let (inbox, form, report) = try await receive(request, key: key, known: UploadForm.uploadFields)
            return UploadAnswer.seed000(report, settings: settings(inbox, form))
        }
        table.add(v1, under: "/v1/api/", .post, "batch-calls", role: .operator) { request, _, key in
            let (_, _, report) = try await receive(request, key: key, known: UploadForm.batchCallFields,
                                                   required: ["agentId"])
            return UploadAnswer.seed003(report)
        }
    }

    func settings(_ inbox: InboxConfig, _ form: UploadForm) -> BatchSettings {
        var settings = inbox.settings
        form.manifest.apply(to: &settings)
        return settings
    }

    /// The inbox an upload goes to: the `inbox` field, else the key's first inbox, else the
    /// first configured one. One the key may not use is 404, as if it did not exist.
    func inbox(named name: String?, key: APIKey) throws(APIError) -> InboxConfig {
        let wanted = name ?? key.inboxes.first ?? config.inboxes.first?.name
        guard let wanted, let inbox = config.inboxes.first(where: { $0.name == wanted }), key.sees(inbox: inbox.name) else {
            throw APIError.notFound("no inbox \(name ?? "")")
        }
        return inbox
    }

    /// Streams the body into a staged file, checks the fields, and hands the file to its inbox.
    func receive(_ request: Request, key: APIKey, known: Set<String>,
                 required: [String] = []) async throws -> (InboxConfig, UploadForm, ImportReport) {
        guard let type = request.headers[.contentType], let form = MultipartForm(contentType: type) else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type",
                           "send the upload as multipart/form-data with a boundary and a file field")
        }
        if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
            throw Self.tooLarge(limit)
        }
        let state = Staging()
        form.onFileStart = { fields, _ in
            let inbox = try inbox(named: fields["inbox"], key: key)
            guard let staged = try desk.stage(inbox: inbox.name) else {
                throw APIError(.serviceUnavailable, code: "inbox_unavailable",
                               "inbox \(inbox.name) is not watched right now; try again shortly")
            }
            state.staged = staged
            state.inbox = inbox
        }
        form.onFileBytes = { bytes in try state.write(bytes) }
        do {
            var total: Int64 = 0
            for try await chunk in request.body {
                total += Int64(chunk.readableBytes)
                guard total <= limit else { throw Self.tooLarge(limit) }
                do { try form.feed(chunk) } catch { throw Self.answer(error, sink: form.sinkError) }
            }
            do { try form.finish() } catch { throw Self.answer(error, sink: form.sinkError) }
            guard let inbox = state.inbox, let staged = state.staged else {
                throw APIError.badRequest(code: "missing_file", "no file field; send the contacts as -F file=@contacts.csv")
            }
            if let late = form.fields["inbox"], late != inbox.name {
                throw APIError.badRequest(code: "invalid_field", "inbox: send the inbox field before the file field")
            }
            if let missing = required.first(where: { form.fields[$0] == nil }) {
                throw APIError.badRequest(code: "missing_field", "\(missing): this field is required")
            }
            let fields = try UploadForm(fields: form.fields, known: known, defaults: inbox.settings)
            let clientName = form.fileName ?? "upload"
            guard FileFormat(fileName: PickupNames.uploadName(clientName)) != nil else {
                throw APIError.badRequest(code: "unsupported_type", ReaderError.unsupportedType(clientName).description)
            }
            try state.flush()
            state.staged = nil
            let manifest = form.fields.keys.contains(where: { $0 != "inbox" }) ? fields.manifestJSON : nil
            switch await desk.submit(staged, clientName: clientName, manifest: manifest) {
            case .finished(let report): return (inbox, fields, report)
            case .kept(let reason):
                throw APIError(.serviceUnavailable, code: "kept_for_retry",
                               "the upload is kept and imported once this clears: \(reason); sending it again answers duplicate")
            case .refused(let reason):
                throw APIError(.serviceUnavailable, code: "unavailable", reason)
            }
        } catch {
            if let staged = state.staged { UploadStaging.discard(staged) }
            throw error
        }
    }

    static func tooLarge(_ limit: Int64) -> APIError {
        APIError(.contentTooLarge, code: "file_too_large", "the upload is over \(limit) bytes ([http] max_upload_mb)")
    }

    static func answer(_ failure: MultipartForm.Failure, sink: (any Error)?) -> any Error {
        switch failure {
        case .syntax: return APIError.badRequest(code: "invalid_multipart", "the body is not valid multipart/form-data")
        case .unnamedPart: return APIError.badRequest(code: "invalid_multipart", "a part has no name in its Content-Disposition")
        case .duplicateFile: return APIError.badRequest(code: "duplicate_file", "two file fields; send one file per upload")
        case .duplicateField(let name): return APIError.badRequest(code: "invalid_field", "\(name): sent twice")
        case .fieldTooLarge(let name): return APIError.badRequest(code: "invalid_field", "\(name): over 64 KiB")
        case .tooManyParts: return APIError.badRequest(code: "invalid_multipart", "too many parts")
        case .overheadTooLarge: return APIError.badRequest(code: "invalid_multipart", "the fields and part headers are over 1 MiB")
        case .truncated: return APIError.badRequest(code: "truncated_body", "the body ends before its closing boundary")
        case .sink:
            if let api = sink as? APIError { return api }
            return APIError(.serviceUnavailable, code: "unavailable", "the upload cannot be stored: \(sink.map { "\($0)" } ?? "unknown"); try again later")
        }
    }

    /// What the streaming callbacks learn: the staged file and its inbox. The parser hands the
    /// file over in pieces as small as a line (each CR may start a boundary), so the bytes are
    /// gathered into 256 KiB writes instead of one system call per piece.
    final class Staging {
        var staged: StagedUpload?
        var inbox: InboxConfig?
        private var pending: [UInt8] = []
        static let writeSize = 256 * 1024
        /// Bytes written, and where the last writeback kick started.
        private var written: Int64 = 0
        private var kicked: Int64 = 0
        static let writebackSize: Int64 = 8 << 20

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard staged != nil else { return }
            if pending.capacity < Self.writeSize { pending.reserveCapacity(Self.writeSize) }
            pending.append(contentsOf: bytes)
            if pending.count >= Self.writeSize { try flush() }
        }

        func flush() throws {
            guard let staged, !pending.isEmpty else { return }
            try pending.withUnsafeBytes { try UploadStaging.append($0, to: staged) }
            written += Int64(pending.count)
            pending.removeAll(keepingCapacity: true)
            if written - kicked >= Self.writebackSize {
                UploadStaging.startWriteback(staged, offset: kicked, count: written - kicked)
                kicked = written
            }
        }
    }
}
