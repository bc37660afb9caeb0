import DropdialBase
import DropdialConfig

/// When a contact may be called (SPEC §7): allowed weekday, daily window clipped by the calling-hours
/// guard, and not a holiday — all judged on the contact's local wall clock, in every one of its zones.
public struct CallingRules: Sendable, Hashable {
    /// How far ahead `nextEligible` looks before it gives up and answers nil.
    public static let searchHorizon: Double = 400 * 86_400

    public let allowedDays: Weekdays
    /// The window as configured; see `window` for what is in force.
    public let callingWindow: CallingWindow
    public let callingHoursGuard: Bool
    /// Holiday dates `YYYY-MM-DD` on the contact's local calendar; unparseable entries are dropped.
    public let holidays: Set<String>
    /// The window in force (clipped by the guard), or nil when it is empty and nothing is ever eligible.
    public let window: CallingWindow?

    let holidayDays: Set<Int>
    /// Window bounds in seconds after local midnight (meaningless when `window` is nil).
    let opensAt: Double
    let closesAt: Double

    public init(allowedDays: [Int], callingWindow: CallingWindow, callingHoursGuard: Bool = true, holidays: [String] = []) {
        self.allowedDays = Weekdays(allowedDays)
        self.callingWindow = callingWindow
        self.callingHoursGuard = callingHoursGuard
        var days = Set<Int>(), kept = Set<String>()
        for h in holidays {
            if let n = CivilDay.parse(h) { days.insert(n); kept.insert(h) }
        }
        self.holidays = kept
        self.holidayDays = days
        let w = Self.effectiveWindow(callingWindow, guarded: callingHoursGuard)
        self.window = w
        opensAt = Double((w?.start.minutes ?? 0) * 60)
        closesAt = Double((w?.end.minutes ?? 0) * 60)
    }

    /// The rules of one batch's settings.
    public init(_ settings: BatchSettings) {
        self.init(allowedDays: settings.allowedDays, callingWindow: settings.callingWindow,
                  callingHoursGuard: settings.callingHoursGuard, holidays: settings.holidays)
    }

    /// True when nothing can ever be eligible: empty window after clipping, or no allowed day.
    public var isNeverEligible: Bool { window == nil || allowedDays.isEmpty }

    /// True when calls may be placed at some time on local day number `day`.
    func isOpen(day: Int) -> Bool {
        allowedDays.contains(CivilDay.weekday(day)) && !holidayDays.contains(day)
    }
}
