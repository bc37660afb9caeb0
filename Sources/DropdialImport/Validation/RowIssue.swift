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
}
