import DropdialConfig

/// The folders of one inbox: the inbox itself and its work, processed and failed subfolders.
///
/// All are inside the inbox so renames between them stay on one filesystem (atomic).
public struct InboxFolders: Sendable, Hashable {
    public var inbox: String
    public var work: String
    public var processed: String
    public var failed: String

    public init(inbox: String) {
        self.inbox = inbox
        self.work = FileSystem.join(inbox, PickupNames.workFolder)
        self.processed = FileSystem.join(inbox, PickupNames.processedFolder)
        self.failed = FileSystem.join(inbox, PickupNames.failedFolder)
    }

    public init(_ inbox: InboxConfig) {
        self.init(inbox: inbox.path)
    }

    /// The folder for a destination.
    public func folder(_ destination: Destination) -> String {
        switch destination {
        case .processed: return processed
        case .failed: return failed
        }
    }
}

/// Where an archived file ends: exactly one of the two, never both (SPEC §3).
public enum Destination: String, Sendable, Hashable, Codable {
    case processed, failed
}
