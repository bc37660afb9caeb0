import Foundation

/// What happens to a call that is due (SPEC §7, §9): the one decision both drivers — the
/// ``Dispatcher`` over the store and ``Simulation`` over its queue — act on. What follows an
/// attempt's outcome is the other decision, ``RetryPlan/next(afterAttempt:endedAt:outcome:zones:)``.
/// The do-not-call check is not here: each driver makes it at the moment it would dial (the store
/// in the transaction that records the attempt). Rate limits are not here either: a call they hold
/// back is not rescheduled, it waits for the next token (``RateLimiter``).
enum DueDecision: Sendable, Equatable {
    /// No eligible instant is left: the call ends undialed (`no_eligible_time`).
    case end
    /// Not eligible now: the call moves to its next eligible instant (Unix seconds).
    case reschedule(Int64)
    /// Eligible now: place it.
    case dial

    /// The decision for a call in `zones` under `rules` and the matching `compliance` rules at
    /// `now`; `history` is the number's recent attempts over every batch (for the rules' limits).
    /// Under the batch's rules alone an eligible instant less than a second away counts as now;
    /// with compliance rules it does not (a limit must not be broken by a fraction of a second).
    static func of(_ rules: CallingRules, at now: Date, zones: [TimeZone],
                   compliance: [ComplianceRules.Rule] = [], history: AttemptHistory = .empty) -> DueDecision {
        guard let eligible = rules.nextEligible(atOrAfter: now, zones: zones, compliance: compliance, history: history)
        else { return .end }
        let wait = eligible.timeIntervalSince(now)
        if wait >= 1 || (wait > 0 && !compliance.isEmpty) { return .reschedule(Dispatcher.seconds(eligible)) }
        return .dial
    }
}
