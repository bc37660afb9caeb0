/// Every metric family dropdial exports (SPEC §8): its name, type and labels, in one place. The
/// code that counts uses these names through swift-metrics; `/metrics` writes each family's
/// `# TYPE` line even before its first sample.
public enum MetricFamily: String, Sendable, CaseIterable {
    case files = "dropdial_files_total"
    case rows = "dropdial_rows_total"
    case importDuration = "dropdial_import_duration_seconds"
    case attempts = "dropdial_attempts_total"
    case callsInFlight = "dropdial_calls_in_flight"
    case callsDue = "dropdial_calls_due"
    case httpRequests = "dropdial_http_requests_total"
    case webhooks = "dropdial_webhooks_total"

    public var name: String { rawValue }

    /// The Prometheus type.
    public var type: String {
        switch self {
        case .files, .rows, .attempts, .httpRequests, .webhooks: "counter"
        case .callsInFlight, .callsDue: "gauge"
        case .importDuration: "histogram"
        }
    }

    public var labels: [String] {
        switch self {
        case .files: ["inbox", "status"]
        case .rows: ["inbox", "kind"]
        case .importDuration: ["inbox"]
        case .attempts: ["outcome", "backend"]
        case .callsInFlight, .callsDue: []
        case .httpRequests: ["route", "status"]
        case .webhooks: ["provider", "result"]
        }
    }

    /// The buckets of the import-duration histogram, in seconds: a small file takes milliseconds,
    /// a million rows seconds, a large workbook minutes.
    public static let importBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600]
}
