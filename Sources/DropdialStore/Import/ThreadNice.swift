#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's own nice value (Linux schedules threads separately: `setpriority` on a
/// thread id touches that thread only). Only ever raised, which needs no privilege; meant for
/// threads that end with their work.
enum ThreadNice {
    private typealias GettidFn = @convention(c) () -> Int32
    private static let gettid: GettidFn? = dlsym(dlopen(nil, RTLD_NOW), "gettid").map { unsafeBitCast($0, to: GettidFn.self) }

    /// Makes the calling thread `amount` nicer (a no-op where the call is missing or refused).
    static func lower(by amount: Int32) {
        guard let tid = gettid?() else { return }
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid))
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), min(current + amount, 19))
    }
}
