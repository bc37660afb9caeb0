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

    /// Entry names of a folder (without `.` and `..`).
    static func list(_ dir: String) throws(PickupError) -> [String] {
        guard let d = opendir(dir) else { throw .listFolder(path: dir, errno: errno) }
        defer { closedir(d) }
        var names: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
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
        let e = LinuxCalls.renameNoReplace(from, to)
        guard e == EINVAL || e == ENOSYS || e == ENOTSUP else { return e }
        if lstatInfo(to) != nil { return EEXIST }
        return rename(from, to) == 0 ? 0 : errno
    }

    /// Flushes a folder's entries (renames) to disk; best effort.
    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Writes `data` to `path` atomically: a dot temp file beside it, fsync, rename, fsync the folder.
    static func writeAtomically(_ data: Data, to path: String) throws(PickupError) {
        let dir = (path as NSString).deletingLastPathComponent
        let temp = join(dir.isEmpty ? "." : dir, "." + (path as NSString).lastPathComponent + ".tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .write(path: temp, errno: errno) }
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
