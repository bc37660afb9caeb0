import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's name as the kernel shows it (`top -H`, `perf`, /proc/…/comm): Foundation's
/// `Thread.name` set before `start()` does not reach the kernel on Linux.
public enum ThreadName {
    // A GNU extension the Glibc module does not declare.
    private typealias SetNameFn = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
    private static let setName: SetNameFn? = dlsym(dlopen(nil, RTLD_NOW), "pthread_setname_np")
        .map { unsafeBitCast($0, to: SetNameFn.self) }

    /// Names the calling thread; the kernel keeps the first 15 bytes.
    public static func set(_ name: String) {
        let short = String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self)
        _ = short.withCString { setName?(pthread_self(), $0) }
    }
}
