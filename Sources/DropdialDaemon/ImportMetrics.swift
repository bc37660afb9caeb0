import DropdialBase
import DropdialImport
import Metrics

/// The import series of SPEC §8, counted as each file is archived.
enum ImportMetrics {
    static let rowKinds = ["imported", "invalid", "duplicate", "suppressed"]

    static func record(_ report: ImportReport, inbox: String, seconds: Double) {
        Counter(label: MetricFamily.files.name, dimensions: [("inbox", inbox), ("status", report.status.rawValue)]).increment()
        let c = report.counts
        for (kind, n) in zip(rowKinds, [c.imported, c.invalid, c.duplicates, c.suppressed]) where n > 0 {
            Counter(label: MetricFamily.rows.name, dimensions: [("inbox", inbox), ("kind", kind)]).increment(by: n)
        }
        Recorder(label: MetricFamily.importDuration.name, dimensions: [("inbox", inbox)], aggregate: true).record(seconds)
    }

    /// Every inbox's series at zero from the start, so a scrape sees them before the first file.
    static func prime(inboxes: [String]) {
        for inbox in inboxes {
            for status in ImportReport.Status.allCases {
                _ = Counter(label: MetricFamily.files.name, dimensions: [("inbox", inbox), ("status", status.rawValue)])
            }
            for kind in rowKinds {
                _ = Counter(label: MetricFamily.rows.name, dimensions: [("inbox", inbox), ("kind", kind)])
            }
        }
    }
}
