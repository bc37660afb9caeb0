import Crypto
import Foundation

/// Webhook signatures (SPEC §9), compared in constant time.
enum WebhookSignature {
    /// True when `a` and `b` are the same bytes; the time taken depends only on their lengths.
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    /// Twilio's `X-Twilio-Signature`: Base64 of HMAC-SHA1 keyed with the auth token over the full
    /// URL followed by every POST parameter name and value, in name order.
    static func twilio(url: String, parameters: [(String, String)], authToken: String) -> String {
        var text = url
        for (name, value) in parameters.sorted(by: { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }) {
            text += name + value
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(mac).base64EncodedString()
    }

    /// Retell's `x-retell-signature: v=MS,d=HEX`: HEX is HMAC-SHA256 keyed with the API key over the
    /// raw body followed by MS (Unix milliseconds).
    static func retell(body: [UInt8], milliseconds: String, apiKey: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body + Array(milliseconds.utf8),
                                                  using: SymmetricKey(data: Data(apiKey.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
