/// One validated contact on its way into `call`.
public struct CallDraft: Sendable {
    public var rowNumber: Int
    /// E.164.
    public var phoneNumber: String
    /// A JSON object of the row's other columns, in column order.
    public var variablesJSON: String
    public var timezone: String?
    public var zones: String

    public init(rowNumber: Int, phoneNumber: String, variablesJSON: String, timezone: String?, zones: String) {
        self.rowNumber = rowNumber
        self.phoneNumber = phoneNumber
        self.variablesJSON = variablesJSON
        self.timezone = timezone
        self.zones = zones
    }
}
