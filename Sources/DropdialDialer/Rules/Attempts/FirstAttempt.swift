import Foundation

extension CallingRules {
    /// SPEC §7 first attempt: the earliest eligible instant at or after the latest of the import time,
    /// `scheduledAt` (when set) and the dialer clock's start.
    public func firstAttempt(importedAt: Date, scheduledAt: Date?, clockStart: Date, zones: [TimeZone]) -> Date? {
        var from = max(importedAt, clockStart)
        if let scheduledAt { from = max(from, scheduledAt) }
        return nextEligible(atOrAfter: from, zones: zones)
    }
}
