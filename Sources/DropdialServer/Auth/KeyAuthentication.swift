import DropdialStore
import Foundation
import HTTPTypes
import Hummingbird

/// Reads the caller's key from `Authorization: Bearer KEY` or `x-api-key: KEY` (the seeds' two
/// styles) and resolves it in the store: no key, an unknown key and a revoked key are all 401,
/// so an answer says nothing about which keys exist.
struct KeyAuthentication: RouterMiddleware {
    typealias Context = APIContext
    let store: any StoreEngine

    static let apiKeyHeader = HTTPField.Name("x-api-key")!

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var context = context
        context.key = try Self.authenticate(request, store: store)
        return try await next(request, context)
    }

    /// The live key `request` presents; 401 for none, an unknown or a revoked one.
    static func authenticate(_ request: Request, store: any StoreEngine) throws -> APIKey {
        guard let presented = presentedKey(request) else {
            throw APIError.unauthorized("send an API key as \"Authorization: Bearer KEY\" or \"x-api-key: KEY\" (dropdial keys create NAME)")
        }
        guard let key = try store.key(presented: presented) else {
            throw APIError.unauthorized("the API key is not valid (unknown or revoked)")
        }
        return key
    }

    static func presentedKey(_ request: Request) -> String? {
        if let auth = request.headers[.authorization] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            let key = parts[1].trimmingCharacters(in: .whitespaces)
            return key.isEmpty ? nil : key
        }
        if let key = request.headers[apiKeyHeader]?.trimmingCharacters(in: .whitespaces), !key.isEmpty { return key }
        return nil
    }
}

extension APIContext {
    /// The key, when its role is at least `role`; a weaker key is 403.
    func requireRole(_ role: KeyRole) throws(APIError) -> APIKey {
        let key = try requireKey()
        guard key.role >= role else {
            throw .forbidden("this needs a key with role \(role.rawValue) or higher; this key is \(key.role.rawValue)")
        }
        return key
    }
}
