import DropdialStore
import Foundation
import Hummingbird

/// Who is looking at a page: the signed-in key, and the CSRF token its forms carry.
struct PageCaller: Sendable {
    var key: APIKey
    var csrf: String
}

/// The dashboard's gate: the session cookie's key is looked up exactly as an API key is
/// (``KeyAuthentication``'s store lookup: unknown and revoked keys are refused), so a page sees
/// only what the key may see. Without a live key a page answers 303 to the sign-in page. An
/// ``APIError`` of a page becomes an error page with its status (404 for another inbox's file).
struct PageAuthentication: RouterMiddleware {
    typealias Context = APIContext
    let store: any StoreEngine
    let session: PageSession
    let renderer: PageRenderer

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard let presented = PageSession.presentedKey(request), let key = try store.key(presented: presented) else {
            var target = request.uri.path
            if let query = request.uri.query, !query.isEmpty { target += "?" + query }
            let next = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            return PageRenderer.redirect("/signin?next=" + next, cookies: [session.expiredSessionCookie()])
        }
        var context = context
        context.key = key
        context.sessionKey = presented
        let caller = PageCaller(key: key, csrf: session.csrfToken(forKey: presented))
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return renderer.error(error, caller: caller)
        } catch {
            if let fault = StoreFault.classify(error) {
                return renderer.error(APIError(.serviceUnavailable, code: "unavailable", "\(fault); try again shortly"), caller: caller)
            }
            throw error
        }
    }
}

extension APIContext {
    /// The page's caller, when its key has at least `role` (else 403, as for the API).
    func pageCaller(_ role: KeyRole, session: PageSession) throws(APIError) -> PageCaller {
        let key = try requireRole(role)
        guard let presented = sessionKey else { throw .unauthorized("sign in again") }
        return PageCaller(key: key, csrf: session.csrfToken(forKey: presented))
    }
}

/// The forms the pages send (`application/x-www-form-urlencoded`, at most 64 KiB), decoded by
/// Hummingbird's form decoder; a field that is not sent is nil.
struct PageForm: Decodable, Sendable {
    var csrf: String?
    var key: String?
    var next: String?
    var number: String?

    static func read(_ request: Request) async throws -> PageForm {
        // A form with no fields may come without a type; any other type is not a web form.
        let type = request.headers[.contentType] ?? "application/x-www-form-urlencoded"
        guard type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "send the form as a web form")
        }
        let buffer = try await request.body.collect(upTo: 64 << 10)
        do {
            return try URLEncodedFormDecoder().decode(PageForm.self, from: String(buffer: buffer))
        } catch {
            throw APIError.badRequest(code: "invalid_form", "the form could not be read; reload the page and send it again")
        }
    }

    /// The form of a signed-in page, once its CSRF token is the session's (else 403).
    static func checked(_ request: Request, _ context: APIContext, session: PageSession) async throws -> PageForm {
        let form = try await read(request)
        try check(form.csrf, context, session: session)
        return form
    }

    static func check(_ token: String?, _ context: APIContext, session: PageSession) throws(APIError) {
        guard let presented = context.sessionKey, session.checks(token, forKey: presented) else {
            throw APIError(.forbidden, code: "csrf",
                           "this form did not come from this dashboard, or it has expired: reload the page and send it again")
        }
    }
}
