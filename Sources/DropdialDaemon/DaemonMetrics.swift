import DropdialBase
import Metrics
import Prometheus

/// The process's metrics backend: swift-metrics counts into one Prometheus registry, which
/// `/metrics` writes out. Bootstrapped once, by `dropdial run`.
enum DaemonMetrics {
    static func bootstrap(inboxes: [String]) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.valueHistogramBuckets[MetricFamily.importDuration.name] = MetricFamily.importBuckets
        MetricsSystem.bootstrap(factory)
        ImportMetrics.prime(inboxes: inboxes)
        _ = Gauge(label: MetricFamily.callsInFlight.name)
        return registry
    }
}
