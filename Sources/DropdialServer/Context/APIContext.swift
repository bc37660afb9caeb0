import DropdialStore
import Hummingbird

/// The request context of every route: Hummingbird's core storage plus the caller's API key,
/// set by `KeyAuthentication` on `/api` and `/v1` (nil on the open routes).
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var key: APIKey?
    /// The key as the dashboard's session cookie presented it (pages only; their CSRF tokens are
    /// bound to it).
    var sessionKey: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The authenticated key; the open routes never ask.
    func requireKey() throws(APIError) -> APIKey {
        guard let key else { throw .unauthorized("an API key is required") }
        return key
    }
}
