/// Where a call is in its life (SPEC §7): the one home of these names. The store's SQL is built
/// from them (``sql``), so no status is spelled anywhere else.
public enum CallStatus: String, LifecycleName {
    /// Waiting for its next attempt (`nextAttemptAt`): the only status the due index holds.
    case pending
    /// An attempt is under way; it is recorded before the backend is called.
    case dialing
    /// Its batch is paused; `resume` makes it pending again.
    case paused
    /// Final: its last outcome needs no retry, or its attempts are used up.
    case done
    /// Its batch was cancelled.
    case cancelled
}

/// Where a batch is in its life (SPEC §7): `scheduled` → `active` → `completed`; `paused` and
/// `cancelled` by command.
public enum BatchStatus: String, LifecycleName {
    /// Imported, nothing dialed yet.
    case scheduled
    /// At least one attempt was made.
    case active
    case paused
    /// No call is left to dial.
    case completed
    case cancelled
}

/// A name of the lifecycle (a status or an outcome), spelled once: its raw value is what the
/// store, the JSON and the config say, and the store's SQL is built from it.
public protocol LifecycleName: RawRepresentable<String>, Sendable, Hashable, CaseIterable, Codable {}

extension LifecycleName {
    /// As an SQL literal: `'pending'`.
    public var sql: String { "'" + rawValue + "'" }
}

extension Sequence where Element: LifecycleName {
    /// An SQL list of the statuses: `('pending', 'paused')`.
    public var sqlList: String { "(" + map { "'" + $0.rawValue + "'" }.joined(separator: ", ") + ")" }
}
