import Hummingbird

/// Runs the rest of the request — the other middleware and the handler — on `RequestExecutor`'s
/// threads (its task executor preference), so no store read blocks a cooperative-pool thread.
/// Added first, outside every other middleware.
struct RequestExecutorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let executor: RequestExecutor

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        try await withTaskExecutorPreference(executor) {
            try await next(request, context)
        }
    }
}
