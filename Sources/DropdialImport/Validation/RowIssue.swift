/// One problem with one cell, as the report lists it (SPEC §5).
public struct RowIssue: Sendable, Codable, Equatable {
    /// The row number a person sees in the spreadsheet (header = 1).
    public var row: Int
    public var column: String
    public var value: String
    public var code: Code
    public var message: String

    public enum Code: String, Sendable, Codable {
        case phoneMissing = "phone_missing"
        case phoneInvalid = "phone_invalid"
        case phoneLostDigits = "phone_lost_digits"
        case requiredMissing = "required_missing"
        case timezoneInvalid = "timezone_invalid"
    }

    /// Longest `value` and `column` kept, in characters: a 1 MB cell in every rejected row
    /// would otherwise make a report of gigabytes. A cut text ends with `…`.
    public static let textLimit = 256

    public init(row: Int, column: String, value: String, code: Code, message: String) {
        self.row = row
        self.column = Self.cut(column)
        self.value = Self.cut(value)
        self.code = code
        self.message = message
    }

    static func cut(_ text: String) -> String {
        guard text.utf8.count > textLimit else { return text }
        var prefix = text.prefix(textLimit + 1)
        guard prefix.count > textLimit else { return text }
        prefix = prefix.dropLast()
        return String(prefix) + "…"
    }
}
