/// One change in an inbox, already filtered: ignored names (``PickupNames``) and folders never appear.
public struct WatchEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Written in place and closed (IN_CLOSE_WRITE): take once quiet for the settle time.
        case closedAfterWrite
        /// Renamed into the inbox (IN_MOVED_TO): complete, take at once.
        case movedIn
        /// Appeared with content already in it (IN_CREATE, size > 0): OpenSSH sftp-server's
        /// link()+unlink() rename, so complete, take at once.
        case linkedIn
        /// Appeared empty (IN_CREATE), or a polled new file: being written, settle first.
        case created
        /// Written to (IN_MODIFY): a writer has it open, so it is not taken before its close
        /// (IN_CLOSE_WRITE), however long the writer pauses.
        case written
        /// Metadata or a polled size/mtime changed (IN_ATTRIB, polling): restart the settle timer.
        case modified
        /// Deleted or renamed away: forget it.
        case removed
        /// The kernel queue overflowed (IN_Q_OVERFLOW): events were lost, rescan the folder. `name` is empty.
        case overflow
        /// The inbox folder itself was removed or moved: the watch is dead; recreate it. `name` is empty.
        case inboxGone
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    public var description: String { "\(kind) \(name)" }
}
