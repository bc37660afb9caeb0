import DropdialBase
import DropdialConfig
import Foundation

/// The settings a batch runs with, as `batch ID --json` and batch-details carry them (SPEC §8):
/// the seeds' names, every key written (`null` when unset; `smartCallbackConfig` null when the
/// batch retries on a fixed interval instead).
public struct BatchSettingsSummary: Sendable, Equatable, Encodable {
    @NullWhenAbsent public var batchName: String?
    @NullWhenAbsent public var agentId: String?
    public var batchType: String
    public var callingNumbers: [String]
    /// `skip` or `reject` (the inbox's `invalid_rows`, or the upload's `type`).
    public var policy: String
    public var timezone: String
    public var callingWindow: CallingWindow
    public var allowedDays: [Int]
    public var holidays: [String]
    public var retry: RetryPolicy
    @NullWhenAbsent public var smartCallbackConfig: SmartCallbackConfig?
    @NullWhenAbsent public var scheduledAt: Date?

    public init(_ s: BatchSettings) {
        batchName = s.batchName
        agentId = s.agentId
        batchType = s.batchType.rawValue
        callingNumbers = s.callingNumbers
        policy = s.invalidRows.rawValue
        timezone = s.timezone
        callingWindow = s.callingWindow
        allowedDays = s.allowedDays
        holidays = s.holidays
        retry = s.retry
        smartCallbackConfig = s.smartCallbackConfig
        scheduledAt = s.scheduledAt
    }
}
