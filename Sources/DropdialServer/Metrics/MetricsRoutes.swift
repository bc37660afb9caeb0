import DropdialBase
import DropdialStore
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// `GET /metrics` (SPEC §8): the Prometheus text format of everything counted through
/// swift-metrics, plus `dropdial_calls_due` read from the store at scrape time. Every family of
/// ``MetricFamily`` has its `# TYPE` line even before its first sample. It needs a key unless
/// `[http] metrics_public = true`.
struct MetricsRoutes {
    let store: any StoreEngine
    let registry: PrometheusCollectorRegistry
    let isPublic: Bool

    func register(on router: Router<APIContext>, table: inout RouteTable) {
        table.add(router, .get, "metrics") { request, _ in
            if !isPublic { _ = try KeyAuthentication.authenticate(request, store: store) }
            Gauge(label: MetricFamily.callsDue.name).record(try store.dueCount(now: Int64(Date().timeIntervalSince1970)))
            var text = registry.emitToBuffer()
            let present = String(decoding: text, as: UTF8.self)
            for family in MetricFamily.allCases where !present.contains("# TYPE \(family.name) ") {
                text += Array("# TYPE \(family.name) \(family.type)\n".utf8)
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}

/// Counts every answer as `dropdial_http_requests_total{route, status}`: the route as its
/// template (`/api/call/batch-details/{batchId}`), `unmatched` for paths no route has, so a
/// scanner cannot grow the series without bound.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let routes: SharedRouteTable

    func handle(_ request: Request, context: APIContext,
                next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        let route = routes.table.template(forPath: request.uri.path) ?? "unmatched"
        Counter(label: MetricFamily.httpRequests.name, dimensions: [("route", route), ("status", String(response.status.code))])
            .increment()
        return response
    }
}
