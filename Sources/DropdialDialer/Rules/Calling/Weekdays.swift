/// A set of ISO weekdays, 1 = Monday … 7 = Sunday; Sunday may also be given as 0 (seed `allowedDays`).
public struct Weekdays: Sendable, Hashable {
    private var bits: UInt8

    /// Days outside 0…7 are ignored (the config check already rejects them).
    public init(_ days: some Sequence<Int>) {
        bits = 0
        for d in days where (0...7).contains(d) { bits |= 1 << UInt8(d == 0 ? 7 : d) }
    }

    /// True when `day` (0…7, 0 and 7 both Sunday) is in the set.
    public func contains(_ day: Int) -> Bool {
        guard (0...7).contains(day) else { return false }
        return bits & (1 << UInt8(day == 0 ? 7 : day)) != 0
    }

    public var isEmpty: Bool { bits == 0 }

    /// The days in the set, 1…7 (Sunday as 7).
    public var days: [Int] { (1...7).filter(contains) }
}
