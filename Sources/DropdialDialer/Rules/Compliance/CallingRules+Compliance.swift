import Foundation

/// Eligibility under a batch's own rules and the compliance rules that match the contact, found
/// as the first instant every gate allows: each gate answers the first instant at or after a
/// candidate that it allows, and the candidate moves to the latest answer until none moves it.
extension CallingRules {
    /// The earliest instant at or after `instant` that the batch's rules, every window rule of
    /// `compliance` (in each of `zones`) and every limit (over `history`) allow; nil when there is
    /// none within `searchHorizon`.
    func nextEligible(atOrAfter instant: Date, zones: [TimeZone], compliance: [ComplianceRules.Rule],
                      history: AttemptHistory) -> Date? {
        if compliance.isEmpty { return nextEligible(atOrAfter: instant, zones: zones) }
        guard !zones.isEmpty, !isNeverEligible else { return nil }
        let t0 = instant.timeIntervalSince1970
        guard t0.isFinite else { return nil }
        let limit = t0 + Self.searchHorizon
        let clocks = zones.map(ZoneClock.init)
        var gates: [(Double) -> Double?] = []
        for clock in clocks {
            gates.append { self.stretch(atOrAfter: $0, in: clock, before: limit)?.start }
        }
        for rule in compliance {
            if !rule.windows.isEmpty {
                for clock in clocks {
                    // Inside at least one window: the earliest of their next openings.
                    gates.append { t in
                        rule.windows.compactMap { $0.stretch(atOrAfter: t, in: clock, before: limit)?.start }.min()
                    }
                }
            }
            for (attempts, seconds) in rule.limits {
                gates.append { history.firstAllowed(atOrAfter: $0, attempts: attempts, seconds: seconds) }
            }
        }
        var candidate = t0
        // Every round moves the candidate forward to a gate's next opening; the horizon bounds it.
        while candidate < limit {
            var moved = false
            for gate in gates {
                guard let next = gate(candidate) else { return nil }
                if next > candidate {
                    candidate = next
                    moved = true
                }
            }
            if !moved { return Date(timeIntervalSince1970: candidate) }
        }
        return nil
    }
}
