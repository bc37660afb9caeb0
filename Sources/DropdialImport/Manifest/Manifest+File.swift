#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension Manifest {
    /// Manifests are small; a larger file is refused before it is read.
    static let maxBytes = 1 << 20

    /// Reads the manifest at `path`: nil when there is none. Anything that is there but cannot
    /// serve as one — a symlink, FIFO, folder or device, a file the daemon may not read, one over
    /// 1 MiB, or bad JSON — is an error, so the data file is rejected (`manifest_invalid`) instead
    /// of being imported with the inbox defaults (dialed now instead of at its `scheduledAt`).
    /// Never follows a symlink and never blocks on a FIFO.
    public static func load(path: String) throws(Invalid) -> Manifest? {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { return nil }
            throw Invalid(field: nil, message: "cannot inspect the manifest: \(String(cString: strerror(e)))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw Invalid(field: nil, message: "is a symbolic link; put the manifest file itself there")
        case S_IFDIR: throw Invalid(field: nil, message: "is a folder, not a file")
        default: throw Invalid(field: nil, message: "is not a regular file (a FIFO, socket or device)")
        }
        guard Int(st.st_size) <= maxBytes else {
            throw Invalid(field: nil, message: "is \(st.st_size) bytes; a manifest is at most \(maxBytes) bytes")
        }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw Invalid(field: nil, message: "cannot be read: \(String(cString: strerror(errno))); let the daemon's user read it")
        }
        defer { close(fd) }
        var after = stat()
        guard fstat(fd, &after) == 0, (after.st_mode & S_IFMT) == S_IFREG else {
            throw Invalid(field: nil, message: "is not a regular file")
        }
        var bytes = [UInt8](repeating: 0, count: maxBytes + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Invalid(field: nil, message: "cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
        }
        guard count <= maxBytes else { throw Invalid(field: nil, message: "is over \(maxBytes) bytes") }
        return try Manifest(json: Data(bytes[0..<count]))
    }
}
