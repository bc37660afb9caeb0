import DropdialConfig
import DropdialDialer
import DropdialStore
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The HTTP service of `dropdial run` (SPEC §8): one Hummingbird application, a service in the
/// daemon's group. A graceful shutdown stops accepting connections and lets requests in flight
/// finish; a request that fails is answered with a JSON error and never reaches the group.
public enum HTTPServer {
    /// The routes every server has, in registration order (the OpenAPI test walks them).
    public static func routes(config: DropdialConfig, store: any StoreEngine, health: ServiceHealth, uploads: any UploadDesk,
                              metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                              webhooks: WebhookReceiver? = nil) -> (Router<APIContext>, RouteTable) {
        let router = Router(context: APIContext.self)
        // Middleware applies to the routes added after it, so these come first; the table they
        // consult is complete before the first request.
        let shared = SharedRouteTable()
        // Outermost first: the request's own threads, then the count, which sees the answer the
        // error middleware made of any failure.
        router.add(middleware: RequestExecutorMiddleware(executor: .shared))
        router.add(middleware: RequestMetricsMiddleware(routes: shared))
        router.add(middleware: ErrorMiddleware(routes: shared))
        router.add(middleware: StoppingMiddleware())
        var table = RouteTable()
        HealthRoutes(store: store, health: health).register(on: router, table: &table)
        MetricsRoutes(store: store, registry: metrics, isPublic: config.http.metricsPublic).register(on: router, table: &table)
        WebhookRoutes(receiver: webhooks, publicBase: config.http.publicBase).register(on: router, table: &table)
        let api = router.group("api").add(middleware: KeyAuthentication(store: store))
        BatchRoutes(store: store, compliance: config.compliance).register(on: api, table: &table)
        AddCallsRoutes(store: store, limit: config.maxUploadBytes).register(on: api, table: &table)
        DNCRoutes(store: store, region: config.dncRegion).register(on: api, table: &table)
        let files = FileRoutes(config: config, store: store)
        files.register(on: api, table: &table)
        let export = ExportRoutes(store: store)
        export.register(on: api, table: &table)
        let v1 = router.group("v1/api").add(middleware: KeyAuthentication(store: store))
        let upload = UploadRoutes(config: config, desk: uploads, limit: Int64(config.maxUploadBytes))
        upload.register(on: api, v1: v1, table: &table)
        PageRoutes(config: config, store: store, session: PageSession(secure: config.http.publicBase.hasPrefix("https://")),
                   renderer: PageRenderer(), files: files, uploads: upload, export: export, compliance: config.compliance)
            .register(on: router, table: &table)
        let described = table
        table.add(router, .get, "openapi.json") { _, _ in OpenAPIDocument.response(described) }
        shared.table = table
        return (router, table)
    }

    /// The service, listening on `listen` (port 0 picks a free one, logged as "http listening").
    /// An address that cannot be bound (in use, no permission) is logged and tried again every
    /// 10 s: the inboxes and the dialer go on without the server.
    public static func service(listen: HTTPConfig.Listen, config: DropdialConfig, store: any StoreEngine, health: ServiceHealth,
                               uploads: any UploadDesk, metrics: PrometheusCollectorRegistry, webhooks: WebhookReceiver? = nil,
                               logger: Logger) -> any Service {
        Retrying(logger: logger, listen: listen) {
            application(listen: listen, config: config, store: store, health: health, uploads: uploads, metrics: metrics,
                        webhooks: webhooks, logger: logger)
        }
    }

    static func application(listen: HTTPConfig.Listen, config: DropdialConfig, store: any StoreEngine, health: ServiceHealth,
                            uploads: any UploadDesk, metrics: PrometheusCollectorRegistry, webhooks: WebhookReceiver?,
                            logger: Logger) -> some Service {
        let (router, _) = routes(config: config, store: store, health: health, uploads: uploads, metrics: metrics,
                                 webhooks: webhooks)
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            router: router,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [ExpectContinueHandler(limit: Int64(config.maxUploadBytes))],
                idleTimeout: .seconds(30))),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "dropdial"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                let address = HTTPConfig.Listen(host: listen.host, port: port).description
                logger.notice("http listening", metadata: ["address": "\(address)"])
            },
            logger: serverLogger)
    }

    /// Runs a fresh application until the shutdown; when it fails, waits 10 s and starts another.
    struct Retrying: Service {
        let logger: Logger
        let listen: HTTPConfig.Listen
        let make: @Sendable () -> any Service

        func run() async throws {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    try await make().run()
                    return
                } catch {
                    logger.error("the HTTP server stopped; it is started again in 10 s",
                                 metadata: ["address": "\(listen)", "error": "\(error)"])
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(10)) }
                }
            }
        }
    }
}
