import Foundation

/// The public eligibility questions, for a contact with one or more zones (all must be open at once).
/// An empty zone list is never eligible: a call is only placed when some zone says it may be.
extension CallingRules {
    /// True when a call may be placed at `instant` in every one of `zones`.
    public func isEligible(_ instant: Date, zones: [TimeZone]) -> Bool {
        guard !zones.isEmpty else { return false }
        let t = instant.timeIntervalSince1970
        return zones.allSatisfy { isEligible(t, in: ZoneClock($0)) }
    }

    /// The earliest instant at or after `instant` at which every zone is eligible; nil when there is
    /// none within `searchHorizon` (or the rules never allow a call).
    public func nextEligible(atOrAfter instant: Date, zones: [TimeZone]) -> Date? {
        guard let (start, _, _) = firstCommon(atOrAfter: instant.timeIntervalSince1970, zones: zones) else { return nil }
        return Date(timeIntervalSince1970: start)
    }

    /// The earliest eligible interval `start ..< end` with `start >= instant`: `end` is the first
    /// instant one of the zones closes (capped at `searchHorizon` after `start`).
    public func nextEligibleInterval(atOrAfter instant: Date, zones: [TimeZone]) -> Range<Date>? {
        guard let (start, clocks, ends) = firstCommon(atOrAfter: instant.timeIntervalSince1970, zones: zones)
        else { return nil }
        let cap = start + Self.searchHorizon
        var end = cap
        for (i, clock) in clocks.enumerated() {
            end = min(end, runEnd(from: start, end: ends[i], in: clock, cap: end))
        }
        return Date(timeIntervalSince1970: start) ..< Date(timeIntervalSince1970: end)
    }

    /// When `instant` is eligible, the instant that stops being so (the end of its interval); else nil.
    public func eligibleUntil(_ instant: Date, zones: [TimeZone]) -> Date? {
        guard let range = nextEligibleInterval(atOrAfter: instant, zones: zones), range.lowerBound == instant
        else { return nil }
        return range.upperBound
    }

    /// Intersects the zones' stretches: candidate = latest next start; done when every zone is open there.
    /// Returns the start, the clocks, and each zone's stretch end at that start.
    private func firstCommon(atOrAfter t: Double, zones: [TimeZone]) -> (Double, [ZoneClock], [Double])? {
        guard !zones.isEmpty, !isNeverEligible, t.isFinite else { return nil }
        let limit = t + Self.searchHorizon
        let clocks = zones.map(ZoneClock.init)
        var starts = [Double](repeating: 0, count: clocks.count)
        var ends = [Double](repeating: -.infinity, count: clocks.count)
        var candidate = t
        // Each round moves the candidate to a later stretch start; the horizon bounds the rounds.
        while candidate < limit {
            var latest = candidate
            for i in clocks.indices {
                // A stretch found for an earlier candidate is still the first one unless it has ended.
                if ends[i] <= candidate {
                    guard let s = stretch(atOrAfter: candidate, in: clocks[i], before: limit) else { return nil }
                    (starts[i], ends[i]) = s
                }
                latest = max(latest, starts[i])
            }
            if latest == candidate { return (candidate, clocks, ends) }
            candidate = latest
        }
        return nil
    }
}
