import DropdialBase
import DropdialConfig
import Foundation

/// When the next attempt of a call is due (SPEC §7): plain `retry {count, intervalMinutes}`, or
/// `smartCallbackConfig` which replaces it when enabled. Pure: no clock, no state but its inputs.
public struct RetryPlan: Sendable, Hashable {
    /// How retries are spaced.
    public enum Spacing: Sendable, Hashable {
        /// Up to `count` retries, each `intervalMinutes` of elapsed time after the previous attempt's end.
        case plain(RetryPolicy)
        /// At most `maxAttempts` attempts in all; the k-th retry waits `gaps[k-1]` (the last gap repeats).
        case smart(SmartCallbackConfig)
    }

    public let rules: CallingRules
    public let spacing: Spacing
    /// Outcomes that are retried; any other outcome is final.
    public let retriedOutcomes: Set<CallOutcome>

    public init(rules: CallingRules, spacing: Spacing,
                retriedOutcomes: Set<CallOutcome> = CallOutcome.defaultRetried) {
        self.rules = rules
        self.spacing = spacing
        self.retriedOutcomes = retriedOutcomes
    }

    /// The plan of one batch's settings; `smartCallbackConfig` wins only when `enabled`.
    public init(_ settings: BatchSettings,
                retriedOutcomes: Set<CallOutcome> = CallOutcome.defaultRetried) {
        let spacing: Spacing = if let smart = settings.smartCallbackConfig, smart.enabled { .smart(smart) }
            else { .plain(settings.retry) }
        self.init(rules: CallingRules(settings), spacing: spacing, retriedOutcomes: retriedOutcomes)
    }

    /// Attempts allowed in all, the first one included.
    public var maxAttempts: Int {
        switch spacing {
        case .plain(let r): 1 + r.count.clamped(to: SettingsCheck.Bounds.retries)
        case .smart(let s): s.maxAttempts.clamped(to: SettingsCheck.Bounds.attempts)
        }
    }

    public func isRetried(_ outcome: CallOutcome) -> Bool { retriedOutcomes.contains(outcome) }

    /// When attempt `n + 1` is due after attempt `n` (1-based, just finished) ended at `endedAt` with
    /// `outcome`; nil when the call is final (outcome not retried, attempts used up, nothing eligible).
    public func next(afterAttempt n: Int, endedAt: Date, outcome: CallOutcome, zones: [TimeZone]) -> Date? {
        guard isRetried(outcome), n < maxAttempts, let earliest = earliestRetry(afterAttempt: n, endedAt: endedAt, zones: zones)
        else { return nil }
        return rules.nextEligible(atOrAfter: earliest, zones: zones)
    }

    /// The wait alone, before the calling rules apply: the instant retry `n` may be placed at the
    /// earliest. Smart gaps count `days` on the first zone's wall clock, then `hours` elapsed.
    public func earliestRetry(afterAttempt n: Int, endedAt: Date, zones: [TimeZone]) -> Date? {
        switch spacing {
        case .plain(let r):
            // Clamped as the manifest and config check it: a batch stored before the bounds existed
            // still never retries at once.
            return endedAt.addingTimeInterval(Double(r.intervalMinutes.clamped(to: SettingsCheck.Bounds.intervalMinutes)) * 60)
        case .smart(let s):
            guard let zone = zones.first else { return nil }
            // Retry k = n follows attempt n and waits gaps[k-1]; past the list the last gap repeats.
            let gap = s.gaps.isEmpty ? CallbackGap(days: 0, hours: 0) : s.gaps[min(max(n, 1), s.gaps.count) - 1]
            let clock = ZoneClock(zone)
            let t = endedAt.timeIntervalSince1970
            // Zero days keeps the instant itself (re-reading a fold's second occurrence would move back).
            let shifted = gap.days <= 0 ? t
                : clock.instant(showing: clock.local(t) + Double(gap.days * CivilDay.secondsPerDay))
            // A stored zero gap (allowed before the bounds) still waits a minute.
            return Date(timeIntervalSince1970: max(shifted + Double(max(gap.hours, 0)) * 3600, t + 60))
        }
    }
}

extension Int {
    /// The value limited to `range`.
    func clamped(to range: ClosedRange<Int>) -> Int { Swift.min(Swift.max(self, range.lowerBound), range.upperBound) }
}
