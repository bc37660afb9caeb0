import DropdialBase
/// Eligibility in a single zone: whole stretches of eligible instants, found by walking local days
/// inside each constant-offset segment and hopping segment to segment at the zone's transitions.
extension CallingRules {
    /// True when the wall clock of `clock` at `t` is on an open day and inside the window.
    func isEligible(_ t: Double, in clock: ZoneClock) -> Bool {
        guard !isNeverEligible else { return false }
        let local = clock.local(t)
        let day = CivilDay.containing(localSeconds: local)
        let tod = local - Double(day * CivilDay.secondsPerDay)
        return tod >= opensAt && tod < closesAt && isOpen(day: day)
    }

    /// The first eligible stretch `[start, end)` with `start >= t` (start is `t` itself when `t` is
    /// eligible); `end` is where this segment's piece of it closes. Nil when none starts before `limit`.
    func stretch(atOrAfter t: Double, in clock: ZoneClock, before limit: Double) -> (start: Double, end: Double)? {
        guard !isNeverEligible else { return nil }
        let daySeconds = Double(CivilDay.secondsPerDay)
        var t = t
        while t < limit {
            let (o, segmentEnd) = clock.segment(at: t)
            let from = t + o                        // local reading at t
            let localEnd = segmentEnd + o           // the reading the segment never reaches
            let localLimit = min(localEnd, limit + o)
            var day = CivilDay.containing(localSeconds: from)
            while Double(day) * daySeconds < localLimit {
                let midnight = Double(day) * daySeconds
                let open = midnight + opensAt, close = midnight + closesAt
                if close > from && isOpen(day: day) {
                    let start = max(open, from)
                    if start >= localLimit { break }
                    return (start - o, min(close, localEnd) - o)
                }
                day += 1
            }
            guard segmentEnd.isFinite else { return nil }
            t = segmentEnd
        }
        return nil
    }

    /// Where the eligible run through `start` (itself eligible) ends in one zone, joining stretches
    /// that touch across a transition or midnight; capped at `cap`.
    func runEnd(from start: Double, end: Double, in clock: ZoneClock, cap: Double) -> Double {
        var end = end
        while end < cap, let next = stretch(atOrAfter: end, in: clock, before: cap), next.start == end {
            end = next.end
        }
        return min(end, cap)
    }
}
