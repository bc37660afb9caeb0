#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Thin POSIX helpers: no symlink following, errno kept, typed errors.
enum FileSystem {
    /// `dir/name`, without doubling the slash.
    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    /// `lstat(2)`; nil with errno set when it fails.
    static func lstatInfo(_ path: String) -> stat? {
        var st = stat()
        return lstat(path, &st) == 0 ? st : nil
    }

    /// Entry names of a folder (without `.` and `..`) that are valid UTF-8; see ``entries(_:)``.
    static func list(_ dir: String) throws(PickupError) -> [String] {
        try entries(dir).compactMap { $0.raw == nil ? $0.name : nil }
    }

    /// Every entry of a folder (without `.` and `..`): `name` is the text, and `raw` the bytes when
    /// they are not valid UTF-8 (`name` then shows them escaped, ``PickupNames/escapedName(_:)``):
    /// such a name cannot be opened through a Swift `String`, so the caller renames it first.
    static func entries(_ dir: String) throws(PickupError) -> [(name: String, raw: [UInt8]?)] {
        guard let d = opendir(dir) else { throw .listFolder(path: dir, errno: errno) }
        defer { closedir(d) }
        var out: [(name: String, raw: [UInt8]?)] = []
        while let entry = readdir(d) {
            let bytes = withUnsafePointer(to: &entry.pointee.d_name) {
                Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self),
                                          count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))))
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                out.append((name, nil))
            } else {
                out.append((PickupNames.escapedName(bytes), bytes))
            }
        }
        return out
    }

    /// Renames raw (non-UTF-8) entry `from` in `dir` to `to`, never replacing: 0 or the errno.
    static func renameRaw(in dir: String, _ from: [UInt8], to: String) -> Int32 {
        let source = Array(dir.utf8) + [0x2F] + from + [0]
        return source.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cSource in
                renameNoReplace(String(cString: cSource), join(dir, to), rawSource: cSource)
            }
        }
    }

    /// Creates a folder if missing; an existing entry must be a real folder (not a symlink).
    static func makeFolder(_ path: String) throws(PickupError) {
        if mkdir(path, 0o755) == 0 { return }
        let e = errno
        guard e == EEXIST else { throw .createFolder(path: path, errno: e) }
        guard let st = lstatInfo(path), (st.st_mode & S_IFMT) == S_IFDIR else {
            throw .createFolder(path: path, errno: ENOTDIR)
        }
    }

    /// Renames without ever replacing an existing target: 0 or the errno (EEXIST when taken).
    ///
    /// Uses `renameat2(RENAME_NOREPLACE)`; where the filesystem lacks it, checks then renames
    /// (only this daemon creates names in its own folders, so the gap is not contended).
    static func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        from.withCString { renameNoReplace(from, to, rawSource: $0) }
    }

    private static func renameNoReplace(_ from: String, _ to: String, rawSource: UnsafePointer<CChar>) -> Int32 {
        let e = LinuxCalls.renameNoReplace(rawSource, to)
        guard e == EINVAL || e == ENOSYS || e == ENOTSUP else { return e }
        if lstatInfo(to) != nil { return EEXIST }
        return rename(rawSource, to) == 0 ? 0 : errno
    }

    /// Flushes a folder's entries (renames) to disk; best effort.
    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Writes `data` to `path` atomically: a dot temp file beside it, fsync, rename, fsync the folder.
    ///
    /// `like`: the stat of the file the data describes; the new file then gets its mode (never
    /// wider, read and write bits only) and, where the daemon may, its owner and group, so a report
    /// is readable by exactly who can read the file it describes. Without it the mode is 0644.
    /// Gives a file the daemon wrote in place (a staged errors file) the mode and owner
    /// ``writeAtomically(_:to:like:)`` would have given it; best effort, like there.
    static func conform(_ path: String, like: stat?) {
        guard let like else { return }
        let fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fchown(fd, like.st_uid, like.st_gid)
        _ = fchmod(fd, mode_t(like.st_mode) & 0o666)
        close(fd)
    }

    static func writeAtomically(_ data: Data, to path: String, like: stat? = nil) throws(PickupError) {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = join(dir.isEmpty ? "." : dir, "." + (path as NSString).lastPathComponent + ".tmp")
        let mode = like.map { mode_t($0.st_mode) & 0o666 } ?? 0o644
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .write(path: temp, errno: errno) }
        if let like {
            // Best effort: only root may give a file away; the mode alone still holds.
            _ = fchown(fd, like.st_uid, like.st_gid)
            _ = fchmod(fd, mode)
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temp, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temp)
            throw .write(path: path, errno: failure)
        }
        syncFolder(dir.isEmpty ? "." : dir)
    }
}
