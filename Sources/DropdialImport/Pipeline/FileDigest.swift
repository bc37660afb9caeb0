import Crypto
import Foundation

/// SHA-256 of a file, streamed in 1 MiB chunks so memory stays flat.
enum FileDigest {
    /// The file cannot be opened or read (no read permission, vanished, an I/O error).
    struct Unreadable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "cannot read the file (\(reason)); check that the daemon's user may read it" }
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
