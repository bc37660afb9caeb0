import DropdialStore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the dashboard's pages: a page's own template inside the layout (header, navigation,
/// sign-out form). Values are HTML-escaped by the templates; only markup dropdial drew itself
/// (the page body, a chart) is inserted as it is.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in PageTemplates.all {
            // The templates are part of the binary; `PageTests` renders each one.
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name): \(error)") }
        }
        self.library = library
    }

    /// Which navigation link is the current page's.
    enum Section { case overview, files, upload, dnc, none }

    struct Chrome {
        var title: String
        var body: String
        var signedIn: Bool
        var csrf: String
        var keyName: String
        var keyRole: String
        var navOverview: Bool
        var navFiles: Bool
        var navUpload: Bool
        var navDNC: Bool
        var script: String?
    }

    /// The page `template` rendered with `model`, for `caller` (nil on the sign-in page).
    func page(_ template: String, _ model: Any, title: String, caller: PageCaller?, section: Section = .none,
              status: HTTPResponse.Status = .ok, script: String? = nil, cookies: [Cookie] = []) -> Response {
        let body = library.render(model, withTemplate: template) ?? ""
        let chrome = Chrome(title: title, body: body, signedIn: caller != nil, csrf: caller?.csrf ?? "",
                            keyName: caller?.key.name ?? "", keyRole: caller?.key.role.rawValue ?? "",
                            navOverview: section == .overview, navFiles: section == .files, navUpload: section == .upload,
                            navDNC: section == .dnc, script: script)
        let html = library.render(chrome, withTemplate: "layout") ?? body
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        // Nothing from outside dropdial, no framing by other sites, no inline script.
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        var response = Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }

    struct ErrorModel {
        var heading: String
        var message: String
    }

    /// An error as a page: its status, a heading in words and the error's message.
    func error(_ error: APIError, caller: PageCaller?) -> Response {
        let heading = switch error.status.code {
        case 404: "Not found"
        case 403: "Not allowed"
        case 401: "Sign in again"
        case 503: "Try again shortly"
        default: "That did not work"
        }
        return page("error", ErrorModel(heading: heading, message: error.message), title: heading, caller: caller,
                    status: error.status)
    }

    /// 303 See Other to `location` (after a form, so reloading does not send it again).
    static func redirect(_ location: String, cookies: [Cookie] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        var response = Response(status: .seeOther, headers: headers)
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }
}
