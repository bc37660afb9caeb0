import Foundation

/// One zone's transitions and offsets over 1970–2100, read once from `TimeZone` and then searched
/// in memory; instants outside that span are answered by `TimeZone` directly.
struct TransitionTable: Sendable {
    static let span: Range<Double> = 0 ..< 4_102_444_800  // 1970-01-01 ..< 2100-01-01 UTC

    /// Ascending transition instants inside `span`.
    let transitions: [Double]
    /// `offsets[i]` is in force before `transitions[i]` (and after the previous one); one more than transitions.
    let offsets: [Double]
    /// The first transition at or after the end of `span` (`.infinity` when none).
    let beyond: Double

    init(_ zone: TimeZone) {
        var transitions: [Double] = [], offsets: [Double] = []
        var t = Self.span.lowerBound
        offsets.append(Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t))))
        var next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: t))?.timeIntervalSince1970
        while let n = next, n < Self.span.upperBound, n > t {
            transitions.append(n)
            offsets.append(Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: n))))
            t = n
            next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: t))?.timeIntervalSince1970
        }
        self.transitions = transitions
        self.offsets = offsets
        beyond = next.map { $0 >= Self.span.upperBound ? $0 : .infinity } ?? .infinity
    }

    /// Index of the first transition strictly after `t`.
    private func firstIndex(after t: Double) -> Int {
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// For `t` inside `span`: the offset in force at `t` and the next transition after it.
    func segment(at t: Double) -> (offset: Double, end: Double) {
        let i = firstIndex(after: t)
        return (offsets[i], i < transitions.count ? transitions[i] : beyond)
    }
}

/// The tables built so far, one per zone identifier, shared by every caller.
final class TransitionTables: @unchecked Sendable {
    static let shared = TransitionTables()
    private let lock = NSLock()
    private var tables: [String: TransitionTable] = [:]

    func table(for zone: TimeZone) -> TransitionTable {
        lock.lock()
        if let t = tables[zone.identifier] { lock.unlock(); return t }
        lock.unlock()
        let built = TransitionTable(zone)  // built outside the lock; a racing duplicate is harmless
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[zone.identifier] { return t }
        tables[zone.identifier] = built
        return built
    }
}
