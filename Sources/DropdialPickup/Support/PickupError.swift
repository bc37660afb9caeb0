#if canImport(Glibc)
import Glibc
#endif

/// A pickup failure that needs a person: each message names the path and what to check.
public enum PickupError: Error, Sendable, Hashable, CustomStringConvertible {
    case createFolder(path: String, errno: Int32)
    case listFolder(path: String, errno: Int32)
    case inspect(path: String, errno: Int32)
    case move(from: String, to: String, errno: Int32)
    case write(path: String, errno: Int32)
    case watch(path: String, operation: String, errno: Int32)
    case noFreeName(folder: String, name: String)
    case badIntent(path: String, reason: String)

    public var description: String {
        switch self {
        case let .createFolder(path, e):
            return "cannot create folder \(path): \(Self.text(e))\(Self.hint(e, path))"
        case let .listFolder(path, e):
            return "cannot list folder \(path): \(Self.text(e))\(Self.hint(e, path))"
        case let .inspect(path, e):
            return "cannot inspect \(path): \(Self.text(e))\(Self.hint(e, path))"
        case let .move(from, to, e):
            return "cannot move \(from) to \(to): \(Self.text(e))\(Self.hint(e, to))"
        case let .write(path, e):
            return "cannot write \(path): \(Self.text(e))\(Self.hint(e, path))"
        case let .watch(path, op, e):
            return "cannot watch \(path) (\(op)): \(Self.text(e))\(Self.watchHint(e))"
        case let .noFreeName(folder, name):
            return "no free name for \(name) in \(folder) after many tries; clean up the folder"
        case let .badIntent(path, reason):
            return "unreadable archive record \(path): \(reason); move the files in that work folder by hand"
        }
    }

    static func text(_ e: Int32) -> String { String(cString: strerror(e)) }

    static func hint(_ e: Int32, _ path: String) -> String {
        switch e {
        case EACCES, EPERM: return " — check that the daemon's user may write there"
        case EXDEV: return " — the work, processed and failed folders must be on the inbox's filesystem; do not mount anything on them"
        case ENOSPC, EDQUOT: return " — the disk is full or over quota"
        case EROFS: return " — the filesystem is read-only"
        case ENOENT: return " — the folder does not exist; create it or fix the inbox path"
        case ENOTDIR: return " — a file stands where a folder is expected"
        default: return ""
        }
    }

    static func watchHint(_ e: Int32) -> String {
        switch e {
        case EMFILE: return " — too many inotify instances; raise fs.inotify.max_user_instances or set poll = true"
        case ENOSPC: return " — too many inotify watches; raise fs.inotify.max_user_watches or set poll = true"
        case ENOENT: return " — the inbox folder does not exist"
        case EACCES: return " — check that the daemon's user may read the inbox"
        default: return ""
        }
    }
}
