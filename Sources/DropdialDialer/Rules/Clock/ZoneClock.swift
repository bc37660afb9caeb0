import Foundation

/// One time zone seen as constant-offset stretches between transitions; instants are seconds since 1970.
/// Offsets and transitions come from `TimeZone` (via a shared `TransitionTable`) — no `Calendar`.
struct ZoneClock: Sendable {
    let zone: TimeZone
    let table: TransitionTable

    init(_ zone: TimeZone) {
        self.zone = zone
        table = TransitionTables.shared.table(for: zone)
    }

    /// Seconds east of UTC at instant `t`.
    func offset(at t: Double) -> Double { segment(at: t).offset }

    /// The first transition strictly after `t`, or nil when the zone never changes again.
    func nextTransition(after t: Double) -> Double? {
        let end = segment(at: t).end
        return end.isFinite ? end : nil
    }

    /// The offset in force at `t` and the instant it stops being in force (`.infinity` when never).
    func segment(at t: Double) -> (offset: Double, end: Double) {
        if TransitionTable.span.contains(t) { return table.segment(at: t) }
        let date = Date(timeIntervalSince1970: t)
        return (Double(zone.secondsFromGMT(for: date)),
                zone.nextDaylightSavingTimeTransition(after: date)?.timeIntervalSince1970 ?? .infinity)
    }

    /// The wall-clock reading at `t`, as local seconds.
    func local(_ t: Double) -> Double { t + offset(at: t) }
}
