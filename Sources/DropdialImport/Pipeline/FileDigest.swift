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
