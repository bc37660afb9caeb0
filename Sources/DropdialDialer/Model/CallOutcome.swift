/// How one attempt ended (SPEC §7). Retried by default: no_answer, busy, failed, voicemail.
public enum CallOutcome: String, Sendable, Codable, CaseIterable {
    case completed
    case noAnswer = "no_answer"
    case busy
    case failed
    case voicemail
    case invalidNumber = "invalid_number"
    case declined

    /// The outcomes retried unless an inbox configures its own set.
    public static let defaultRetried: Set<CallOutcome> = [.noAnswer, .busy, .failed, .voicemail]
}
