import DropdialConfig
import DropdialDialer
import DropdialStore
import Logging
import ServiceLifecycle

/// The dialer as a ServiceGroup member: stops taking new calls on SIGTERM and lets calls in
/// flight end for at most `[dialer] stop_timeout_seconds`, then cancels them (they end `failed`);
/// an attempt cut off by a kill is closed as `failed` at the next start.
struct DialerLifecycle: Service {
    let dialer: DialerService
    /// The provider backend's webhooks, for the HTTP server (nil for simulate, exec, http).
    let webhooks: WebhookReceiver?

    func run() async throws {
        let stop = StopFlag()
        try await withGracefulShutdownHandler {
            try await dialer.run(shouldStop: { stop.isSet })
        } onGracefulShutdown: {
            stop.set()
        }
    }

    static func make(config: DropdialConfig, store: any StoreEngine, logger: Logger) throws -> DialerLifecycle {
        let backend = try BackendFactory.make(config.dialer, publicBase: config.http.publicBase)
        let clock = SystemClock()
        let dispatcher = Dispatcher(
            store: store, backend: backend, clock: clock,
            limits: AttemptLimits(perBatch: config.dialer.maxConcurrentPerBatch,
                                   perNumber: config.dialer.maxConcurrentPerNumber),
            retriedOutcomes: config.dialer.retried, compliance: ComplianceRules(config.compliance),
            rateLimits: config.dialer.rateLimits, timing: config.dialer.provider, logger: logger)
        return DialerLifecycle(dialer: DialerService(
            dispatcher: dispatcher, store: store, clock: clock,
            stopTimeout: .milliseconds(Int64(config.dialer.stopTimeoutSeconds * 1000)),
            leaseSeconds: config.dialer.leaseSeconds, logger: logger),
            webhooks: (backend as? any ProviderBackend).map { WebhookReceiver(provider: $0, dispatcher: dispatcher) })
    }
}
