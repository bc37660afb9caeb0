import Foundation

/// When to try again the claimed files a passing fault held back (database busy or full, an
/// archive move refused): 1 s after the first failure, doubling up to a minute, reset once a
/// pass gets through. The files stay claimed meanwhile, so none is lost or failed for it.
final class RetryBackoff: @unchecked Sendable {
    static let first: Duration = .seconds(1)
    static let longest: Duration = .seconds(60)

    private let lock = NSLock()
    private var dueAt: ContinuousClock.Instant?
    private var delay: Duration = .zero

    /// Records a failure; returns the wait before the next pass. Several failures before the
    /// pending retry count once.
    @discardableResult
    func failed(now: ContinuousClock.Instant = .now) -> Duration {
        lock.lock()
        defer { lock.unlock() }
        if let dueAt, now < dueAt { return dueAt - now }
        delay = delay == .zero ? Self.first : min(delay * 2, Self.longest)
        dueAt = now + delay
        return delay
    }

    /// A pass went through: nothing is waiting any more.
    func succeeded() {
        lock.lock()
        defer { lock.unlock() }
        delay = .zero
        dueAt = nil
    }

    /// True when a retry is waiting and its time has come.
    func isDue(now: ContinuousClock.Instant = .now) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let dueAt else { return false }
        return now >= dueAt
    }
}
