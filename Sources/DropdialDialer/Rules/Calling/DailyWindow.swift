import DropdialConfig

/// The daily window actually in force: the configured window, clipped by the calling-hours guard.
extension CallingRules {
    /// SPEC §7 calling-hours guard: `08:00 <= time of day < 21:00` on the contact's clock.
    public static let guardHours = CallingWindow(start: LocalTime(minutes: 8 * 60), end: LocalTime(minutes: 21 * 60))

    /// The configured window clipped by the guard when it is on; nil when nothing is left of it.
    public static func effectiveWindow(_ window: CallingWindow, guarded: Bool) -> CallingWindow? {
        var start = window.start.minutes, end = window.end.minutes
        if guarded {
            start = max(start, guardHours.start.minutes)
            end = min(end, guardHours.end.minutes)
        }
        start = max(start, 0)
        end = min(end, 24 * 60)
        return start < end ? CallingWindow(start: LocalTime(minutes: start), end: LocalTime(minutes: end)) : nil
    }
}
