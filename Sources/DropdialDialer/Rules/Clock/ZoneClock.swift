import Foundation

/// One time zone seen as constant-offset stretches between transitions; instants are seconds since 1970.
/// Reads offsets and transitions straight from `TimeZone` — no `Calendar`, no minute steps.
struct ZoneClock: Sendable {
    let zone: TimeZone

    init(_ zone: TimeZone) { self.zone = zone }

    /// Seconds east of UTC at instant `t`.
    func offset(at t: Double) -> Double {
        Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: t)))
    }

    /// The first transition strictly after `t`, or nil when the zone never changes again.
    func nextTransition(after t: Double) -> Double? {
        zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: t))?.timeIntervalSince1970
    }

    /// The offset in force at `t` and the instant it stops being in force (`.infinity` when never).
    func segment(at t: Double) -> (offset: Double, end: Double) {
        (offset(at: t), nextTransition(after: t) ?? .infinity)
    }

    /// The wall-clock reading at `t`, as local seconds.
    func local(_ t: Double) -> Double { t + offset(at: t) }
}
