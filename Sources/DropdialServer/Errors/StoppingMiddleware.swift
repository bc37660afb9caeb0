import Hummingbird
import ServiceLifecycle

/// Once the daemon is stopping (SIGTERM), a request that starts is answered 503 `stopping`; the
/// requests already in flight finish. (The listener closes at once and idle connections are
/// closed, so this answers only a request that arrives on an open connection in that moment.)
struct StoppingMiddleware: RouterMiddleware {
    typealias Context = APIContext

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if Task.isShuttingDownGracefully {
            throw APIError(.serviceUnavailable, code: "stopping", "dropdial is stopping; send the request again once it is back")
        }
        return try await next(request, context)
    }
}
