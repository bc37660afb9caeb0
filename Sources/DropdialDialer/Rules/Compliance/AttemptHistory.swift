/// The attempts made to one E.164 number that a compliance limit may still count (SPEC §9):
/// instants in Unix seconds, most recent first, over every batch and inbox.
public struct AttemptHistory: Sendable, Equatable {
    /// Most recent first.
    public private(set) var instants: [Double]

    public init(_ instants: [Double] = []) {
        self.instants = instants.sorted(by: >)
    }

    public static let empty = AttemptHistory()

    /// An attempt made at `t` (not earlier than any already kept).
    public mutating func add(_ t: Double) {
        instants.insert(t, at: instants.firstIndex(where: { $0 <= t }) ?? instants.count)
    }

    /// Keeps the `depth` most recent attempts: older ones can never decide a limit.
    public mutating func trim(to depth: Int) {
        if instants.count > depth { instants.removeLast(instants.count - depth) }
    }

    /// The first instant at or after `t` at which fewer than `attempts` attempts count: an attempt
    /// at `a` counts for `a <= t < a + seconds`. Every kept attempt is at or before `t`.
    func firstAllowed(atOrAfter t: Double, attempts: Int, seconds: Double) -> Double {
        guard instants.count >= attempts else { return t }
        // The attempts-th most recent attempt: once it stops counting, fewer than `attempts` do.
        return max(t, instants[attempts - 1] + seconds)
    }
}
