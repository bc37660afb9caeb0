import DropdialBase
import Metrics
import DropdialConfig
import Foundation

/// A voice provider that places a call and reports how it ended later, by a signed webhook or when
/// asked (SPEC §9): Twilio, Vapi, Retell. The seam between the dispatcher and a provider's API.
public protocol ProviderBackend: CallBackend {
    /// `twilio`, `vapi`, `retell`: the backend's name and its webhook path (`/webhooks/NAME`).
    var name: String { get }
    /// Sends the create request. Never throws: a refusal or a fault is `.ended(.failed(…))`.
    func create(_ call: CallRequest) async -> CreateResult
    /// Asks the provider for the call.
    func poll(providerCallId: String) async -> PollResult
    /// Checks a webhook's signature (first, in constant time), then reads it.
    func webhook(_ request: WebhookRequest) -> WebhookVerdict
}

/// What a create request came to.
public enum CreateResult: Sendable, Equatable {
    /// The provider accepted the call: it is placed; its outcome comes by webhook or poll.
    case placed(providerCallId: String)
    /// 429: nothing was placed; the attempt is withdrawn and the call is due again after this many seconds.
    case throttled(retryAfter: Double)
    /// Refused or failed: the attempt ends with this result (and is never placed again).
    case ended(CallResult)
}

/// What a poll of the provider's call resource found.
public enum PollResult: Sendable, Equatable {
    case final(CallResult)
    /// Not final yet (or the provider could not say: `reason`).
    case pending(reason: String?)
}

/// A webhook as the server received it.
public struct WebhookRequest: Sendable {
    /// The full public URL the provider posted to (`{public_url}/webhooks/twilio`): Twilio signs it.
    public var url: String
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]
    public var now: Date

    public init(url: String, headers: [String: String], body: [UInt8], now: Date) {
        self.url = url
        self.headers = headers
        self.body = body
        self.now = now
    }
}

/// What a webhook says, once its signature holds.
public enum WebhookVerdict: Sendable, Equatable {
    /// The signature is missing, wrong or too old: 401, nothing read.
    case rejected(String)
    /// Signed, but not a final event (ringing, in progress, a status update): nothing to record.
    case notFinal(providerCallId: String?)
    /// The call ended with `result`.
    case final(providerCallId: String, result: CallResult)
}

extension ProviderBackend {
    /// A provider call is never waited for: the dispatcher creates it and takes its outcome from
    /// the webhook or a poll (``Dispatcher``). This exists only for the ``CallBackend`` seam.
    public func place(_ call: CallRequest) async -> CallResult {
        .failed("\(name) calls are created by the dispatcher and end by webhook or poll")
    }
}

/// Takes the webhooks of the configured provider (SPEC §9): the signature first, then the event,
/// recorded at most once by the dispatcher; counted in `dropdial_webhooks_total`.
public struct WebhookReceiver: Sendable {
    public let provider: any ProviderBackend
    let dispatcher: Dispatcher

    public init(provider: any ProviderBackend, dispatcher: Dispatcher) {
        self.provider = provider
        self.dispatcher = dispatcher
    }

    public func receive(_ request: WebhookRequest) async -> WebhookOutcome {
        let outcome: WebhookOutcome
        switch provider.webhook(request) {
        case .rejected(let why): outcome = .rejected(why)
        case .notFinal: outcome = .accepted
        case .final(let id, let result): outcome = await dispatcher.providerEvent(providerCallId: id, result: result)
        }
        Counter(label: MetricFamily.webhooks.name, dimensions: [("provider", provider.name), ("result", outcome.label)])
            .increment()
        return outcome
    }
}
