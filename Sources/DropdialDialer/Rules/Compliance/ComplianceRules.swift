import DropdialConfig
import DropdialImport
import DropdialStore

/// The `[[compliance]]` rules (SPEC §9), compiled once for the decision function: each window as
/// the calling rules of one `{days, start, end}` (no guard; the rule's holidays closed).
public struct ComplianceRules: Sendable {
    public struct Rule: Sendable {
        public let config: ComplianceRule
        public var name: String { config.name }
        /// One per window; a rule with holidays and no windows has one all-day window.
        let windows: [CallingRules]
        /// `(attempts, seconds)` per limit.
        let limits: [(attempts: Int, seconds: Double)]

        init(_ config: ComplianceRule) {
            self.config = config
            var windows = config.windows.map {
                CallingRules(allowedDays: $0.days, callingWindow: CallingWindow(start: $0.start, end: $0.end),
                             callingHoursGuard: false, holidays: config.holidays)
            }
            if windows.isEmpty && !config.holidays.isEmpty {
                windows = [CallingRules(allowedDays: Array(1...7), callingWindow: Self.allDay,
                                        callingHoursGuard: false, holidays: config.holidays)]
            }
            self.windows = windows
            limits = config.limits.map { ($0.attempts, $0.hours * 3600) }
        }

        static let allDay = CallingWindow(start: LocalTime(minutes: 0), end: LocalTime(minutes: 24 * 60))
    }

    public let rules: [Rule]

    public init(_ config: [ComplianceRule]) {
        rules = config.map(Rule.init)
    }

    public static let none = ComplianceRules([])

    public var isEmpty: Bool { rules.isEmpty }
    /// True when some rule matches on states, which a row's `state` column may name.
    var readsStateColumn: Bool { rules.contains { $0.config.states != nil } }
    /// The longest span any limit counts over, in seconds (0 without limits).
    var longestLimit: Double { rules.flatMap(\.limits).map(\.seconds).max() ?? 0 }
    /// The most attempts any limit allows: no more of a number's history is ever needed.
    var historyDepth: Int { rules.flatMap(\.limits).map(\.attempts).max() ?? 0 }

    /// The rules that match a contact with `facts`, in config order.
    public func matching(_ facts: ContactFacts) -> [Rule] {
        rules.filter { $0.config.matches(facts) }
    }

    /// The facts of a call, looked up only as far as the rules need them: the variables are read
    /// only when they may hold a `state` column; the region is not looked up (see ``matching(e164:variablesJSON:)``).
    func facts(e164: String, variablesJSON: String) -> ContactFacts {
        let needsColumn = readsStateColumn && e164.hasPrefix("+1") && ContactFacts.mayHaveStateColumn(json: variablesJSON)
        let variables = needsColumn ? CallVariables.decode(variablesJSON) : [:]
        return ContactFacts.of(e164: e164, variables: variables, needRegion: false)
    }

    /// The rules that match a call, its region looked up once, and only when a rule needs it.
    public func matching(e164: String, variablesJSON: String) -> [Rule] {
        let facts = facts(e164: e164, variablesJSON: variablesJSON)
        let region = ContactFacts.regionOnce(e164)
        return rules.filter { $0.config.matches(facts, region: region) }
    }
}
