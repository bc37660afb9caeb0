/// How an inbox is watched: inotify on local filesystems, polling where inotify sees nothing.
///
/// inotify reports only changes made through this kernel, so network shares (NFS, SMB/CIFS)
/// and FUSE mounts written by other machines or daemons are polled.
public enum WatchMethod: Sendable, Hashable {
    case inotify
    case poll(reason: String)

    /// Chooses for a folder: `forcePoll` (the inbox's `poll = true`) or the filesystem type from `statfs`.
    public static func choose(path: String, forcePoll: Bool) throws(PickupError) -> WatchMethod {
        if forcePoll { return .poll(reason: "poll = true in the inbox config") }
        switch LinuxCalls.filesystemMagic(path) {
        case .success(let magic): return choose(magic: magic)
        case .failure(let e): throw .inspect(path: path, errno: e.code)
        }
    }

    /// The decision for a `statfs` magic number.
    public static func choose(magic: UInt32) -> WatchMethod {
        let kind = FilesystemKind(magic: magic)
        return kind.needsPolling ? .poll(reason: "\(kind) filesystem: inotify does not see remote changes") : .inotify
    }
}

/// Filesystem families by `statfs` `f_type` magic number (linux/magic.h).
public enum FilesystemKind: Sendable, Hashable, CustomStringConvertible {
    case nfs, smb, cifs, smb2, fuse
    case local(magic: UInt32)

    public static let nfsMagic: UInt32 = 0x6969
    public static let smbMagic: UInt32 = 0x517B
    public static let cifsMagic: UInt32 = 0xFF53_4D42
    public static let smb2Magic: UInt32 = 0xFE53_4D42
    public static let fuseMagic: UInt32 = 0x6573_5546

    public init(magic: UInt32) {
        switch magic {
        case Self.nfsMagic: self = .nfs
        case Self.smbMagic: self = .smb
        case Self.cifsMagic: self = .cifs
        case Self.smb2Magic: self = .smb2
        case Self.fuseMagic: self = .fuse
        default: self = .local(magic: magic)
        }
    }

    /// True for network and FUSE filesystems.
    public var needsPolling: Bool {
        if case .local = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .nfs: return "NFS"
        case .smb: return "SMB"
        case .cifs: return "CIFS"
        case .smb2: return "SMB2"
        case .fuse: return "FUSE"
        case .local(let m): return "local (0x\(String(m, radix: 16)))"
        }
    }
}
