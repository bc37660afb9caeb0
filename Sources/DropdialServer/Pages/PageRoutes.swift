import DropdialConfig
import DropdialImport
import DropdialPickup
import DropdialStore
import Foundation
import Hummingbird

/// The dashboard (SPEC §10): sign-in, the overview, files, a file's report, a batch, upload and
/// the do-not-call list, on the same server and with the same key checks as the API. Every form
/// answers 303 back to a page; every page is whole HTML that works without JavaScript.
struct PageRoutes {
    let config: DropdialConfig
    let store: any StoreEngine
    let session: PageSession
    let renderer: PageRenderer
    let files: FileRoutes
    let uploads: UploadRoutes
    let export: ExportRoutes
    var compliance: [ComplianceRule] = []

    func register(on router: Router<APIContext>, table: inout RouteTable) {
        registerOpen(on: router, table: &table)
        let pages = router.group().add(middleware: PageAuthentication(store: store, session: session, renderer: renderer))
        registerFiles(on: pages, table: &table)
        registerBatches(on: pages, table: &table)
        registerUpload(on: pages, table: &table)
        registerDNC(on: pages, table: &table)
        table.addPage(pages, .post, "signout", role: .viewer) { request, context, _ in
            _ = try await PageForm.checked(request, context, session: session)
            return PageRenderer.redirect("/signin", cookies: [session.expiredSessionCookie()])
        }
    }

    // MARK: Sign-in and assets (no key needed)

    struct SignInModel {
        var token: String
        var next: String
        var problem: String?
    }

    private func registerOpen(on router: Router<APIContext>, table: inout RouteTable) {
        table.add(router, .get, "signin") { request, _ in
            let (token, cookie) = session.signInToken()
            let next = Self.localPath(request.uri.queryParameters["next"].map(String.init))
            return renderer.page("signin", SignInModel(token: token, next: next), title: "Sign in", caller: nil, cookies: [cookie])
        }
        table.add(router, .post, "signin") { request, _ in
            let form = try await PageForm.read(request)
            let next = Self.localPath(form.next)
            let (token, cookie) = session.signInToken()
            func again(_ problem: String, _ status: HTTPResponse.Status) -> Response {
                renderer.page("signin", SignInModel(token: token, next: next, problem: problem), title: "Sign in", caller: nil,
                              status: status, cookies: [cookie])
            }
            guard let sent = form.csrf, let expected = request.cookies[PageSession.signInCookie]?.value,
                  APIKeySecret.equalInConstantTime(sent, expected) else {
                return again("The sign-in form expired; sign in again.", .forbidden)
            }
            let presented = (form.key ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !presented.isEmpty, try store.key(presented: presented) != nil else {
                return again("That key is not valid (unknown or revoked). Check it and try again.", .unauthorized)
            }
            return PageRenderer.redirect(next, cookies: [session.sessionCookie(presented)])
        }
        table.add(router, .get, "static/{asset}") { _, context in
            guard let name = context.parameters.get("asset"), let asset = PageAssets.all[name] else {
                throw APIError.notFound("no such file")
            }
            var headers = HTTPFields()
            headers[.contentType] = asset.contentType
            headers[.cacheControl] = "public, max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: asset.body)))
        }
    }

    /// `next` when it is a path of this site (never another site: `//host` or `https://…`), else `/`.
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/" }
        return next
    }

    static func caller(_ context: APIContext, _ key: APIKey, _ session: PageSession) -> PageCaller {
        PageCaller(key: key, csrf: context.sessionKey.map(session.csrfToken) ?? "")
    }

    static func parameters(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where out[String(name)] == nil {
            out[String(name)] = String(value).removingPercentEncoding ?? String(value)
        }
        return out
    }

    // MARK: Overview, files, reports

    struct OverviewModel {
        var inboxes: [Inbox]
        struct Inbox {
            var index: Int
            var name: String
            var files: [FileRow]
            var hasFiles: Bool
            var batches: [BatchRow]
            var hasBatches: Bool
        }
    }

    struct FileRow {
        var id: Int64
        var name: String
        var inbox: String
        var status: String
        var rows: Int
        var imported: Int
        var invalid: Int
        var duplicates: Int
        var received: String

        init(_ e: FileEntry) {
            id = e.id
            name = e.name
            inbox = e.inbox
            status = e.status
            rows = e.counts?.rows ?? 0
            imported = e.counts?.imported ?? 0
            invalid = e.counts?.invalid ?? 0
            duplicates = e.counts?.duplicates ?? 0
            received = PageText.time(e.receivedAt)
        }
    }

    struct BatchRow {
        var id: Int64
        var name: String
        var status: String
        var calls: Int
        var final: Int
        var created: String
    }

    struct FilesModel {
        var inboxes: [Option]
        var statuses: [Option]
        var total: Int
        var files: [FileRow]
        var hasFiles: Bool
        var pager: Pager?
        struct Option {
            var name: String
            var selected: Bool
        }
    }

    private func registerFiles(on pages: RouterGroup<APIContext>, table: inout RouteTable) {
        table.addPage(pages, .get, "", role: .viewer) { _, context, key in
            let visible = config.inboxes.filter { key.sees(inbox: $0.name) }
            let since = Date().addingTimeInterval(-7 * 86_400)
            let active: Set<String> = [BatchStatus.scheduled.rawValue, BatchStatus.active.rawValue, BatchStatus.paused.rawValue]
            let batches = try store.batches().filter { active.contains($0.status) }
            let inboxes = try visible.enumerated().map { index, inbox in
                let files = try store.files(inboxes: [inbox.name], status: nil, page: 1, limit: 10).files
                    .filter { $0.receivedAt >= since }.map(FileRow.init)
                let rows = batches.filter { $0.inbox == inbox.name }.reversed().map { b in
                    BatchRow(id: b.id, name: b.name, status: b.status, calls: b.calls.values.reduce(0, +),
                             final: (b.calls[CallStatus.done.rawValue] ?? 0) + (b.calls[CallStatus.cancelled.rawValue] ?? 0),
                             created: PageText.time(b.createdAt))
                }
                return OverviewModel.Inbox(index: index, name: inbox.name, files: files, hasFiles: !files.isEmpty,
                                           batches: rows, hasBatches: !rows.isEmpty)
            }
            return renderer.page("overview", OverviewModel(inboxes: inboxes), title: "Overview",
                                 caller: Self.caller(context, key, session), section: .overview)
        }
        table.addPage(pages, .get, "files", role: .viewer) { request, context, key in
            let q = Self.parameters(request)
            let visible = config.inboxes.map(\.name).filter { key.sees(inbox: $0) }
            let inbox = q["inbox"].flatMap { visible.contains($0) ? $0 : nil }
            let status = q["status"].flatMap(FileOutcome.init(rawValue:))
            let page = q["page"].flatMap(Int.init).map { max(1, min($0, 1_000_000)) } ?? 1
            let list = try store.files(inboxes: inbox.map { [$0] } ?? key.inboxes, status: status, page: page, limit: 50)
            let rows = list.files.filter { key.sees(inbox: $0.inbox) }.map(FileRow.init)
            let model = FilesModel(
                inboxes: visible.map { .init(name: $0, selected: $0 == inbox) },
                statuses: FileOutcome.allCases.map { .init(name: $0.rawValue, selected: $0 == status) },
                total: list.total, files: rows, hasFiles: !rows.isEmpty,
                pager: Pager.make(page: page, total: list.total, perPage: 50) {
                    "/files" + PageText.query([("inbox", inbox), ("status", status?.rawValue), ("page", String($0))])
                })
            return renderer.page("files", model, title: "Files", caller: Self.caller(context, key, session), section: .files)
        }
        table.addPage(pages, .get, "files/{fileId}", role: .viewer) { request, context, key in
            let (entry, report) = try files.file(context, key)
            let page = Self.parameters(request)["page"].flatMap(Int.init).map { max(1, min($0, 100_000)) } ?? 1
            let model = ReportPage(entry: entry, report: report, inbox: config.inboxes.first { $0.name == entry.inbox }, page: page)
            return renderer.page("report", model, title: entry.name, caller: Self.caller(context, key, session), section: .files)
        }
        for kind in FileRoutes.RowsToFix.allCases {
            table.addPage(pages, .get, "files/{fileId}/\(kind.route)", role: .viewer) { _, context, key in
                try files.rowsToFix(kind, try files.file(context, key).0)
            }
        }
        table.addPage(pages, .get, "files/{fileId}/original", role: .viewer) { _, context, key in
            let (entry, _) = try files.file(context, key)
            guard let archivedAs = entry.archivedAs, let inbox = config.inboxes.first(where: { $0.name == entry.inbox }),
                  let body = FileRoutes.regularFile(inbox.path + "/" + archivedAs) else {
                throw APIError.notFound("the original of file \(entry.id) is no longer in its inbox's folders")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.contentDisposition] = FileRoutes.attachment(PickupNames.uploadName(entry.name))
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    // MARK: Batches

    private func registerBatches(on pages: RouterGroup<APIContext>, table: inout RouteTable) {
        table.addPage(pages, .get, "batches/{batchId}", role: .viewer) { request, context, key in
            let id = try BatchRoutes.batchId(context)
            let query = BatchPage.Query(Self.parameters(request))
            let details: BatchDetails
            do {
                details = try store.batchDetails(id, try query.callQuery(), compliance: compliance, visible: { key.sees(inbox: $0) })
            } catch let error as CallQueryError {
                throw BatchRoutes.apiError(error)
            }
            let activity = try store.batchActivity(id, now: Date())
            let caller = Self.caller(context, key, session)
            return renderer.page("batch", BatchPage(details: details, activity: activity, query: query, caller: caller),
                                 title: details.name, caller: caller)
        }
        for command in BatchCommand.allCases {
            table.addPage(pages, .post, "batches/{batchId}/\(command.rawValue)", role: .operator) { request, context, key in
                let id = try BatchRoutes.batch(context, key, store: store)
                _ = try await PageForm.checked(request, context, session: session)
                do {
                    _ = try store.control(batch: id, command, strict: true)
                } catch let error as BatchControlError {
                    switch error {
                    case .unknownBatch: throw APIError.notFound("no batch \(id)")
                    case .notAllowed: throw APIError(.conflict, code: "not_allowed", error.description)
                    }
                }
                return PageRenderer.redirect("/batches/\(id)")
            }
        }
        table.addPage(pages, .get, "batches/{batchId}/export", role: .viewer) { request, context, key in
            let id = try BatchRoutes.batch(context, key, store: store)
            let text = Self.parameters(request)["format"] ?? "csv"
            guard let format = ExportRoutes.Format(rawValue: text) else {
                throw APIError.badRequest(code: "invalid_format", "format=\(text): use csv or xlsx")
            }
            return try export.answer(batch: id, format: format)
        }
    }

    // MARK: Upload

    struct UploadModel {
        var csrf: String
        var inboxes: [Inbox]
        var problem: String?
        struct Inbox { var name: String }
    }

    private func registerUpload(on pages: RouterGroup<APIContext>, table: inout RouteTable) {
        @Sendable func form(_ context: APIContext, _ key: APIKey, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
            let caller = Self.caller(context, key, session)
            let inboxes = config.inboxes.filter { key.sees(inbox: $0.name) }.map { UploadModel.Inbox(name: $0.name) }
            return renderer.page("upload", UploadModel(csrf: caller.csrf, inboxes: inboxes, problem: problem), title: "Upload",
                                 caller: caller, section: .upload, status: status, script: "upload.js")
        }
        table.addPage(pages, .get, "upload", role: .operator) { _, context, key in form(context, key) }
        table.addPage(pages, .post, "upload", role: .operator) { request, context, key in
            // The multipart fields are the file's manifest (SPEC §3), so the token rides in the address.
            try PageForm.check(Self.parameters(request)["csrf"], context, session: session)
            let report: ImportReport
            do {
                (_, _, report) = try await uploads.receive(request, key: key, known: ["inbox"])
            } catch let error as APIError where error.status == .badRequest || error.status == .contentTooLarge {
                return form(context, key, problem: error.message, status: error.status)
            }
            let list = try store.files(inboxes: [report.inbox], status: nil, page: 1, limit: 20)
            // The newest file of that inbox by this name is the one just imported (the list is newest first).
            let name = PickupNames.uploadName(report.file)
            guard let entry = list.files.first(where: { PickupNames.uploadName($0.name) == name }) else {
                return PageRenderer.redirect("/files?inbox=\(report.inbox)")
            }
            return PageRenderer.redirect("/files/\(entry.id)")
        }
    }

    // MARK: Do-not-call

    struct DNCModel {
        var total: Int
        var query: String
        var isAdmin: Bool
        var csrf: String
        var notice: String?
        var entries: [Entry]
        var hasEntries: Bool
        var pager: Pager?
        struct Entry {
            var number: String
            var sources: String
            var added: String
            var removable: Bool
        }
    }

    private func registerDNC(on pages: RouterGroup<APIContext>, table: inout RouteTable) {
        let perPage = 50
        table.addPage(pages, .get, "dnc", role: .viewer) { request, context, key in
            let q = Self.parameters(request)
            let query = (q["q"] ?? "").trimmingCharacters(in: .whitespaces)
            let page = q["page"].flatMap(Int.init).map { max(1, $0) } ?? 1
            let all = try store.dncEntries()
            let wanted = PhoneNumbers.e164(query, region: config.dncRegion)
            let digits = query.filter(\.isNumber)
            let matching = query.isEmpty ? all : all.filter { e in
                e.phoneNumber == wanted || (!digits.isEmpty && e.phoneNumber.contains(digits))
            }
            let caller = Self.caller(context, key, session)
            let shown = matching.dropFirst((page - 1) * perPage).prefix(perPage).map { e in
                DNCModel.Entry(number: e.phoneNumber, sources: e.sources.map(\.stored).joined(separator: ", "),
                               added: PageText.time(e.addedAt), removable: e.sources.contains(.manual))
            }
            let notice = q["notice"].flatMap { DNCNotice(rawValue: $0)?.text }
            let model = DNCModel(total: all.count, query: query, isAdmin: key.role >= .admin, csrf: caller.csrf, notice: notice,
                                 entries: shown, hasEntries: !shown.isEmpty,
                                 pager: Pager.make(page: page, total: matching.count, perPage: perPage) {
                                     "/dnc" + PageText.query([("q", query), ("page", String($0))])
                                 })
            return renderer.page("dnc", model, title: "Do-not-call", caller: caller, section: .dnc)
        }
        table.addPage(pages, .post, "dnc/add", role: .admin) { request, context, _ in
            let form = try await PageForm.checked(request, context, session: session)
            guard let number = form.number.flatMap({ PhoneNumbers.e164($0, region: config.dncRegion) }) else {
                throw APIError.badRequest(code: "invalid_number",
                                          "\"\(form.number ?? "")\" is not a valid phone number in region \(config.dncRegion)")
            }
            _ = try store.addToDNC([number], source: .manual, at: Date())
            return PageRenderer.redirect("/dnc" + PageText.query([("q", number), ("notice", DNCNotice.added.rawValue)]))
        }
        table.addPage(pages, .post, "dnc/remove", role: .admin) { request, context, _ in
            let form = try await PageForm.checked(request, context, session: session)
            guard let number = form.number.flatMap({ PhoneNumbers.e164($0, region: config.dncRegion) }) else {
                throw APIError.badRequest(code: "invalid_number", "\"\(form.number ?? "")\" is not a valid phone number")
            }
            switch try store.removeFromDNC([number])[0] {
            case .removed: return PageRenderer.redirect("/dnc" + PageText.query([("notice", DNCNotice.removed.rawValue)]))
            case .notListed: throw APIError.notFound("\(number) is not on the do-not-call list")
            case .keptByFiles(let files):
                throw APIError(.conflict, code: "listed_by_file", "\(number) is listed by \(files.joined(separator: ", ")); edit that file to unlist it")
            }
        }
    }

    /// What the do-not-call page says after a form.
    enum DNCNotice: String {
        case added, removed
        var text: String { self == .added ? "The number is on the list; it is never called." : "The number is off the list." }
    }
}
