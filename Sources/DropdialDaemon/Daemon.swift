import DropdialConfig
import DropdialStore
import Logging
import ServiceLifecycle

/// `dropdial run`: a ServiceGroup of one pickup service per inbox and the dialer;
/// SIGTERM and SIGINT shut it down gracefully, rolling back an import in progress.
public enum Daemon {
    public static func run(config: DropdialConfig, store: Store, logger: Logger) async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = config.inboxes.map {
            .init(service: InboxService(inbox: $0, store: store, logger: logger))
        }
        services.append(.init(service: try DialerLifecycle.make(config: config, store: store, logger: logger)))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger))
        try await group.run()
    }
}
