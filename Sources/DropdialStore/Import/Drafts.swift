import DropdialConfig
import Foundation

/// A batch about to be created by an import.
public struct BatchDraft: Sendable {
    public var name: String
    public var inbox: String
    public var settings: BatchSettings
    public var sourceFile: String
    public var sha256: String
    public var size: Int64
    public var format: String
    public var createdAt: Date
    /// The pickup's claimed name, recorded in the same transaction so a restart finds the batch.
    public var claimKey: String?

    public init(name: String, inbox: String, settings: BatchSettings, sourceFile: String,
                sha256: String, size: Int64, format: String, createdAt: Date, claimKey: String? = nil) {
        self.claimKey = claimKey
        self.name = name
        self.inbox = inbox
        self.settings = settings
        self.sourceFile = sourceFile
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.createdAt = createdAt
    }
}

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

/// The counts an import reports and stores with its batch (SPEC §5).
public struct ImportCounts: Sendable, Equatable, Codable {
    public var rows = 0
    public var imported = 0
    public var invalid = 0
    public var duplicates = 0
    public var suppressed = 0

    public init() {}
}
