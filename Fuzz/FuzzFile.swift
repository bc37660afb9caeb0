#if canImport(Glibc)
import Glibc
#endif

/// The readers open paths, so each fuzz input is written to one scratch file per process and
/// extension, on tmpfs (`/dev/shm`) when there is one so the write costs no disk I/O.
enum FuzzFile {
    nonisolated(unsafe) private static var paths: [String: String] = [:]

    /// Writes the input bytes to the scratch file for `suffix` (e.g. `.csv`) and returns its path.
    static func write(_ data: UnsafePointer<UInt8>, _ size: Int, suffix: String) -> String {
        let path = paths[suffix] ?? {
            let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
            let p = "\(folder)/dropdial-fuzz-\(getpid())\(suffix)"
            if paths.isEmpty { atexit { FuzzFile.removeAll() } }
            paths[suffix] = p
            return p
        }()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "fuzz: cannot create \(path)")
        var done = 0
        while done < size {
            let n = Glibc.write(fd, data + done, size - done)
            precondition(n > 0, "fuzz: cannot write \(path)")
            done += n
        }
        close(fd)
        return path
    }

    /// Deletes the scratch files when the fuzzer exits normally (a crash leaves them for a look).
    static func removeAll() {
        for path in paths.values { unlink(path) }
    }
}
