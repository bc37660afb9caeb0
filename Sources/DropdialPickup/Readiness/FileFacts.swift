#if canImport(Glibc)
import Glibc
#endif

/// What `lstat` says about an inbox entry, plus zip completeness for `.xlsx`; never follows symlinks.
public struct FileFacts: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case regular, symlink, directory, other }

    /// Size, mtime and inode: any change means the file is still being written (or was replaced).
    public struct Signature: Sendable, Hashable {
        public var size: Int64
        public var modifiedNanos: Int64
        public var inode: UInt64
        public init(size: Int64, modifiedNanos: Int64, inode: UInt64) {
            self.size = size
            self.modifiedNanos = modifiedNanos
            self.inode = inode
        }
    }

    public var kind: Kind
    public var signature: Signature
    /// For a regular `.xlsx`: whether the zip end-of-central-directory record is present; else nil.
    public var zipComplete: Bool?

    public init(kind: Kind, signature: Signature, zipComplete: Bool? = nil) {
        self.kind = kind
        self.signature = signature
        self.zipComplete = zipComplete
    }

    public var size: Int64 { signature.size }

    /// Reads the facts of `directory/name`; nil when it does not exist (or cannot be inspected).
    public static func read(directory: String, name: String) -> FileFacts? {
        let path = FileSystem.join(directory, name)
        guard let st = FileSystem.lstatInfo(path) else { return nil }
        var facts = FileFacts(stat: st)
        if facts.kind == .regular && PickupNames.isXLSX(name) {
            facts.zipComplete = ZipEnd.isPresent(path: path)
        }
        return facts
    }

    init(stat st: stat) {
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFLNK: kind = .symlink
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        self.init(kind: kind, signature: Signature(
            size: Int64(st.st_size),
            modifiedNanos: Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec),
            inode: UInt64(st.st_ino)))
    }
}
