import DropdialConfig
import DropdialImport
import DropdialServer
import DropdialStore
import Foundation
import Logging
import ServiceLifecycle

/// `dropdial run`: a ServiceGroup of one pickup service per inbox and the dialer;
/// SIGTERM and SIGINT shut it down gracefully, rolling back an import in progress.
public enum Daemon {
    /// On PostgreSQL (`store` a `PostgresStore`) everything runs but SQLite's search index, which
    /// PostgreSQL does without (the batch search scans the batch there).
    public static func run(config: DropdialConfig, store: any StoreEngine, logger: Logger) async throws {
        let sqlite = store as? Store
        // The do-not-call files are loaded before the first import or dial, then watched.
        var seen: [String: DNCFile.SyncEvent] = [:]
        DNCFileService.sync(config.dnc, region: config.dncRegion, store: store, logger: logger, last: &seen)
        // A ServiceGroup shuts down in reverse order, one service after the other: the dialer
        // first, then the inboxes (an import in progress rolls back at once), and only then the
        // helpers, so a search-index chunk queued behind an import never delays that rollback.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: DNCFileService(config: config.dnc, region: config.dncRegion, store: store, logger: logger)),
        ]
        if let sqlite { services.append(.init(service: SearchIndexService(store: sqlite, logger: logger))) }
        let health = ServiceHealth(inboxes: config.inboxes.map(\.name))
        let metrics = DaemonMetrics.bootstrap(inboxes: config.inboxes.map(\.name))
        let uploads = InboxUploads()
        services += config.inboxes.map {
            .init(service: InboxService(inbox: $0, store: store, logger: logger, health: health, uploads: uploads,
                                   leaseSeconds: config.dialer.leaseSeconds))
        }
        let dialer = try DialerLifecycle.make(config: config, store: store, logger: logger)
        services.append(.init(service: dialer))
        // Last, so it stops first: no request starts while the inboxes and the dialer wind down.
        if let listen = config.http.listen {
            try createFirstKey(store: store, listen: listen, logger: logger)
            services.append(.init(service: HTTPServer.service(listen: listen, config: config, store: store, health: health,
                                                                 uploads: uploads, metrics: metrics, webhooks: dialer.webhooks,
                                                                 logger: logger)))
        }
        let group = ServiceGroup(configuration: .init(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
            logger: logger))
        try await group.run()
    }

    /// SPEC §8: on the first start with no key at all, an admin key named `admin`, printed once
    /// (by the one node that made it, when several start on a new database at once).
    /// It goes out as one log line on stderr, so a `[log] format = "json"` stream stays JSON.
    static func createFirstKey(store: any StoreEngine, listen: HTTPConfig.Listen, logger: Logger) throws {
        guard try !store.hasKeys() else { return }
        let secret: String
        do {
            secret = try store.createKey(name: "admin", role: .admin, inboxes: []).secret
        } catch APIKeyError.nameTaken {
            return   // another node sharing the database made it first, and printed it
        }
        logger.notice("created the first API key, named admin (role admin); it is shown this once, keep it (dropdial keys create NAME makes more)",
                      metadata: ["key": "\(secret)",
                                 // Port 0 is picked when the server starts, and logged then.
                                 "dashboard": listen.port == 0 ? "(the address the server logs once it listens)" : "http://\(listen)/"])
    }
}

