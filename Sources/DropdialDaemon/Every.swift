import Foundation

/// Something done at most once per period, on the monotonic clock (the first call is due).
final class Every: @unchecked Sendable {
    private let lock = NSLock()
    private var last: ContinuousClock.Instant?

    /// True, and the period starts again, when `seconds` have passed since the last time.
    func isDue(every seconds: Double, now: ContinuousClock.Instant = .now) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let last, now - last < .milliseconds(Int64(seconds * 1000)) { return false }
        last = now
        return true
    }
}
