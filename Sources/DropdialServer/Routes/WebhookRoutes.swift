import DropdialDialer
import Foundation
import Hummingbird

/// `POST /webhooks/{provider}` (SPEC §9): the configured provider's call events. No API key: the
/// provider's signature is checked first, before anything in the body is read; a bad or old one
/// is 401 and changes nothing. Repeats, late and out-of-order events are acknowledged with 200 and
/// change nothing once an attempt is final.
struct WebhookRoutes {
    let receiver: WebhookReceiver?
    /// `[http] public_url` (or `http://` + listen): the URL Twilio signs is this base + the path.
    let publicBase: String

    /// The largest webhook body read (providers send a few kilobytes).
    static let maxBody = 1 << 20

    struct Answer: Encodable {
        var result: String
    }

    func register(on router: Router<APIContext>, table: inout RouteTable) {
        table.add(router, .post, "webhooks/{provider}") { request, context in
            let name = context.parameters.get("provider") ?? ""
            guard let receiver, receiver.provider.name == name else {
                throw APIError.notFound("no provider \"\(name)\" is configured; [dialer] backend names the one whose webhooks are taken")
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxBody)
            } catch {
                throw APIError(.contentTooLarge, code: "too_large", "a webhook body is at most \(Self.maxBody) bytes")
            }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let url = publicBase + request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let outcome = await receiver.receive(WebhookRequest(url: url, headers: headers, body: Array(body.readableBytesView),
                                                                now: Date()))
            if case .rejected(let why) = outcome {
                throw APIError(.unauthorized, code: "bad_signature", "the webhook's signature is not valid: \(why)")
            }
            return JSONBody.response(Answer(result: outcome.label))
        }
    }
}
