import Foundation

/// What happens to a call that is due (SPEC §7): the one decision both drivers — the
/// ``Dispatcher`` over the store and ``Simulation`` over its queue — act on. What follows an
/// attempt's outcome is the other decision, ``RetryPlan/next(afterAttempt:endedAt:outcome:zones:)``.
/// The do-not-call check is not here: each driver makes it at the moment it would dial (the store
/// in the transaction that records the attempt).
enum DueDecision: Sendable, Equatable {
    /// No eligible instant is left: the call ends undialed (`no_eligible_time`).
    case end
    /// Not eligible now: the call moves to its next eligible instant (Unix seconds).
    case reschedule(Int64)
    /// Eligible now: place it.
    case dial

    /// The decision for a call in `zones` under `rules` at `now`. An eligible instant less than a
    /// second away counts as now.
    static func of(_ rules: CallingRules, at now: Date, zones: [TimeZone]) -> DueDecision {
        guard let eligible = rules.nextEligible(atOrAfter: now, zones: zones) else { return .end }
        if eligible.timeIntervalSince(now) >= 1 { return .reschedule(Dispatcher.seconds(eligible)) }
        return .dial
    }
}
