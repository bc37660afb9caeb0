import Foundation

/// The settings one batch runs with: the inbox defaults, overridden by the file's manifest.
/// Stored with the batch as JSON, in the seeds' camelCase field names.
public struct BatchSettings: Sendable, Hashable, Codable {
    public var batchName: String?
    public var agentId: String?
    public var batchType: BatchType
    public var callingNumbers: [String]
    public var requiredVariables: [String]
    public var invalidRows: InvalidRowPolicy
    public var region: String
    public var timezone: String
    public var scheduledAt: Date?
    public var callingWindow: CallingWindow
    public var allowedDays: [Int]
    public var callingHoursGuard: Bool
    public var retry: RetryPolicy
    public var smartCallbackConfig: SmartCallbackConfig?
    public var holidays: [String]
    /// A `declined` outcome puts the number on the do-not-call list (inbox `dnc_on_decline`);
    /// nil (settings stored before the key existed) means false.
    public var dncOnDecline: Bool?

    public init(
        batchName: String? = nil, agentId: String? = nil, batchType: BatchType = .outbound,
        callingNumbers: [String] = [], requiredVariables: [String] = [], invalidRows: InvalidRowPolicy = .skip,
        region: String = "US", timezone: String = "America/New_York", scheduledAt: Date? = nil,
        callingWindow: CallingWindow = .officeHours, allowedDays: [Int] = [1, 2, 3, 4, 5],
        callingHoursGuard: Bool = true, retry: RetryPolicy = .standard,
        smartCallbackConfig: SmartCallbackConfig? = nil, holidays: [String] = [], dncOnDecline: Bool? = nil
    ) {
        self.batchName = batchName
        self.agentId = agentId
        self.batchType = batchType
        self.callingNumbers = callingNumbers
        self.requiredVariables = requiredVariables
        self.invalidRows = invalidRows
        self.region = region
        self.timezone = timezone
        self.scheduledAt = scheduledAt
        self.callingWindow = callingWindow
        self.allowedDays = allowedDays
        self.callingHoursGuard = callingHoursGuard
        self.retry = retry
        self.smartCallbackConfig = smartCallbackConfig
        self.holidays = holidays
        self.dncOnDecline = dncOnDecline
    }
}
