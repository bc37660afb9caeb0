#if canImport(Glibc)
import Glibc

/// Linux calls the Swift Glibc module does not import (`statfs`, `renameat2`), found with `dlsym`.
///
/// `dlsym` gives a C function pointer, so the calls use the C convention without a C target.
enum LinuxCalls {
    private typealias StatfsFn = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
    private typealias Renameat2Fn = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    nonisolated(unsafe) private static let process = dlopen(nil, RTLD_NOW)
    private static let statfsFn: StatfsFn? = symbol("statfs")
    private static let renameat2Fn: Renameat2Fn? = symbol("renameat2")
    private typealias SyncFileRangeFn = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private static let syncFileRangeFn: SyncFileRangeFn? = symbol("sync_file_range")

    /// `sync_file_range(fd, offset, count, SYNC_FILE_RANGE_WRITE)`: starts writing those bytes
    /// back without waiting, so a later `fsync` has little left to do. A no-op where missing.
    static func startWriteback(_ fd: Int32, offset: Int64, count: Int64) {
        _ = syncFileRangeFn?(fd, offset, count, 2)  // SYNC_FILE_RANGE_WRITE
    }

    private static func symbol<T>(_ name: String) -> T? {
        guard let p = dlsym(process, name) else { return nil }
        return unsafeBitCast(p, to: T.self)
    }

    /// `f_type` of `statfs(2)`: the filesystem's magic number; errno on failure.
    static func filesystemMagic(_ path: String) -> Result<UInt32, Errno> {
        guard let fn = statfsFn else { return .failure(Errno(ENOSYS)) }
        // struct statfs is 120 bytes on 64-bit Linux and starts with f_type (a long).
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 16)
        defer { buffer.deallocate() }
        guard fn(path, buffer) == 0 else { return .failure(Errno(errno)) }
        let type = buffer.load(as: Int.self)
        return .success(UInt32(truncatingIfNeeded: type))
    }

    /// `renameat2(RENAME_NOREPLACE)`: 0, or the errno (EEXIST when the target exists; EINVAL/ENOSYS unsupported).
    static func renameNoReplace(_ from: UnsafePointer<CChar>, _ to: String) -> Int32 {
        guard let fn = renameat2Fn else { return ENOSYS }
        return fn(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) == 0 ? 0 : errno
    }
}

/// An errno value carried in a `Result`.
struct Errno: Error, Hashable { var code: Int32; init(_ code: Int32) { self.code = code } }
#endif
