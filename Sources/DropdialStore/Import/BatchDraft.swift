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
