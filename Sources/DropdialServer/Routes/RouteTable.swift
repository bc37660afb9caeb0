import DropdialStore
import Hummingbird
import NIOConcurrencyHelpers

/// Every route the server answers, as (method, template, who may call it): the one list the
/// router is built from, that enforces each route's role, tells 405 from 404, and that the
/// OpenAPI test checks against.
public struct RouteTable: Sendable {
    /// Who may call a route: anyone (`open`), or a key of at least this role.
    public enum Access: Sendable, Equatable {
        case open
        case key(KeyRole)
    }

    public struct Route: Sendable {
        public var method: HTTPRequest.Method
        /// `/api/call/batch-details/{batchId}`.
        public var template: String
        public var access: Access
    }

    public private(set) var routes: [Route] = []

    /// Registers a keyed route under `/api/` (`path` as Hummingbird spells it: `call/batches/{batchId}`):
    /// the handler runs only for a key of at least `role` (else 403) and is handed that key.
    /// `under` is the group's own path (`/v1/api/` for seed 003's group).
    mutating func add(_ api: RouterGroup<APIContext>, under prefix: String = "/api/", _ method: HTTPRequest.Method,
                      _ path: String, role: KeyRole,
                      _ handler: @escaping @Sendable (Request, APIContext, APIKey) async throws -> Response) {
        routes.append(Route(method: method, template: prefix + path, access: .key(role)))
        api.on(RouterPath(stringLiteral: path), method: method) { request, context in
            try await handler(request, context, try context.requireRole(role))
        }
    }

    /// Registers a dashboard page or form at `/` + `path` on `pages` (the group behind
    /// `PageAuthentication`): the handler runs only for a signed-in key of at least `role` (else 403).
    mutating func addPage(_ pages: RouterGroup<APIContext>, _ method: HTTPRequest.Method, _ path: String, role: KeyRole,
                          _ handler: @escaping @Sendable (Request, APIContext, APIKey) async throws -> Response) {
        routes.append(Route(method: method, template: "/" + path, access: .key(role)))
        pages.on(RouterPath(stringLiteral: path.isEmpty ? "/" : path), method: method) { request, context in
            try await handler(request, context, try context.requireRole(role))
        }
    }

    /// Registers a route anyone may call (`/healthz`, `/openapi.json`).
    mutating func add(_ router: Router<APIContext>, _ method: HTTPRequest.Method, _ path: String,
                      _ handler: @escaping @Sendable (Request, APIContext) async throws -> Response) {
        routes.append(Route(method: method, template: "/" + path, access: .open))
        router.on(RouterPath(stringLiteral: path), method: method, use: handler)
    }

    /// The methods some route allows on `path`, or nil when no route matches it at all.
    func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let parts = Self.segments(path)
        let methods = routes.filter { Self.matches($0.template, parts) }.map(\.method)
        return methods.isEmpty ? nil : methods
    }

    /// The template of the route `path` matches (`/api/call/batch-details/{batchId}`), or nil.
    func template(forPath path: String) -> String? {
        let parts = Self.segments(path)
        return routes.first { Self.matches($0.template, parts) }?.template
    }

    /// True when `parts` fill `template`, each `{name}` by one non-empty segment.
    static func matches(_ template: String, _ parts: [Substring]) -> Bool {
        let t = segments(template)
        return t.count == parts.count && zip(t, parts).allSatisfy { t, p in t.hasPrefix("{") && t.hasSuffix("}") ? !p.isEmpty : t == p }
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/", omittingEmptySubsequences: true) } ?? []
    }
}

/// The route table as the outer middleware see it: they are added before the routes (Hummingbird
/// applies middleware to the routes registered after it), and read the table once it is whole.
final class SharedRouteTable: Sendable {
    private let box = NIOLockedValueBox(RouteTable())

    var table: RouteTable {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }
}
