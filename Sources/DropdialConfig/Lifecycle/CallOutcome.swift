/// How an attempt ended (SPEC §7); the raw values are the names used in settings, JSON and the store.
public enum CallOutcome: String, LifecycleName {
    case completed
    case noAnswer = "no_answer"
    case busy
    case failed
    case voicemail
    case invalidNumber = "invalid_number"
    case declined

    /// Outcomes retried unless configured otherwise; every other outcome is final.
    public static let defaultRetried: Set<CallOutcome> = [.noAnswer, .busy, .failed, .voicemail]
}

/// How a call ends without being dialed; stored as its `lastOutcome` beside the attempt outcomes.
public enum UndialedEnd: String, LifecycleName {
    /// No instant within the rules' horizon is eligible.
    case noEligibleTime = "no_eligible_time"
    /// The number is on the do-not-call list.
    case suppressed
}
