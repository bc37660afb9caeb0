/// Turning a wall-clock reading back into an instant: a reading in a DST gap resolves to the end of
/// the gap (the first valid instant), a reading in a fold to its first occurrence.
extension ZoneClock {
    /// Offsets stay within ±18 h, so every instant showing `local` lies within this distance of it.
    private static let reach: Double = 26 * 3600

    /// The earliest instant at which this zone's wall clock shows `local` (local seconds), or,
    /// when that reading is skipped by a gap, the instant the clock jumps over it.
    func instant(showing local: Double) -> Double {
        var a = local - Self.reach
        let stop = local + Self.reach
        while a < stop {
            let (o, b) = segment(at: a)
            let u = local - o
            if u >= a && u < b { return u }
            guard b.isFinite else { break }
            // The clock jumps from b + o to b + o2 at b: a reading in between never occurs.
            if local >= b + o && local < b + offset(at: b) { return b }
            a = b
        }
        // Unreachable for real zones; fall back to the offset in force around the reading.
        return local - offset(at: local - offset(at: local))
    }
}
