import Foundation

/// The dialer's time: the system clock in `run`, a virtual clock in `simulate` and in tests.
public protocol DialerClock: Sendable {
    func now() -> Date
    /// Waits until `deadline` (or returns early when woken); virtual clocks jump instead.
    func sleep(until deadline: Date) async throws
}

/// Wall-clock time.
public struct SystemClock: DialerClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
    }
}

/// Virtual time that only moves when told: sleeping jumps straight to the deadline.
public final class VirtualClock: DialerClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(start: Date) { current = start }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func sleep(until deadline: Date) async throws { advance(to: deadline) }

    /// Moves time forward to `instant` (never backward).
    public func advance(to instant: Date) {
        lock.lock()
        if instant > current { current = instant }
        lock.unlock()
    }
}
