import DropdialStore
import Hummingbird
import Logging

/// The outermost middleware: whatever a route or the router throws becomes a JSON error.
/// `APIError` as it is; the router's "no route" as 404, or 405 when the path exists with another
/// method; a body over the limit as 413; a database fault as 503 (the request may be retried);
/// anything else is logged and answered 500 without its details. Nothing a request does reaches
/// the daemon's service group.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let routes: SharedRouteTable

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            return try translate(error, request).response(from: request, context: context)
        } catch {
            if let fault = StoreFault.classify(error) {
                return try APIError(.serviceUnavailable, code: "unavailable", "\(fault); try again shortly")
                    .response(from: request, context: context)
            }
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try APIError(.internalServerError, code: "internal", "the request failed inside dropdial; it is logged")
                .response(from: request, context: context)
        }
    }

    private func translate(_ error: HTTPError, _ request: Request) -> APIError {
        switch error.status {
        case .notFound:
            if let allowed = routes.table.methods(forPath: request.uri.path), !allowed.contains(request.method) {
                return APIError(.methodNotAllowed, code: "method_not_allowed",
                                "\(request.method) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).sorted().joined(separator: ", "))")
            }
            return .notFound("no such endpoint: \(request.method) \(request.uri.path)")
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "body_too_large", "the request body is over the limit")
        default:
            return APIError(error.status, code: "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        }
    }
}
