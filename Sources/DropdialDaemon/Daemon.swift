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
        // A ServiceGroup shuts down in reverse order, one service after the other: the dialer
        // first, then the inboxes (an import in progress rolls back at once), and only then the
        // helpers, so a search-index chunk queued behind an import never delays that rollback.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: DNCFileService(config: config.dnc, region: config.dncRegion, store: store, logger: logger)),
            .init(service: SearchIndexService(store: store, logger: logger)),
        ]
        services += config.inboxes.map { .init(service: InboxService(inbox: $0, store: store, logger: logger)) }
        services.append(.init(service: try DialerLifecycle.make(config: config, store: store, logger: logger)))
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger))
        try await group.run()
    }
}
