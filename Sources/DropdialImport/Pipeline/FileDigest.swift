import Crypto
import Foundation

/// SHA-256 of a file, streamed in 1 MiB chunks so memory stays flat.
enum FileDigest {
    /// The file cannot be opened or read (no read permission, vanished, an I/O error).
    struct Unreadable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot read the file (\(reason)); check that the daemon's user may read it" }
    }

    /// What `path` is when it is not a regular file (symlinks followed), e.g. "a FIFO"; nil for
    /// a regular file or one that cannot be inspected (opening it then reports why).
    static func notRegular(path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "a special file"
        }
    }

    static func sha256(path: String) throws(Unreadable) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Unreadable(reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw Unreadable(reason: error.localizedDescription)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Size, mtime and inode of a file (symlinks followed): taken before the file is read and again
/// right before its batch commits, so a file that changed meanwhile (a writer that paused, then
/// wrote more) is never committed half.
struct FileSignature: Equatable, CustomStringConvertible {
    var size: Int64
    var modifiedNanos: Int64
    var inode: UInt64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        size = Int64(st.st_size)
        modifiedNanos = Int64(st.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(st.st_mtim.tv_nsec)
        inode = UInt64(st.st_ino)
    }

    var description: String { "\(size) bytes, inode \(inode)" }
}

/// The file changed between the start of its import and the commit; nothing was committed.
public struct FileChangedDuringImport: Error, CustomStringConvertible {
    public var before: String
    public var after: String
    public var description: String {
        "the file changed while it was being imported (\(before) → \(after)); nothing was committed — it is imported again once it has been quiet"
    }
}
