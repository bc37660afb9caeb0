import DropdialConfig

/// The folders of one inbox: the inbox itself and its work, processed and failed subfolders.
///
/// All are inside the inbox so renames between them stay on one filesystem (atomic). The daemon
/// uses them through ``SecuredInbox``: then `work`, `processed` and `failed` are paths through
/// folders it holds open (`/proc/self/fd/N`), so an uploader who renames, replaces or symlinks
/// those names cannot redirect a single rename.
public struct InboxFolders: Sendable, Hashable {
    public var inbox: String
    public var work: String
    public var processed: String
    public var failed: String
    /// The real paths, for messages, when the folders above are held open (else the same paths).
    public var shown: [String: String] = [:]
    /// True when the folders are held open by a ``SecuredInbox`` (they exist; never created by path).
    public var isAnchored = false

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

    /// Makes sure `folder` (one of the above) exists; anchored folders always do.
    func prepare(_ folder: String) throws(PickupError) {
        if !isAnchored { try FileSystem.makeFolder(folder) }
    }

    /// `path` as a person would find it: an anchored folder's `/proc/self/fd/N` prefix replaced
    /// by the folder's real path.
    public func display(_ path: String) -> String {
        for (anchor, real) in shown where path == anchor || path.hasPrefix(anchor + "/") {
            return real + path.dropFirst(anchor.count)
        }
        return path
    }
}

/// Where an archived file ends: exactly one of the two, never both (SPEC §3).
public enum Destination: String, Sendable, Hashable, Codable {
    case processed, failed
}
