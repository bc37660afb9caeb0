import Crypto
import DropdialStore
import Foundation
import Hummingbird

/// Signing in to the dashboard (SPEC §10): the API key is kept in an HttpOnly, SameSite=Strict
/// cookie, so every page request is checked exactly as an API request is (the same key lookup, the
/// same roles and inbox scopes). Every form carries a CSRF token bound to the signed-in key.
///
/// The token is HMAC-SHA256 of the key's digest under a secret made when the server starts: it
/// cannot be computed without both, and a restart makes forms opened before it answer
/// "reload the page". The sign-in form, before any key, is guarded by a random token kept in a
/// cookie of its own and repeated in the form (double submit).
struct PageSession: Sendable {
    static let cookie = "dropdial_session"
    static let signInCookie = "dropdial_signin"
    /// How long a sign-in lasts (seconds).
    static let lifetime = 12 * 3600

    /// The HMAC key, as bytes (SymmetricKey is not Sendable).
    private let secret: [UInt8]
    /// True when the dashboard is reached over HTTPS (`[http] public_url`), so cookies get `Secure`.
    let secure: Bool

    init(secure: Bool) {
        secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        self.secure = secure
    }

    /// The key the request's session cookie holds, if it is a live one.
    static func presentedKey(_ request: Request) -> String? {
        guard let value = request.cookies[cookie]?.value, !value.isEmpty else { return nil }
        return value
    }

    /// The CSRF token of forms shown to the holder of `presented`.
    func csrfToken(forKey presented: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(APIKeySecret.hash(presented).utf8),
                                                         using: SymmetricKey(data: secret))
        return Self.base64url(Data(mac))
    }

    /// True when `token` is the one for `presented` (compared in constant time).
    func checks(_ token: String?, forKey presented: String) -> Bool {
        guard let token else { return false }
        return APIKeySecret.equalInConstantTime(token, csrfToken(forKey: presented))
    }

    /// The cookie that signs `presented` in.
    func sessionCookie(_ presented: String) -> Cookie {
        Cookie(name: Self.cookie, value: presented, maxAge: Self.lifetime, path: "/", secure: secure, httpOnly: true,
               sameSite: .strict)
    }

    /// The cookie that signs out.
    func expiredSessionCookie() -> Cookie {
        Cookie(name: Self.cookie, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// A fresh random token for the sign-in form and its cookie.
    func signInToken() -> (token: String, cookie: Cookie) {
        let token = Self.base64url(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }))
        return (token, Cookie(name: Self.signInCookie, value: token, maxAge: 3600, path: "/signin", secure: secure,
                              httpOnly: true, sameSite: .strict))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
