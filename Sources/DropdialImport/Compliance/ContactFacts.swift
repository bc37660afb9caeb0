import Foundation
import DropdialConfig
import DropdialTimezones

/// What a compliance rule is matched on (SPEC §9): the number's region and, for a NANP number,
/// the state(s) of its area code and its row's `state` column. One home for every reader of it:
/// the dispatcher, `simulate` and the batch page.
public struct ContactFacts: Sendable, Hashable {
    /// ISO region from the numbering data (`US`, `CA`, `FR`); nil when it belongs to none.
    public var region: String?
    /// States or provinces the area code serves (empty outside the NANP).
    public var areaStates: [String]
    /// The row's `state` column, trimmed and in capitals, when it has one (NANP numbers only).
    public var rowState: String?

    public init(region: String?, areaStates: [String], rowState: String?) {
        self.region = region
        self.areaStates = areaStates
        self.rowState = rowState
    }

    /// The facts of `e164`, whose row's other columns are `variables`. `region` is looked up only
    /// when `needRegion` (it parses the number).
    public static func of(e164: String, variables: [String: String], needRegion: Bool = true) -> ContactFacts {
        let nanp = e164.hasPrefix("+1")
        var rowState: String?
        if nanp, let cell = variables.first(where: { $0.key.lowercased() == Self.stateColumn })?.value {
            let s = cell.trimmingCharacters(in: .whitespaces).uppercased()
            if !s.isEmpty { rowState = s }
        }
        return ContactFacts(region: needRegion ? PhoneNumbers.region(ofE164: e164) : nil,
                            areaStates: AreaCodeStates.states(ofE164: e164), rowState: rowState)
    }

    /// The column that names a contact's state (any letter case).
    public static let stateColumn = "state"

    /// False when the stored variables JSON cannot hold a `state` key (in any letter case): the
    /// row has no state column, and the variables need not be decoded to know it.
    public static func mayHaveStateColumn(json: String) -> Bool {
        let key: [UInt8] = Array("\"state\"".utf8)
        var json = json
        return json.withUTF8 { b in
            guard b.count >= key.count else { return false }
            for i in 0...(b.count - key.count) where b[i] == 0x22 {
                var j = 1
                while j < key.count, b[i + j] | 0x20 == key[j] | (key[j] == 0x22 ? 0 : 0x20) { j += 1 }
                if j == key.count { return true }
            }
            return false
        }
    }

    /// The state shown on the batch page: the row's column, else the area code's.
    public var state: String? { rowState ?? (areaStates.isEmpty ? nil : areaStates.joined(separator: "/")) }
}

extension ContactFacts {
    /// `e164`'s region, looked up on first use only (it parses the number): what
    /// ``ComplianceRule/matches(_:region:)`` is given when several rules are matched in a row.
    public static func regionOnce(_ e164: String) -> () -> String? {
        let box = RegionBox(e164)
        return { box.value }
    }

    private final class RegionBox {
        let e164: String
        lazy var value: String? = PhoneNumbers.region(ofE164: e164)
        init(_ e164: String) { self.e164 = e164 }
    }
}

extension ComplianceRule {
    /// SPEC §9: every match key the rule has holds; `states` by area code or by the `state` column.
    public func matches(_ facts: ContactFacts) -> Bool { matches(facts, region: { facts.region }) }

    /// The same, asking for the number's region only when the rule's states (checked first, from
    /// the area code and the row) leave it to decide: looking a region up parses the number.
    public func matches(_ facts: ContactFacts, region: () -> String?) -> Bool {
        if let states {
            let byArea = facts.areaStates.contains(where: states.contains)
            let byColumn = facts.rowState.map(states.contains) ?? false
            if !byArea && !byColumn { return false }
        }
        if let countries, !(region().map(countries.contains) ?? false) { return false }
        return true
    }
}
