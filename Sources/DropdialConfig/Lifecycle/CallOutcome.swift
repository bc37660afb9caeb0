/// How an attempt ended (SPEC §7); the raw values are the names used in settings, JSON and the store.
public enum CallOutcome: String, Sendable, Hashable, CaseIterable, Codable {
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
