import DropdialBase
import Foundation
import Hummingbird

/// Every HTTP error dropdial answers: its status and `{"error": MESSAGE, "code": CODE}`, CODE a
/// symbolic name a script can switch on (SPEC §8).
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func unauthorized(_ message: String) -> APIError { .init(.unauthorized, code: "unauthorized", message) }
    public static func forbidden(_ message: String) -> APIError { .init(.forbidden, code: "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { .init(.notFound, code: "not_found", message) }
    public static func badRequest(code: String, _ message: String) -> APIError { .init(.badRequest, code: code, message) }

    struct Body: Encodable {
        var error: String
        var code: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONBody.response(Body(error: message, code: code), status: status)
    }
}

/// JSON response bodies in dropdial's one style (`JSONStyle`), the same bytes the CLI's `--json` prints.
enum JSONBody {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONStyle.encoder().encode(value)) ?? Data(#"{"error":"cannot encode the answer","code":"internal"}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data + [0x0A])))
    }

    /// A body already written as JSON text (ending in a newline).
    static func response(json text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
