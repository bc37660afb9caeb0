/// How one attempt ended (SPEC §7). Retried by default: no_answer, busy, failed, voicemail.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    case completed
    case noAnswer = "no_answer"
    case busy
    case failed
    case voicemail
    case invalidNumber = "invalid_number"
    case declined

    /// The outcomes retried unless an inbox configures its own set.
    public static let retriedByDefault: Set<Outcome> = [.noAnswer, .busy, .failed, .voicemail]
}
