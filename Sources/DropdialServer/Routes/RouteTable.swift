import DropdialStore
import Hummingbird

/// Every route the server answers, as (method, template, who may call it): the one list the
/// router is built from, that tells 405 from 404, and that the OpenAPI test checks against.
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

    mutating func add(_ method: HTTPRequest.Method, _ template: String, _ access: Access) {
        routes.append(Route(method: method, template: template, access: access))
    }

    /// The methods some route allows on `path`, or nil when no route matches it at all.
    func methods(forPath path: String) -> [HTTPRequest.Method]? {
        let parts = Self.segments(path)
        let methods = routes.filter { route in
            let template = Self.segments(route.template)
            return template.count == parts.count
                && zip(template, parts).allSatisfy { t, p in t.hasPrefix("{") && t.hasSuffix("}") ? !p.isEmpty : t == p }
        }.map(\.method)
        return methods.isEmpty ? nil : methods
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/", omittingEmptySubsequences: true) } ?? []
    }
}
