/// One `[[compliance]]` entry (SPEC §9): which numbers it matches and what it allows them.
///
/// ```toml
/// [[compliance]]
/// name = "Florida: Fla. Stat. 501.616(6)"
/// countries = ["US"]
/// states = ["FL"]
/// windows = [{ days = [1, 2, 3, 4, 5, 6, 7], start = "08:00", end = "20:00" }]
/// limits = [{ attempts = 3, hours = 24 }]
/// ```
public struct ComplianceRule: Sendable, Hashable {
    public var name: String
    /// ISO regions of the number, as the numbering data gives them (`US`, `CA`, `FR`); nil: any.
    public var countries: [String]?
    /// Two-letter US state or Canadian province codes; nil: any. A NANP number matches by its area
    /// code or by its row's `state` column.
    public var states: [String]?
    /// The local time must be inside at least one of them; empty: any time.
    public var windows: [Window]
    /// Local dates `YYYY-MM-DD` on which no call is placed.
    public var holidays: [String]
    /// At most `attempts` attempts to the same E.164 number in any `hours` hours, over every batch.
    public var limits: [Limit]

    public struct Window: Sendable, Hashable, Decodable {
        /// `allowedDays` numbering: 1 = Monday … 7 (or 0) = Sunday.
        public var days: [Int]
        public var start: LocalTime
        public var end: LocalTime

        public init(days: [Int], start: LocalTime, end: LocalTime) {
            self.days = days
            self.start = start
            self.end = end
        }
    }

    public struct Limit: Sendable, Hashable, Decodable {
        public var attempts: Int
        public var hours: Double

        public init(attempts: Int, hours: Double) {
            self.attempts = attempts
            self.hours = hours
        }

        enum CodingKeys: String, CodingKey { case attempts, hours }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            attempts = try c.decode(Int.self, forKey: .attempts)
            hours = try c.decode(Number.self, forKey: .hours).value
        }
    }

    public init(name: String, countries: [String]? = nil, states: [String]? = nil, windows: [Window] = [],
                holidays: [String] = [], limits: [Limit] = []) {
        self.name = name
        self.countries = countries
        self.states = states
        self.windows = windows
        self.holidays = holidays
        self.limits = limits
    }

    /// The longest limit span accepted: a year.
    public static let maxLimitHours = 366.0 * 24

    /// Semantic checks; (key, message) pairs under `compliance[i].`.
    func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        if name.isEmpty { out.append(("name", "give the rule a name; it is shown on every call it matches")) }
        if countries == nil && states == nil {
            out.append(("countries", "a rule needs a match: countries = [\"US\"], states = [\"FL\"] or both"))
        }
        if let c = countries, c.isEmpty || c.contains(where: { $0.count != 2 || $0.uppercased() != $0 }) {
            out.append(("countries", "list ISO regions in capitals, e.g. [\"US\", \"CA\"]"))
        }
        if let s = states, s.isEmpty || s.contains(where: { $0.count != 2 || $0.uppercased() != $0 }) {
            out.append(("states", "list two-letter state or province codes in capitals, e.g. [\"FL\", \"ON\"]"))
        }
        for (i, w) in windows.enumerated() {
            if w.days.isEmpty || w.days.contains(where: { !(0...7).contains($0) }) {
                out.append(("windows[\(i)].days", "days are 1 (Monday) to 7 (Sunday; 0 also means Sunday)"))
            }
            if let m = SettingsCheck.window(CallingWindow(start: w.start, end: w.end)) {
                out.append(("windows[\(i)]", m))
            }
        }
        if let bad = holidays.first(where: { SettingsCheck.holiday($0) != nil }) {
            out.append(("holidays", "\"\(bad)\" is not a date; write YYYY-MM-DD"))
        }
        for (i, l) in limits.enumerated() {
            if l.attempts < 1 { out.append(("limits[\(i)].attempts", "must be 1 or more")) }
            if !(l.hours > 0 && l.hours <= Self.maxLimitHours) {
                out.append(("limits[\(i)].hours", "must be more than 0 and at most \(Int(Self.maxLimitHours)) hours"))
            }
        }
        return out
    }
}

extension ComplianceRule: Decodable {
    enum CodingKeys: String, CodingKey { case name, countries, states, windows, holidays, limits }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name),
                  countries: try c.decodeIfPresent([String].self, forKey: .countries),
                  states: try c.decodeIfPresent([String].self, forKey: .states),
                  windows: try c.decodeIfPresent([Window].self, forKey: .windows) ?? [],
                  holidays: try c.decodeIfPresent([String].self, forKey: .holidays) ?? [],
                  limits: try c.decodeIfPresent([Limit].self, forKey: .limits) ?? [])
    }
}
