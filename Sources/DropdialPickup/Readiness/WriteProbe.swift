#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel whether any process has a file open for writing, without waiting for it.
///
/// A read lease (`fcntl(F_SETLEASE, F_RDLCK)`) is granted only when no one holds the file open for
/// writing; it is released again at once. This covers files found by a scan (at startup, after a
/// queue overflow, on polled folders), whose open and write events the daemon never saw. The kernel
/// grants leases to the file's owner or to a process with CAP_LEASE (root); elsewhere, and on
/// filesystems without leases (NFS), the answer is nil: unknown, and the settle rule alone decides.
public enum WriteProbe {
    private static let setLease: Int32 = 1024   // F_SETLEASE (F_LINUX_SPECIFIC_BASE + 0)

    /// A writer that opens the file in the instant the lease is held makes the kernel send the
    /// holder SIGIO, whose default action ends the process: the daemon ignores it (nothing else
    /// in it uses SIGIO). Set once, before the first lease.
    private static let ignoreLeaseBreaks: Void = { _ = signal(SIGIO, SIG_IGN) }()

    /// True when a writer has `path` open, false when none has, nil when the kernel would not say.
    public static func isOpenForWriting(_ path: String) -> Bool? {
        _ = ignoreLeaseBreaks
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if fcntl(fd, setLease, Int32(F_RDLCK)) == 0 {
            _ = fcntl(fd, setLease, Int32(F_UNLCK))
            return false
        }
        return errno == EAGAIN ? true : nil
    }
}
