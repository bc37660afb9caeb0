import Foundation
import Glibc

/// One `dropdial run` per database: an exclusive `flock` on `<database>.lock`, held while the
/// daemon runs (the kernel drops it when the process ends, even on kill -9). A second daemon on
/// the same database would import the first one's claimed files again and dial beside it.
public final class DaemonLock: Sendable {
    let fd: Int32

    /// The lock is held by another process.
    public struct Held: Error, CustomStringConvertible {
        public var database: String
        public var lockFile: String
        public var pid: String
        public var description: String {
            "another dropdial run (pid \(pid)) already uses the database \(database) (lock \(lockFile)); stop it first, or give this daemon its own database"
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var lockFile: String
        public var reason: String
        public var description: String { "cannot create the daemon lock \(lockFile): \(reason)" }
    }

    /// Takes the lock for `database`; an in-memory database needs none.
    public static func acquire(database: String) throws -> DaemonLock? {
        guard database != ":memory:", !database.hasPrefix("postgresql:") else { return nil }
        let path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Unavailable(lockFile: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 32, 0)
            close(fd)
            let pid = String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Held(database: database, lockFile: path, pid: pid.isEmpty ? "unknown" : pid)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
        return DaemonLock(fd: fd)
    }

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }
}
