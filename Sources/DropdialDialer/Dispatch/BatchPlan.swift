import DropdialConfig
import Foundation

/// What the dispatcher needs of one batch, built once from its stored settings.
struct BatchPlan: Sendable {
    let settings: BatchSettings
    let rules: CallingRules
    let retry: RetryPlan

    init(settings: BatchSettings, retriedOutcomes: Set<CallOutcome>) {
        self.settings = settings
        rules = CallingRules(settings)
        retry = RetryPlan(settings, retriedOutcomes: retriedOutcomes)
    }
}

/// `TimeZone` objects by name, built once: `TimeZone(identifier:)` is not free.
struct ZoneCache {
    private var zones: [String: [TimeZone]] = [:]

    /// The zones of a comma-separated list; unknown names fall back to UTC rather than crash.
    mutating func zones(_ list: String) -> [TimeZone] {
        if let hit = zones[list] { return hit }
        let parsed = list.split(separator: ",").map { TimeZone(identifier: String($0)) ?? TimeZone(identifier: "UTC")! }
        zones[list] = parsed
        return parsed
    }
}
