import DropdialConfig
import DropdialStore
import Foundation
import Hummingbird

/// Seed 002 and batch control: the batches a key may see, one batch's details, pause, resume
/// and cancel. The bodies are the CLI's `--json` types (`BatchSummary`, `BatchDetails`). A batch
/// of an inbox the key does not cover is 404, exactly as a batch that does not exist.
struct BatchRoutes {
    let store: any StoreEngine
    /// The config's `[[compliance]]` rules: each call of a page shows those that match it.
    var compliance: [ComplianceRule] = []

    func register(on api: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .get, "call/batches", role: .viewer) { _, _, key in
            return JSONBody.response(try store.batches().filter { key.sees(inbox: $0.inbox) })
        }

        table.add(api, .get, "call/batch-details/{batchId}", role: .viewer) { request, context, key in
            let id = try Self.batchId(context)
            let query = try Self.query(request)
            do {
                // The key's scope is checked inside the page's own read.
                return JSONBody.response(json: try store.batchDetails(id, query, compliance: compliance, visible: { key.sees(inbox: $0) }).prettyJSON())
            } catch let error as CallQueryError {
                throw Self.apiError(error)
            }
        }

        for command in BatchCommand.allCases {
            table.add(api, .post, "call/batch/{batchId}/\(command.rawValue)", role: .operator) { _, context, key in
                let id = try Self.batch(context, key, store: store)
                do {
                    let status = try store.control(batch: id, command, strict: true)
                    return JSONBody.response(ControlAnswer(batchId: id, status: status))
                } catch let error as BatchControlError {
                    switch error {
                    case .unknownBatch: throw APIError.notFound("no batch \(id)")
                    case .notAllowed: throw APIError(.conflict, code: "not_allowed", error.description)
                    }
                }
            }
        }
    }

    struct ControlAnswer: Encodable {
        var batchId: Int64
        var status: String
    }

    /// The `{batchId}` of the path, when it names a batch the key may see; else 404 (400 when
    /// it is not a number at all).
    static func batch(_ context: APIContext, _ key: APIKey, store: any StoreEngine) throws -> Int64 {
        let id = try batchId(context)
        guard let inbox = try store.batchInbox(id), key.sees(inbox: inbox) else { throw APIError.notFound("no batch \(id)") }
        return id
    }

    /// The `{batchId}` of the path as a number (400 when it is not one).
    static func batchId(_ context: APIContext) throws -> Int64 {
        guard let text = context.parameters.get("batchId"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest(code: "invalid_batch_id",
                                      "\(context.parameters.get("batchId") ?? "") is not a batch id (a positive whole number)")
        }
        return id
    }

    /// Seed 002's query: `page`, `limit`, `filter` (JSON), `sortBy`, `sortOrder`, `search`.
    static func query(_ request: Request) throws -> CallQuery {
        let q = request.uri.queryParameters
        func text(_ name: String) -> String? { q[name[...]].map { String($0) } }
        func number(_ name: String, default value: Int) throws -> Int { try Self.number(request, name, default: value) }
        let known: Set<Substring> = ["page", "limit", "filter", "sortBy", "sortOrder", "search"]
        let names: [Substring] = q.map { $0.key }
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw APIError.badRequest(code: "unknown_parameter",
                                      "unknown query parameter \(unknown); known: page, limit, filter, sortBy, sortOrder, search")
        }
        let page = try number("page", default: 1)
        let limit = try number("limit", default: 10)
        do {
            let filter = try text("filter").map { try CallFilter(json: $0) } ?? CallFilter()
            let sort = try CallSort(by: text("sortBy"), order: text("sortOrder"))
            return try CallQuery(page: page, limit: limit, filter: filter, sort: sort, search: text("search"))
        } catch let error as CallQueryError {
            throw apiError(error)
        }
    }

    /// A whole-number query parameter, or `value` when absent.
    static func number(_ request: Request, _ name: String, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters[name[...]].map(String.init) else { return value }
        guard let n = Int(text) else { throw APIError.badRequest(code: "invalid_\(name)", "\(name)=\(text) is not a whole number") }
        return n
    }

    /// `page` and `limit` alone, checked as seed 002's are (pages from 1, at most 1000 per page).
    static func paging(_ request: Request) throws -> (page: Int, limit: Int) {
        do {
            let checked = try CallQuery(page: try number(request, "page", default: 1),
                                        limit: try number(request, "limit", default: 50))
            return (checked.page, checked.limit)
        } catch let error as CallQueryError {
            throw apiError(error)
        }
    }

    static func apiError(_ error: CallQueryError) -> APIError {
        let code = switch error {
        case .unknownBatch: "not_found"
        case .badFilter: "invalid_filter"
        case .badSortOrder: "invalid_sort_order"
        case .unknownSortField: "invalid_sort_field"
        case .badPage, .pageTooLarge: "invalid_page"
        case .badLimit: "invalid_limit"
        }
        if case .unknownBatch(let id) = error { return .notFound("no batch \(id)") }
        // The CLI's words name its flags; the API's parameters are the same names in camelCase.
        let message = error.description.replacingOccurrences(of: "--sort-by", with: "sortBy")
            .replacingOccurrences(of: "--sort-order", with: "sortOrder").replacingOccurrences(of: "--", with: "")
        return .badRequest(code: code, message)
    }
}
