import DropdialConfig
import DropdialImport
import DropdialStore
import Logging
import ServiceLifecycle

/// `dropdial run`: a ServiceGroup of one pickup service per inbox and the dialer;
/// SIGTERM and SIGINT shut it down gracefully, rolling back an import in progress.
public enum Daemon {
    public static func run(config: DropdialConfig, store: Store, logger: Logger) async throws {
        // The do-not-call files are loaded before the first import or dial, then watched.
        var seen: [String: DNCFile.SyncEvent] = [:]
        DNCFileService.sync(config.dnc, region: config.dncRegion, store: store, logger: logger, last: &seen)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = config.inboxes.map {
            .init(service: InboxService(inbox: $0, store: store, logger: logger))
        }
        services.append(.init(service: DNCFileService(config: config.dnc, region: config.dncRegion, store: store,
                                                      logger: logger)))
        services.append(.init(service: SearchIndexService(store: store, logger: logger)))
        services.append(.init(service: try DialerLifecycle.make(config: config, store: store, logger: logger)))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger))
        try await group.run()
    }
}
