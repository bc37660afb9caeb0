import Foundation

/// What `dropdial batch ID` asks for: one page of a batch's calls, filtered, searched and sorted
/// (seed 002 "Get Batch Details").
public struct CallQuery: Sendable, Equatable {
    /// 1-based.
    public var page: Int
    public var limit: Int
    public var filter: CallFilter
    public var sort: CallSort
    /// Case-insensitive substring of the phone number or any variable value.
    public var search: String?

    /// The largest page size accepted.
    public static let maxLimit = 10_000

    /// The last page whose first call's offset, `(page - 1) * limit`, is a 64-bit number; no batch
    /// comes near it, so a larger page is a typo.
    public static func maxPage(limit: Int) -> Int { Int.max / max(limit, 1) }

    /// How many calls come before this page.
    public var offset: Int { (page - 1) * limit }

    public init(page: Int = 1, limit: Int = 10, filter: CallFilter = CallFilter(), sort: CallSort = CallSort(),
                search: String? = nil) throws(CallQueryError) {
        guard page >= 1 else { throw .badPage(page) }
        guard (1...Self.maxLimit).contains(limit) else { throw .badLimit(limit) }
        guard page <= Self.maxPage(limit: limit) else { throw .pageTooLarge(page, limit: limit) }
        self.page = page
        self.limit = limit
        self.filter = filter
        self.sort = sort
        self.search = search.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// A call field by the name `batch --json` prints it, or a variable.
public enum CallField: Sendable, Hashable {
    case id, phoneNumber, timezone, callStatus, attempts, nextAttemptAt, outcome, createdAt
    case variable(String)

    /// Call fields by their printed names (and the seed's `callStatus`, `lastOutcome`'s `outcome`);
    /// any other name is a variable.
    public init(name: String) {
        switch name {
        case "id": self = .id
        case "phoneNumber": self = .phoneNumber
        case "timezone": self = .timezone
        case "status", "callStatus": self = .callStatus
        case "attempts": self = .attempts
        case "nextAttemptAt": self = .nextAttemptAt
        case "lastOutcome", "outcome": self = .outcome
        case "createdAt": self = .createdAt
        default: self = .variable(name)
        }
    }
}

/// `--filter JSON`: an object of field → value; a call matches when every field equals its value.
/// `callStatus`, `outcome` and `timezone` are call fields, every other key names a variable. A
/// value may be a string, number or boolean (compared as text), null (the field is absent), or
/// an array of those (any of them).
public struct CallFilter: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public var field: CallField
        /// Any of these; nil stands for "absent".
        public var values: [String?]
    }

    public var conditions: [Condition]

    public init(conditions: [Condition] = []) { self.conditions = conditions }

    public init(json: String) throws(CallQueryError) {
        let example = "write an object such as {\"callStatus\":\"pending\"}"
        guard let top = try? JSONDecoder().decode(FilterValue.self, from: Data(json.utf8)) else {
            throw .badFilter("\(json) is not JSON; \(example)")
        }
        guard case .object(let dict) = top else { throw .badFilter("\(json) is not a JSON object; \(example)") }
        var conditions: [Condition] = []
        for key in dict.keys.sorted() {
            var values: [String?] = []
            for item in dict[key]!.list {
                guard case .scalar(let text) = item else {
                    throw .badFilter("\"\(key)\": use a string, number, boolean, null or an array of those")
                }
                values.append(text)
            }
            guard !values.isEmpty else { throw .badFilter("\"\(key)\": an empty array matches nothing") }
            let field = CallField(name: key)
            switch field {
            case .callStatus, .outcome, .timezone, .variable: break
            default: throw .badFilter("\"\(key)\": filter on callStatus, outcome, timezone or a variable")
            }
            conditions.append(Condition(field: field, values: values))
        }
        self.conditions = conditions
    }

    /// A filter's JSON: scalars become the text stored values are compared with (nil for null).
    private enum FilterValue: Decodable {
        case scalar(String?)
        case array([FilterValue])
        case object([String: FilterValue])

        var list: [FilterValue] {
            if case .array(let items) = self { return items }
            return [self]
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .scalar(nil)
            } else if let b = try? c.decode(Bool.self) {
                self = .scalar(b ? "true" : "false")
            } else if let i = try? c.decode(Int64.self) {
                self = .scalar(String(i))
            } else if let d = try? c.decode(Double.self) {
                self = .scalar("\(d)")
            } else if let s = try? c.decode(String.self) {
                self = .scalar(s)
            } else if let a = try? c.decode([FilterValue].self) {
                self = .array(a)
            } else {
                self = .object(try c.decode([String: FilterValue].self))
            }
        }
    }
}

/// `--sort-by FIELD --sort-order asc|desc`; calls with equal keys keep id order.
public struct CallSort: Sendable, Equatable {
    public var field: CallField
    public var descending: Bool

    public init(field: CallField = .id, descending: Bool = false) {
        self.field = field
        self.descending = descending
    }

    public init(by name: String?, order: String?) throws(CallQueryError) {
        var descending = false
        if let order {
            switch order.lowercased() {
            case "asc": descending = false
            case "desc": descending = true
            default: throw .badSortOrder(order)
            }
        }
        self.init(field: name.map { CallField(name: $0) } ?? .id, descending: descending)
    }
}

/// Why a batch query was refused: the user's input (exit status 2).
public enum CallQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownBatch(Int64)
    case badFilter(String)
    case badSortOrder(String)
    case unknownSortField(String)
    case badPage(Int)
    case pageTooLarge(Int, limit: Int)
    case badLimit(Int)

    public var description: String {
        switch self {
        case .unknownBatch(let id): "no batch \(id); `dropdial batches` lists them"
        case .badFilter(let why): "--filter: \(why)"
        case .badSortOrder(let order): "--sort-order \(order): use asc or desc"
        case .unknownSortField(let name):
            "--sort-by \(name): not a call field (id, phoneNumber, timezone, callStatus, attempts, nextAttemptAt, outcome, createdAt) nor a variable of this batch"
        case .badPage(let page): "--page \(page): pages start at 1"
        case .pageTooLarge(let page, let limit):
            "--page \(page): too large; with --limit \(limit) pages go up to \(CallQuery.maxPage(limit: limit))"
        case .badLimit(let limit): "--limit \(limit): use 1 to \(CallQuery.maxLimit)"
        }
    }
}
